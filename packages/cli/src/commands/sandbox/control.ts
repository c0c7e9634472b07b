// The sandbox's control API (/_sandbox, see packages/sandbox/README.md) through its typed client, signed
// with the Ingo credentials; failures become one CliError.
import type { SandboxControlClient } from '@notifykit/sandbox';
import { CliError } from '../../cli-error.js';
import { ingoCredentials } from '../../connection/ingo.js';
import type { Settings } from '../../connection/settings.js';
import { type CliIO, printJson } from '../../output/io.js';

export async function controlClient(settings: Settings): Promise<{ client: SandboxControlClient; url: string }> {
  const credentials = await ingoCredentials(settings);
  const { SandboxControlClient } = await import('@notifykit/sandbox');
  return {
    url: credentials.baseUrl,
    client: new SandboxControlClient({
      baseUrl: credentials.baseUrl,
      username: credentials.username,
      secret: credentials.secret,
    }),
  };
}

/** Runs one control call; a refusal or an unreachable sandbox is a CliError that says which. */
export async function control<T>(settings: Settings, call: (client: SandboxControlClient) => Promise<T>): Promise<T> {
  const { client, url } = await controlClient(settings);
  try {
    return await call(client);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause !== undefined || (error as Error).message === 'fetch failed') {
      throw new CliError(
        `cannot reach the sandbox at ${url} (${cause ?? 'fetch failed'})`,
        'start it with `notifykit sandbox start` (or `npm start`), or set INGO_BASE_URL / --ingo-base-url',
      );
    }
    throw new CliError((error as Error).message, 'see `notifykit sandbox --help` and packages/sandbox/README.md');
  }
}

export async function redeliver(io: CliIO, settings: Settings, eventId: string, json: boolean): Promise<void> {
  const result = await control(settings, (c) => c.redeliver(eventId));
  if (json) return printJson(io, result);
  io.out(`event ${eventId} queued for delivery again to ${String(result.url)}`);
}
