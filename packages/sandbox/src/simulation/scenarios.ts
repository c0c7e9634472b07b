// Scenarios of the sandbox README: what the simulated recipient does next, chosen deterministically from the
// stage request so a test can aim at one. A scenario is a policy (state → next action), not a fixed
// script: after a manual control action it simply continues from wherever the disbursement now is.

import { gateOpen, nextApproverInput } from './approvals.js';
import type { MachineInput, MachineSnapshot } from './machine.js';

export const SCENARIOS = [
  'happy',
  'bounce',
  'authfail',
  'ofac',
  'check',
  'paypal',
  'idle',
  'return',
  'decline',
  'slowapprove',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

// Order matters when an address carries several tags: the first match in the table in the sandbox README wins.
const TRIGGERS: readonly (readonly [string, ScenarioName])[] = [
  ['+bounce', 'bounce'],
  ['+authfail', 'authfail'],
  ['+ofac', 'ofac'],
  ['+check', 'check'],
  ['+paypal', 'paypal'],
  ['+idle', 'idle'],
  ['+return', 'return'],
  ['+decline', 'decline'],
  ['+slowapprove', 'slowapprove'],
];

/** The scenario a recipient email selects: a tag in the local part, e.g. `alex+check@example.com`. */
export function selectScenario(email: string | null | undefined): ScenarioName {
  if (!email) return 'happy';
  const at = email.lastIndexOf('@');
  const local = (at < 0 ? email : email.slice(0, at)).toLowerCase();
  for (const [tag, scenario] of TRIGGERS) if (local.includes(tag)) return scenario;
  return 'happy';
}

/**
 * Virtual time between two recipient actions. Five steps at speed 1 complete the happy path in about
 * five seconds, as the sandbox README promises.
 */
export const STEP_DELAY_MS = 1_000;

export interface ScenarioStep {
  input: MachineInput;
  delayMs: number;
}

const step = (input: MachineInput): ScenarioStep => ({ input, delayMs: STEP_DELAY_MS });

function towardsPayment(s: MachineSnapshot, accountType: 'CA' | 'PD' | 'CK'): ScenarioStep | undefined {
  switch (s.state) {
    case 'notified':
    case 'bounced':
      return step({ action: 'open' });
    case 'viewed':
      return step({ action: 'authenticate' });
    case 'authenticated':
      return s.hold === null ? step({ action: 'choose_payment', accountType }) : undefined;
    default:
      return undefined;
  }
}

// Scenarios whose approvers (v4) act before the recipient; `slowapprove` lets the recipient finish first,
// and the failure scenarios leave the approvers waiting.
const APPROVERS_FIRST: ReadonlySet<ScenarioName> = new Set(['happy', 'check', 'paypal', 'return', 'decline']);

/** The scenario's next automatic step from this state, or undefined when it waits (for TTL or for you). */
export function nextScenarioStep(scenario: ScenarioName, s: MachineSnapshot): ScenarioStep | undefined {
  if (s.approvers.length > 0 && !gateOpen(s)) {
    const approver = nextApproverInput(s, scenario === 'decline' ? 'decline' : 'approve');
    if (approver !== undefined && APPROVERS_FIRST.has(scenario)) return step(approver);
    // slowapprove: the recipient completes first (the payment is suspended), then the approvers act.
    if (approver !== undefined && scenario === 'slowapprove' && s.hold === 'approvals') return step(approver);
  }
  return recipientStep(scenario, s);
}

function recipientStep(scenario: ScenarioName, s: MachineSnapshot): ScenarioStep | undefined {
  switch (scenario) {
    case 'idle':
      return undefined;
    case 'bounce':
      return s.state === 'notified' ? step({ action: 'bounce' }) : undefined;
    case 'authfail':
      if (s.state === 'notified' || s.state === 'bounced') return step({ action: 'open' });
      return s.state === 'viewed' ? step({ action: 'fail_authentication' }) : undefined;
    case 'ofac':
      if (s.state === 'authenticated') {
        return step({ action: s.hold === 'ofac' ? 'fail' : 'ofac_suspend' });
      }
      return towardsPayment(s, 'CA');
    case 'check':
      if (s.state === 'check_chosen') return step({ action: 'approve' });
      if (s.state === 'check_issued') return step({ action: 'fund' });
      return towardsPayment(s, 'CK');
    case 'paypal':
      if (s.state === 'claimed') return step({ action: 'fund' });
      return towardsPayment(s, 'PD');
    case 'return':
    case 'happy':
    // decline and slowapprove need approvers (v4); without any they run the happy path.
    case 'decline':
    case 'slowapprove':
      if (!gateOpen(s)) return towardsPayment(s, 'CA');
      if (s.state === 'claimed') return step({ action: 'approve' });
      if (s.state === 'approved') return step({ action: 'fund' });
      if (s.state === 'funded' && scenario === 'return') return step({ action: 'return' });
      return towardsPayment(s, 'CA');
  }
}
