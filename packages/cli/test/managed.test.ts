// Managed Parties (v4) from the command line, as the real binary against a real sandbox process and a
// real server process (the support of commands.test.ts). The sandbox runs at --speed 0: the test moves
// its clock one virtual second at a time, so the approvals hold of `+slowapprove` is seen for certain.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../sandbox/test/support/wait-for.js';
import { allOutput, expectOneErrorLine, jsonOf, runCli } from './support/cli-process.js';
import { type CliStack, startCliStack } from './support/cli-stack.js';

vi.setConfig({ testTimeout: 240_000 });

let stack: CliStack;
const cli = (args: string[]) => runCli(args, stack.env);
type View = Record<string, unknown>;
const detail = async (id: string) => jsonOf(await cli(['get', id, '--json']));

const AUTH = [
  {
    field_label: 'Last 4 SSN',
    field_order: 1,
    validation_type: 1,
    match_failure_type: 1,
    value_format: 'XXXX',
    client_provided_value: '6789',
  },
];
const managedBody = (approver: Record<string, unknown>) => ({
  amount: '300.00',
  sender: { first_name: 'Acme', last_name: 'Payroll' },
  parties: [
    {
      role: 'recipient',
      first_name: 'Jane',
      last_name: 'Doe',
      email: 'jane@example.com',
      authentication_records: AUTH,
    },
    { role: 'approver', email: 'sam@example.com', authentication_records: AUTH, ...approver },
  ],
});

/** Moves the sandbox clock one virtual second at a time until the payout's detail satisfies `done`. */
async function advanceUntil(id: string, done: (d: View) => boolean, what: string): Promise<View> {
  let last: View = {};
  await waitFor(
    async () => {
      last = await detail(id);
      if (done(last)) return true;
      await stack.control.advanceClock(1);
      return false;
    },
    { timeoutMs: 90_000, what },
  );
  return last;
}

const parties = (d: View) => d.parties as { role: string; name: string; decision: string | null }[];
const heldForApprovals = (d: View) => ((d.hold as { reasons: string[] }).reasons ?? []).includes('approvals');

beforeAll(async () => {
  stack = await startCliStack({ speed: 0 });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('Managed Parties (v4) through the server', () => {
  it('stage --file with parties: the server stages it as is; get shows the approver; --direct is refused', async () => {
    const file = `${stack.dir}/managed.json`;
    writeFileSync(file, JSON.stringify(managedBody({ first_name: 'Sam', last_name: 'Lee' })));
    const staged = jsonOf(await cli(['stage', '--file', file, '--participant-unique-id1', 'cli-v4-1', '--json']));
    expect(staged).toMatchObject({ via: 'server', participant_unique_id1: 'cli-v4-1', replayed: false });
    expect(staged.disbursement).toMatchObject({ kind: 'managed', amount: '300.00' });
    const id = String(staged.disbursement_id);

    const json = await detail(id);
    expect(parties(json).map((p) => [p.role, p.name])).toEqual([
      ['recipient', 'Jane Doe'],
      ['approver', 'Sam Lee'],
    ]);
    expect(json.approvals).toMatchObject({ required: 1, approved: 0, declined: 0, complete: false });

    const human = await cli(['get', id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('approvals: 0/1 approved, 0 declined');
    expect(human.stdout).toMatch(/ROLE\s+NAME\s+PROGRESS\s+DECISION\s+DECIDED/);
    expect(human.stdout).toMatch(/approver\s+Sam Lee\s+\S+\s+-/);
    expect(human.stdout).not.toContain('6789');

    const direct = await cli(['stage', '--file', file, '--direct']);
    expect(direct.code).toBe(2);
    expectOneErrorLine(direct.stderr, /--direct stages Ingo v3 payouts only.*hint: drop --direct/);
    const v3Flag = await cli(['stage', '--file', file, '--email', 'x@example.com']);
    expect(v3Flag.code).toBe(2);
    expectOneErrorLine(v3Flag.stderr, /Managed Parties \(v4\) payout: --email cannot apply to it/);
  });

  it("an invalid v4 file is the server's 422 naming the REST field", async () => {
    const file = `${stack.dir}/managed-invalid.json`;
    writeFileSync(file, JSON.stringify(managedBody({ last_name: 'Lee' })));
    const result = await cli(['stage', '--file', file]);
    expect(result.code).toBe(1);
    expectOneErrorLine(result.stderr, /server answered 422 validation_failed: .*parties\.1\.first_name/);
  });

  it('trigger slowapprove: held for approvals (list --hold approvals), then approved and funded', async () => {
    const staged = jsonOf(await cli(['trigger', 'slowapprove', '--json']));
    expect(staged.disbursement).toMatchObject({ kind: 'managed' });
    const id = String(staged.disbursement_id);

    await advanceUntil(id, heldForApprovals, 'the approvals hold');
    const held = jsonOf<{ data: View[] }>(await cli(['list', '--hold', 'approvals', '--json']));
    expect(held.data.map((d) => d.id)).toContain(id);
    const table = await cli(['list', '--hold', 'approvals']);
    expect(table.stdout).toContain(id);

    const funded = await advanceUntil(id, (d) => d.status === 'funded', 'funded');
    expect(parties(funded).find((p) => p.role === 'approver')?.decision).toBe('approved');
    const afterwards = jsonOf<{ data: View[] }>(await cli(['list', '--hold', 'approvals', '--json']));
    expect(afterwards.data.map((d) => d.id)).not.toContain(id);
    const human = await cli(['get', id]);
    expect(human.stdout).toContain('approvals: 1/1 approved, 0 declined, complete');
    expect(human.stdout).toMatch(/approver\s+Sam Lee\s+authenticated\s+approved\s+\d{4}-/);
  });

  it('trigger decline: the approver declines and the payout fails; --direct is refused', async () => {
    const staged = jsonOf(await cli(['trigger', 'decline', '--json']));
    const id = String(staged.disbursement_id);
    const failed = await advanceUntil(id, (d) => d.status === 'failed', 'failed');
    expect(parties(failed).find((p) => p.role === 'approver')?.decision).toBe('declined');
    const human = await cli(['get', id]);
    expect(human.stdout).toMatch(/approver\s+Sam Lee\s+\S+\s+declined/);

    const direct = await cli(['trigger', 'decline', '--direct']);
    expect(direct.code).toBe(2);
    expectOneErrorLine(direct.stderr, /--direct stages Ingo v3 payouts only/);
  });

  it('no secret of the stack appeared in any output', () => {
    const everything = allOutput.join('\n');
    expect(everything.length).toBeGreaterThan(0);
    expect(everything).not.toContain(stack.secrets.apiToken);
    expect(everything).not.toContain(stack.secrets.webhookSecret);
  });
});
