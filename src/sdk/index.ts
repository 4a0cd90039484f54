/** The SDK as apps import it (`@foyer/sdk`: Foyer's bundler resolves it here). */
export * from './client.js';
export * from './frame.js';
export * from './frame-protocol.js';
export type * from './service-api.js';
