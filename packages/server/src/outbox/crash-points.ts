import type { Logger } from 'pino';

/** Test-only points where the process kills itself (crash-recovery tests, NOTIFYKIT_TEST_CRASH_POINT). */
export type CrashPoint = 'after-outbox-commit' | 'after-stage-call';

export type CrashHook = (point: CrashPoint) => void;

/** A hook that SIGKILLs the process at the configured point and does nothing elsewhere. */
export function crashHook(configured: string | undefined, logger: Logger): CrashHook {
  return (point) => {
    if (configured !== point) return;
    logger.warn({ crashPoint: point }, 'test crash point reached: killing the process');
    process.kill(process.pid, 'SIGKILL');
  };
}
