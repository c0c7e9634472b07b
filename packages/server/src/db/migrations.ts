import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { DialectName } from './connection.js';
import type { DatabaseSchema } from './schema.js';

// One list of migrations for both databases. The only dialect difference is how an auto-increment
// BIGINT key is declared; everything else is portable DDL.

function migrationsFor(dialect: DialectName): Record<string, Migration> {
  const sequenceKey = (name: string) =>
    dialect === 'postgres' ? sql`${sql.id(name)} bigserial primary key` : sql`${sql.id(name)} integer primary key`;

  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('disbursements')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('participant_id', 'integer', (c) => c.notNull())
          .addColumn('participant_unique_id1', 'text', (c) => c.notNull().unique())
          .addColumn('participant_unique_id2', 'text')
          .addColumn('tracer_id', 'text', (c) => c.notNull())
          .addColumn('notification_id', 'text')
          .addColumn('amount_cents', 'bigint', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('furthest_rank', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('recipient_name', 'text', (c) => c.notNull())
          .addColumn('recipient_name_search', 'text', (c) => c.notNull())
          .addColumn('lifecycle_state', 'text', (c) => c.notNull())
          .addColumn('on_hold', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('ingo_status', 'integer')
          .addColumn('failure_code', 'text')
          .addColumn('failure_message', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('staged_at', 'bigint')
          .addColumn('funded_at', 'bigint')
          .addColumn('time_to_fund_ms', 'bigint')
          .addColumn('last_event_at', 'bigint')
          .execute();
        // Keyset pagination (newest first) with and without a status filter.
        await db.schema
          .createIndex('disbursements_created')
          .on('disbursements')
          .columns(['created_at', 'id'])
          .execute();
        await db.schema
          .createIndex('disbursements_status_created')
          .on('disbursements')
          .columns(['status', 'created_at', 'id'])
          .execute();
        await db.schema
          .createIndex('disbursements_updated')
          .on('disbursements')
          .columns(['updated_at', 'id'])
          .execute();
        await db.schema
          .createIndex('disbursements_notification')
          .on('disbursements')
          .column('notification_id')
          .execute();
        await db.schema.createIndex('disbursements_tracer').on('disbursements').column('tracer_id').execute();
        await db.schema
          .createIndex('disbursements_amount')
          .on('disbursements')
          .columns(['amount_cents', 'id'])
          .execute();
        // Covering index: per-status counts/amounts and the funnel read only this index.
        await db.schema
          .createIndex('disbursements_stats')
          .on('disbursements')
          .columns(['status', 'furthest_rank', 'amount_cents'])
          .execute();
        await db.schema
          .createIndex('disbursements_time_to_fund')
          .on('disbursements')
          .column('time_to_fund_ms')
          .execute();

        await db.schema
          .createTable('disbursement_requests')
          .addColumn('disbursement_id', 'text', (c) => c.primaryKey())
          .addColumn('request_enc', 'text', (c) => c.notNull())
          .execute();

        await sql`create table events (
          ${sequenceKey('seq')},
          metadata_id text not null unique,
          topic text not null,
          classification text not null,
          notification_id text,
          participant_unique_id1 text,
          disbursement_id text,
          event_timestamp bigint,
          received_at bigint not null,
          duplicate_count integer not null default 0,
          last_duplicate_at bigint,
          raw_payload text not null
        )`.execute(db);
        // No index by disbursement_id: every attached event has its timeline row (indexed by disbursement,
        // pointing back at the event's seq), so that index would duplicate timeline_disbursement and cost
        // every ingested webhook one more random index page in the WAL (measured: ≈ 15–30 % of a group's time).
        await db.schema.createIndex('events_notification').on('events').column('notification_id').execute();
        // Only orphans are looked up by participant_unique_id1 (to attach them); attached events, nearly all of
        // them, stay out of this index, which spares every ingested webhook one random index-page write.
        await sql`create index events_orphan_puid1 on events (participant_unique_id1) where disbursement_id is null`.execute(
          db,
        );
        await db.schema.createIndex('events_topic').on('events').columns(['topic', 'seq']).execute();

        await sql`create table timeline (
          ${sequenceKey('seq')},
          disbursement_id text not null,
          at bigint not null,
          kind text not null,
          event_seq bigint,
          status_before text,
          status_after text,
          detail text
        )`.execute(db);
        await db.schema
          .createIndex('timeline_disbursement')
          .on('timeline')
          .columns(['disbursement_id', 'seq'])
          .execute();

        await db.schema
          .createTable('outbox')
          .addColumn('disbursement_id', 'text', (c) => c.primaryKey())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('claimed_until', 'bigint')
          .addColumn('claimed_by', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('outbox_due').on('outbox').column('next_attempt_at').execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['outbox', 'timeline', 'events', 'disbursement_requests', 'disbursements']) {
          await db.schema.dropTable(table).ifExists().execute();
        }
      },
    },
    // Verified webhooks that cannot be stored as events (webhooks/quarantine.ts), kept verbatim.
    '0003_quarantine': {
      async up(db: Kysely<unknown>) {
        await sql`create table quarantined_webhooks (
          ${sequenceKey('seq')},
          body_sha256 text not null unique,
          reason text not null,
          received_at bigint not null,
          raw_payload text not null
        )`.execute(db);
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('quarantined_webhooks').ifExists().execute();
      },
    },
    // The dashboard: payouts staged and funded per day (range scans on the two times), and the list
    // sorted by amount within a status filter (keyset on (status, amount_cents, id)).
    '0004_dashboard': {
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('disbursements_staged_at').on('disbursements').column('staged_at').execute();
        await db.schema.createIndex('disbursements_funded_at').on('disbursements').column('funded_at').execute();
        await db.schema
          .createIndex('disbursements_status_amount')
          .on('disbursements')
          .columns(['status', 'amount_cents', 'id'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const index of ['disbursements_status_amount', 'disbursements_funded_at', 'disbursements_staged_at']) {
          await db.schema.dropIndex(index).ifExists().execute();
        }
      },
    },
    // Managed Parties (v4): the parties of a payout without their sensitive values (those stay in the
    // encrypted stored request): client_provided_id, role, display name and Ingo's party_id once staged.
    '0005_parties': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('disbursements').addColumn('managed_parties', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('disbursements').dropColumn('managed_parties').execute();
      },
    },
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}

export function createMigrator(db: Kysely<DatabaseSchema>, dialect: DialectName): Migrator {
  return new Migrator({ db, provider: new InCodeMigrationProvider(dialect) });
}

class MigrationFailedError extends Error {
  readonly code = 'ERR_MIGRATION';
}

/** Brings the schema to the latest version; several instances starting at once are serialized by Kysely's lock table. */
export async function migrateToLatest(db: Kysely<DatabaseSchema>, dialect: DialectName): Promise<string[]> {
  const { error, results } = await createMigrator(db, dialect).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationFailedError(
      `migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied. */
export async function migrationsComplete(db: Kysely<DatabaseSchema>, dialect: DialectName): Promise<boolean> {
  const migrations = await createMigrator(db, dialect).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
