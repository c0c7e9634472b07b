// Per-program settings change which stage fields Ingo requires (docs/ingo-contract.md §3 Decisions), so every
// request schema is built per set of rules, and built once per distinct set.

/** Per-program settings that change which stage fields are required (docs/ingo-contract.md §3 Decisions). */
export interface ProgramRules {
  /** The program uses one-time access codes: `authentication_records` optional, `mobile` required. */
  otac: boolean;
  /** `recipient.email` is required. */
  requireEmail: boolean;
  /** Phone numbers are 10 digits, `state` two letters, `zip` 5 digits or ZIP+4. */
  strictContact: boolean;
}

export const DEFAULT_PROGRAM_RULES: Readonly<ProgramRules> = Object.freeze({
  otac: false,
  requireEmail: true,
  strictContact: true,
});

function resolveRules(rules: Partial<ProgramRules> | undefined): ProgramRules {
  return { ...DEFAULT_PROGRAM_RULES, ...rules };
}

/** Builds a schema once per distinct set of program rules: validation runs on every call, building is slow. */
export function memoizedByRules<S>(build: (rules: ProgramRules) => S): (rules?: Partial<ProgramRules>) => S {
  const cache = new Map<string, S>();
  return (rules) => {
    const resolved = resolveRules(rules);
    const key = `${resolved.otac}|${resolved.requireEmail}|${resolved.strictContact}`;
    let schema = cache.get(key);
    if (schema === undefined) {
      schema = build(resolved);
      cache.set(key, schema);
    }
    return schema;
  };
}
