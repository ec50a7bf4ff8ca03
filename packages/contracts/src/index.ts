export * from './source-state.js';
export * from './overview.js';
