// What every route of the sandbox works with, assembled once by startSandbox.

import type { Logger } from 'pino';
import type { SandboxConfig } from '../config/config.js';
import type { ResolvedCredential } from '../config/credentials.js';
import type { DeliveryWorker } from '../delivery/worker.js';
import type { VirtualClock } from '../simulation/clock.js';
import type { ScenarioEngine } from '../simulation/engine.js';
import type { SandboxStore } from '../store/sandbox-store.js';

export interface SandboxContext {
  config: SandboxConfig;
  store: SandboxStore;
  clock: VirtualClock;
  engine: ScenarioEngine;
  delivery: DeliveryWorker;
  logger: Logger;
  /** Credentials by username. */
  credentials: ReadonlyMap<string, ResolvedCredential>;
}
