import { describe, expect, it } from 'vitest';
import { signingVectorFile } from '../../../../sdk/test/support/signing-vectors.js';
import { buildProgram } from '../../program.js';

const { vectors } = signingVectorFile;

async function run(args: string[], env: Record<string, string>) {
  const lines: string[] = [];
  await buildProgram({ env, out: (l) => lines.push(l) }).parseAsync(['node', 'notifykit', ...args]);
  return lines;
}

describe('notifykit sign', () => {
  for (const v of vectors) {
    it(`reproduces the vector for ${v.path}`, async () => {
      const lines = await run(
        [
          'sign',
          '--method',
          v.method,
          '--path',
          v.path,
          '--body',
          v.body,
          '--username',
          v.username,
          '--date',
          v.x_date,
        ],
        {
          INGO_SECRET: v.secret,
        },
      );
      expect(lines).toContain(`Content-sha512: ${v.content_sha512}`);
      expect(lines.find((l) => l.startsWith('Authorization:'))).toContain(`signature="${v.signature}"`);
      expect(lines.join('\n')).not.toContain(v.secret);
    });
  }

  it('refuses to run without INGO_SECRET and says which variable is missing', async () => {
    await expect(run(['sign', '--path', '/x', '--username', 'u'], {})).rejects.toThrow(/INGO_SECRET/);
  });
});
