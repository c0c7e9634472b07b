// `notifykit sign`: prints the headers and signing string for a gateway request, so anyone can check a
// signature by hand against the shared vectors or debug a 401 from Ingo. The secret is read from the
// environment (INGO_SECRET) rather than a flag, so it never lands in shell history or `ps` output.
import { readFileSync } from 'node:fs';
import { type SigningAlgorithm, signRequest } from '@notifykit/sdk';
import type { Command } from 'commander';

export interface SignCommandIO {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
}

export function registerSignCommand(program: Command, io: SignCommandIO): void {
  program
    .command('sign')
    .description('sign a gateway request (secret from INGO_SECRET) and print its headers and signing string')
    .requiredOption('--path <path>', 'request target as sent, with query, e.g. /gateway/v3/notify')
    .option('--method <method>', 'HTTP method', 'POST')
    .option('--body <json>', 'request body, exactly as it will be sent')
    .option('--body-file <file>', 'read the body from a file (bytes are signed as they are)')
    .option('--username <username>', 'Ingo username (default INGO_USERNAME)')
    .option('--algorithm <algorithm>', 'hmac-sha512 or hmac-sha256', 'hmac-sha512')
    .option('--date <imf-fixdate>', 'X-Date to sign, e.g. "Fri, 17 Jan 2020 19:59:29 GMT" (default now)')
    .action(
      (opts: {
        path: string;
        method: string;
        body?: string;
        bodyFile?: string;
        username?: string;
        algorithm: string;
        date?: string;
      }) => {
        const secret = io.env.INGO_SECRET;
        if (!secret) throw new Error('INGO_SECRET is not set: export the signing secret in the environment');
        const username = opts.username ?? io.env.INGO_USERNAME;
        if (!username) throw new Error('no username: pass --username or set INGO_USERNAME');
        if (opts.body !== undefined && opts.bodyFile !== undefined)
          throw new Error('pass either --body or --body-file, not both');
        const body = opts.bodyFile !== undefined ? readFileSync(opts.bodyFile) : (opts.body ?? '');
        const signed = signRequest({
          method: opts.method,
          path: opts.path,
          body,
          username,
          secret,
          algorithm: opts.algorithm as SigningAlgorithm,
          ...(opts.date === undefined ? {} : { date: opts.date }),
        });
        for (const [name, value] of Object.entries(signed.headers)) io.out(`${name}: ${value}`);
        io.out('');
        io.out(signed.signingString);
      },
    );
}
