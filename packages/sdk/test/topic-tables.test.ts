// Three features keep a table keyed by canonical topic: its metadata (topics/topic-info.ts), its
// lifecycle rule (lifecycle/topic-rules.ts) and its details parser (webhooks/details.ts). Their types
// already refuse a missing topic or a parser of the wrong family; this checks the same at runtime, so
// a table widened with a cast or rebuilt from data still cannot drift.

import { describe, expect, it } from 'vitest';
import { classifyTopic, LIFECYCLE_TOPICS } from '../src/lifecycle/topic-rules.js';
import {
  CATALOG_TOPIC_FOR,
  CATALOG_TOPIC_NAMES,
  type CanonicalTopic,
  QUICKSTART_TOPIC_NAMES,
  QUICKSTART_TOPICS,
  type TopicKind,
} from '../src/topics/catalog.js';
import { canonicalTopic } from '../src/topics/resolve.js';
import { TOPIC_INFO } from '../src/topics/topic-info.js';
import { DETAIL_PARSERS } from '../src/webhooks/details.js';
import type { WebhookEventDetailsByKind } from '../src/webhooks/event.js';
import { parseWebhookEvent } from '../src/webhooks/normalize.js';
import { ingoPayload } from './support/ingo-event-factory.js';

/** The canonical topics: the catalog, plus the one quick-start name without a catalog twin. */
const CANONICAL: readonly CanonicalTopic[] = [...CATALOG_TOPIC_NAMES, QUICKSTART_TOPICS.paymentApproved];
const sorted = (names: Iterable<string>) => [...names].sort();

/** The fields of each family's details, so a parser of another family is told apart at runtime too. */
const DETAIL_FIELDS: { [K in Exclude<TopicKind, 'unknown'>]: readonly (keyof WebhookEventDetailsByKind[K])[] } = {
  notification: ['audience', 'state'],
  authentication: [
    'audience',
    'outcome',
    'attemptCount',
    'maxAttempts',
    'hasPassed',
    'wasSkipped',
    'fieldResults',
    'hardMismatch',
  ],
  otac: ['step', 'attemptCount', 'maxAttempts'],
  verification: ['check', 'outcome', 'softFailure'],
  account_verification: ['method', 'outcome', 'reason', 'attemptCount', 'maxAttempts'],
  tokenization: ['customerAccountToken', 'accountType', 'accountId', 'issuers'],
  approval: ['step'],
  payment: ['outcome', 'accountId', 'reasonCode'],
  check: ['step', 'checkNumber', 'checkAmount', 'reasonCode', 'reasonDescription'],
  disbursement: ['outcome', 'reasonCode'],
};

describe('per-topic tables', () => {
  it('every known topic resolves to a canonical topic, and every canonical topic is reached', () => {
    const reached = new Set([...CATALOG_TOPIC_NAMES, ...QUICKSTART_TOPIC_NAMES].map(canonicalTopic));
    expect(sorted(reached)).toEqual(sorted(CANONICAL));
    for (const target of Object.values(CATALOG_TOPIC_FOR)) expect(CANONICAL).toContain(target);
  });

  it('metadata, lifecycle rules and details parsers cover exactly the canonical topics', () => {
    for (const topic of CANONICAL) expect(TOPIC_INFO[topic], topic).toBeDefined();
    expect(sorted(LIFECYCLE_TOPICS)).toEqual(sorted(CANONICAL));
    expect(sorted(Object.keys(DETAIL_PARSERS))).toEqual(sorted(CANONICAL));
  });

  it.each(CANONICAL)('%s: a rule, and a parser of the family its metadata names', (topic) => {
    const info = TOPIC_INFO[topic];
    expect(classifyTopic(topic).effect).not.toBe('unknown');
    const event = parseWebhookEvent(ingoPayload({ topic }));
    expect(event.kind).toBe(info.kind);
    expect(event.canonicalTopic).toBe(topic);
    // The table's parser is the one normalization ran, and it reads this family's details.
    expect(sorted(Object.keys(event.details))).toEqual(sorted(DETAIL_FIELDS[info.kind] as readonly string[]));
    const parse = DETAIL_PARSERS[topic] as (event: Record<string, unknown>, canonical: string) => unknown;
    const raw = event.raw as { data: { event: Record<string, unknown> } };
    expect(parse(raw.data.event, topic)).toEqual(event.details);
  });
});
