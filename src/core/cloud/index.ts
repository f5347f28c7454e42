export * from './model.js';
export * from './moniker.js';
export * from './operations.js';
export * from './changes.js';
export * from './local-cloud-protocol.js';
