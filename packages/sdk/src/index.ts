export * from './errors.js';
export * from './signing.js';
export * from './schemas.js';
export * from './redaction.js';
export * from './version.js';
export * from './request-sender.js';
export * from './client.js';
