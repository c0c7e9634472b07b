export * from './errors.js';
export * from './signing.js';
