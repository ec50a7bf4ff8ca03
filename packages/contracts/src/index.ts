export * from './source-state.js';
export * from './overview.js';
export * from './session.js';
