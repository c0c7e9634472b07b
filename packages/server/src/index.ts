export { ApiError } from './api-error.js';
export {
  type ConfigOverrides,
  DEFAULT_DATABASE_URL,
  DEVELOPMENT_DEFAULTS,
  isSandboxUrl,
  loadConfig,
  type ServerConfig,
} from './config.js';
export { type Database, openDatabase, parseDatabaseUrl } from './db/connection.js';
export { migrateToLatest } from './db/migrations.js';
export { FieldCipher, parseEncryptionKeys } from './field-encryption.js';
export { createServer, type NotifykitServer, type RunningServer, type ServerOptions, startServer } from './server.js';
