// `notifykit sign`: prints the headers and signing string for a gateway request and a ready curl
// command, so anyone can check a signature by hand against the shared vectors or debug a 401 from Ingo.
// The secret comes from INGO_SECRET (or --ingo-secret, or the profile) and is never printed.
import { type SigningAlgorithm, signRequest } from '@notifykit/sdk';
import type { Command } from 'commander';
import { usageError } from '../../cli-error.js';
import { DEFAULT_SANDBOX_URL } from '../../connection/ingo.js';
import { withSettings } from '../../connection/settings.js';
import { type CliIO, printJson, warn } from '../../output/io.js';
import { settingsOf, withExamples, withJson } from '../command-options.js';
import { bodyOf } from './request-parts.js';

/** RFC 7231's preferred date form (IMF-fixdate), what Ingo expects in X-Date. */
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

interface SignFlags {
  path: string;
  method: string;
  body?: string;
  bodyFile?: string;
  username?: string;
  algorithm: string;
  date?: string;
  baseUrl?: string;
  json?: boolean;
}

export function registerSignCommand(program: Command, io: CliIO): void {
  const command = program
    .command('sign')
    .description('sign a gateway request and print its headers, signing string and a ready curl command')
    .requiredOption('--path <path>', 'request target as sent, with query, e.g. /gateway/v3/notify')
    .option('--method <method>', 'HTTP method', 'POST')
    .option('--body <json>', 'request body, exactly as it will be sent')
    .option('--body-file <file>', 'read the body from a file (bytes are signed as they are)')
    .option('--username <username>', 'Ingo username (default INGO_USERNAME)')
    .option('--algorithm <algorithm>', 'hmac-sha512 or hmac-sha256', 'hmac-sha512')
    .option('--date <imf-fixdate>', 'X-Date to sign, e.g. "Fri, 17 Jan 2020 19:59:29 GMT" (default now)')
    .option('--base-url <url>', 'where the curl command sends it (default INGO_BASE_URL or the local sandbox)');
  withJson(withSettings(command, ['ingoSecret']));
  withExamples(command, [
    `INGO_SECRET=… notifykit sign --username dev --path /gateway/v3/notify --body '{"amount":"25.00"}'`,
    `notifykit sign --path /gateway/v3/notify --body-file payout.json --date "Fri, 17 Jan 2020 19:59:29 GMT" --json`,
  ]);
  command.action((opts: SignFlags) => {
    if (!opts.path.startsWith('/')) {
      throw usageError(
        `--path must start with "/" (got "${opts.path}")`,
        'sign the request target as sent: /gateway/v3/notify, not a URL or a bare name',
      );
    }
    const settings = settingsOf(command, io);
    const secret = settings.require('ingoSecret', 'export the signing secret as INGO_SECRET (flags show in ps)');
    const username = opts.username ?? settings.get('ingoUsername')?.value;
    if (!username) throw usageError('no username: pass --username or set INGO_USERNAME');
    if (opts.date !== undefined && !IMF_FIXDATE.test(opts.date)) {
      warn(
        io,
        `notifykit: warning: --date "${opts.date}" is not an RFC 7231 date (e.g. "Fri, 17 Jan 2020 19:59:29 GMT"): Ingo will refuse it`,
      );
    }
    const body = bodyOf(opts);
    const signed = signRequest({
      method: opts.method,
      path: opts.path,
      body,
      username,
      secret,
      algorithm: opts.algorithm as SigningAlgorithm,
      ...(opts.date === undefined ? {} : { date: opts.date }),
    });
    const baseUrl = (opts.baseUrl ?? settings.get('ingoBaseUrl')?.value ?? DEFAULT_SANDBOX_URL).replace(/\/+$/, '');
    const data =
      opts.bodyFile !== undefined
        ? `--data-binary @${shellQuote(opts.bodyFile)}`
        : `--data-binary ${shellQuote(String(body))}`;
    const curl = [
      `curl -sS -X ${opts.method.toUpperCase()} ${shellQuote(baseUrl + opts.path)}`,
      ...Object.entries(signed.headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
      ...(String(body) === '' && opts.bodyFile === undefined ? [] : [data]),
    ].join(' \\\n  ');
    if (opts.json) return printJson(io, { headers: signed.headers, signing_string: signed.signingString, curl });
    for (const [name, value] of Object.entries(signed.headers)) io.out(`${name}: ${value}`);
    io.out('');
    io.out(signed.signingString);
    io.out('');
    io.out(curl);
  });
}
