import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.js';

// Building and compiling a Kysely query costs more than SQLite takes to run it. The webhook hot path
// therefore builds each of its queries once, with the Kysely builder (so the SQL stays dialect-correct
// and typed), using sentinel values for the parameters, and afterwards only swaps the parameter list.

const SENTINEL = '\u0000notifykit-param:';

/** A placeholder for parameter `name`; typed loosely so it fits any column in the builder. */
export type Param = <N extends string>(name: N) => never;

export interface PreparedQuery<P extends string, R> {
  readonly sql: string;
  execute(executor: Kysely<DatabaseSchema>, params: Readonly<Record<P, unknown>>): Promise<R[]>;
}

export function prepareQuery<P extends string, R>(
  db: Kysely<DatabaseSchema>,
  build: (db: Kysely<DatabaseSchema>, param: Param) => Compilable<R>,
): PreparedQuery<P, R> {
  const param = ((name: string) => `${SENTINEL}${name}`) as Param;
  const compiled = build(db, param).compile();
  // Each compiled parameter is either a named placeholder or a constant written in the builder.
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? { name: value.slice(SENTINEL.length) as P }
      : { constant: value },
  );
  return {
    sql: compiled.sql,
    async execute(executor, params) {
      const parameters = slots.map((slot) => {
        if ('constant' in slot) return slot.constant;
        const value = params[slot.name];
        if (value === undefined) throw new Error(`prepared query is missing parameter ${slot.name}`);
        return value;
      });
      const query: CompiledQuery<R> = {
        query: compiled.query,
        queryId: compiled.queryId,
        sql: compiled.sql,
        parameters,
      };
      return (await executor.executeQuery(query)).rows;
    },
  };
}

export interface PreparedPositionalQuery<R> {
  readonly sql: string;
  execute(executor: Kysely<DatabaseSchema>, values: readonly unknown[]): Promise<R[]>;
}

/**
 * Like {@link prepareQuery} with numbered placeholders (`at(0)`, `at(1)`, …) filled from an array:
 * multi-row statements prepared once per row count, without building a name→value object per call.
 */
export function preparePositionalQuery<R>(
  db: Kysely<DatabaseSchema>,
  build: (db: Kysely<DatabaseSchema>, at: (index: number) => never) => Compilable<R>,
): PreparedPositionalQuery<R> {
  const at = ((index: number) => `${SENTINEL}${index}`) as (index: number) => never;
  const compiled = build(db, at).compile();
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? Number(value.slice(SENTINEL.length))
      : { constant: value },
  );
  return {
    sql: compiled.sql,
    async execute(executor, values) {
      const parameters = slots.map((slot) => (typeof slot === 'number' ? values[slot] : slot.constant));
      const query: CompiledQuery<R> = {
        query: compiled.query,
        queryId: compiled.queryId,
        sql: compiled.sql,
        parameters,
      };
      return (await executor.executeQuery(query)).rows;
    },
  };
}
