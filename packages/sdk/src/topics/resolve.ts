// Resolves a received topic name to the one notifykit keys on: the legacy `gateway.` prefix, case and
// whitespace, and the quick-start dialect are folded into the catalog name here, in one place.

import {
  CATALOG_TOPIC_FOR,
  CATALOG_TOPIC_NAMES,
  type CatalogTopic,
  QUICKSTART_TOPIC_NAMES,
  type QuickstartTopic,
  type TopicDialect,
  type TopicKind,
} from './catalog.js';
import { TOPIC_INFO, type TopicInfo } from './topic-info.js';

const LEGACY_PREFIX = 'gateway.';
// Unnamed "ACH/AVS variants" of account verification (docs/ingo-contract.md §6.1) are recognized by family.
const ACCOUNT_VERIFICATION_PREFIX = 'transaction.account.verification.';

const QUICKSTART_SET: ReadonlySet<string> = new Set(QUICKSTART_TOPIC_NAMES);
const CATALOG_SET: ReadonlySet<string> = new Set(CATALOG_TOPIC_NAMES);

export interface TopicResolution {
  /** The topic exactly as received. */
  topic: string;
  /** Catalog name (or `...payment.status.approved`); for an unknown topic, the received name without `gateway.`. */
  canonicalTopic: string;
  dialect: TopicDialect;
  kind: TopicKind;
  /** Metadata when the topic is in the catalog of either dialect. */
  info: TopicInfo | undefined;
}

function stripPrefix(topic: string): string {
  return topic.startsWith(LEGACY_PREFIX) ? topic.slice(LEGACY_PREFIX.length) : topic;
}

function resolveBare(received: string, bare: string): TopicResolution | undefined {
  if (CATALOG_SET.has(bare)) {
    const info = TOPIC_INFO[bare as CatalogTopic];
    return { topic: received, canonicalTopic: bare, dialect: 'catalog', kind: info.kind, info };
  }
  if (QUICKSTART_SET.has(bare)) {
    const info = TOPIC_INFO[bare as QuickstartTopic];
    const canonical = CATALOG_TOPIC_FOR[bare as QuickstartTopic];
    return { topic: received, canonicalTopic: canonical, dialect: 'quickstart', kind: info.kind, info };
  }
  if (bare.startsWith(ACCOUNT_VERIFICATION_PREFIX) && bare.length > ACCOUNT_VERIFICATION_PREFIX.length) {
    return { topic: received, canonicalTopic: bare, dialect: 'catalog', kind: 'account_verification', info: undefined };
  }
  return undefined;
}

// Topics repeat endlessly on a busy endpoint; memoizing keeps string work off the webhook hot path.
const resolutionCache = new Map<string, TopicResolution>();
const RESOLUTION_CACHE_LIMIT = 512;

/**
 * Resolves a received topic: strips the legacy `gateway.` prefix, tolerates case and surrounding
 * whitespace, maps quick-start names to catalog names, and tells the dialect and family. Unknown topics
 * resolve to `kind: 'unknown'`; they are never an error.
 */
export function resolveTopic(topic: string): TopicResolution {
  const cached = resolutionCache.get(topic);
  if (cached !== undefined) return cached;
  const resolved = resolveBare(topic, stripPrefix(topic)) ??
    resolveBare(topic, stripPrefix(topic.trim().toLowerCase())) ?? {
      topic,
      canonicalTopic: stripPrefix(topic.trim()),
      dialect: 'unknown' as const,
      kind: 'unknown' as const,
      info: undefined,
    };
  if (resolutionCache.size < RESOLUTION_CACHE_LIMIT) resolutionCache.set(topic, Object.freeze(resolved));
  return resolved;
}

/**
 * The one name a topic has in notifykit: `gateway.` stripped, quick-start names mapped to the catalog
 * (`...notification.sent` → `...notification.status.sent`, `...authentication.complete` →
 * `...authentication.status.success`, `...payment.tokenization.complete` →
 * `transaction.account.tokenization.success`, `...payment.status.funded` → `...payment.status.success`;
 * `...payment.status.approved` has no catalog twin and stays).
 */
export function canonicalTopic(topic: string): string {
  return resolveTopic(topic).canonicalTopic;
}

/** True for a topic of either dialect (with or without `gateway.`), including account-verification variants. */
export function isKnownTopic(topic: string): boolean {
  return resolveTopic(topic).kind !== 'unknown';
}
