import type { Database } from '../../src/db/connection.js';

const TABLES = ['disbursements', 'disbursement_requests', 'events', 'timeline', 'outbox'] as const;

/** Rows per table: "nothing stored" and "nothing changed" are asserted as equal counts before and after. */
export async function rowCounts(database: Database): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = await Promise.all(
    TABLES.map(async (table) => {
      const row = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return [table, Number(row.n)] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<(typeof TABLES)[number], number>;
}
