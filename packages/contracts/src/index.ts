export * from './source-state.js';
export * from './overview.js';
export * from './session.js';
export * from './sandbox.js';
export * from './metrics.js';
export * from './logs.js';
export * from './migrations.js';
export * from './event-stream.js';
