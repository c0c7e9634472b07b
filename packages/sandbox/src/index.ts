// @notifykit/sandbox: a faithful, stateful local Ingo Notify. `startSandbox` runs it in-process (tests,
// the local stack); the `notifykit-sandbox` binary (bin.ts) is a thin command line around it. This file
// is the package's public surface: every name here is exported on purpose, nothing else is.

export type { TopicDialect, WebhookAlgorithm, WebhookEncoding } from '@notifykit/sdk';
export { type SandboxHandle, startSandbox } from './app/start-sandbox.js';
export {
  DEFAULT_DB,
  DEFAULT_DELIVERY_CONCURRENCY,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RETRY_SCHEDULE_MS,
  DEFAULT_TTL_MS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type SandboxConfig,
  type SandboxOptions,
} from './config/config.js';
export {
  DEVELOPMENT_CREDENTIALS,
  DEVELOPMENT_WEBHOOK_SECRET,
  parseCredentials,
  type ResolvedCredential,
  type SandboxCredential,
} from './config/credentials.js';
export { parseDuration, parseDurationList } from './config/durations.js';
export { SandboxControlClient, type SandboxControlClientOptions } from './control/client.js';
export { CONTROL_REQUIRED_SIGNED_HEADERS } from './control/routes.js';
export {
  ACCOUNT_TYPES,
  CONTROL_ACTIONS,
  type ControlAction,
  MAX_AUTHENTICATION_ATTEMPTS,
} from './simulation/machine.js';
export { SCENARIOS, type ScenarioName, STEP_DELAY_MS, selectScenario } from './simulation/scenarios.js';
