export {
  type ConfigOverrides,
  DEFAULT_DATABASE_URL,
  DEVELOPMENT_DEFAULTS,
  isSandboxUrl,
  loadConfig,
  type ServerConfig,
} from './app/config.js';
export {
  createServer,
  type NotifykitServer,
  type RunningServer,
  type ServerOptions,
  startServer,
} from './app/server.js';
export { type Database, openDatabase, parseDatabaseUrl } from './db/connection.js';
export { FieldCipher, parseEncryptionKeys } from './db/field-encryption.js';
export { migrateToLatest } from './db/migrations.js';
export { ApiError } from './errors.js';
