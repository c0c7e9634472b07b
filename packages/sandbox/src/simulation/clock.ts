// The virtual clock scenarios run on. It runs `speed` times faster than the wall clock (0: stands still
// until advanced) and is persisted as an anchor, so it keeps running while the sandbox is down: after a
// crash, steps that fell due in the meantime run at once, as if nothing had happened.

import type { SandboxStore } from '../store/sandbox-store.js';

interface ClockAnchor {
  /** Virtual ms at the anchor. */
  virtual: number;
  /** Wall-clock ms at the anchor. */
  real: number;
  speed: number;
}

const META_KEY = 'clock';

export class VirtualClock {
  private anchor: ClockAnchor;
  private last = 0;

  constructor(
    private readonly store: SandboxStore,
    speed: number,
    private readonly realNow: () => number = Date.now,
  ) {
    const real = realNow();
    const saved = store.getMeta(META_KEY);
    const previous = saved === undefined ? undefined : (JSON.parse(saved) as ClockAnchor);
    const virtual = previous === undefined ? real : VirtualClock.project(previous, real);
    this.anchor = { virtual, real, speed };
    this.persist();
  }

  private static project(anchor: ClockAnchor, real: number): number {
    // A wall clock stepped backwards must not move virtual time backwards.
    return anchor.virtual + Math.max(0, real - anchor.real) * anchor.speed;
  }

  get speed(): number {
    return this.anchor.speed;
  }

  /** Virtual now in ms since the epoch; never decreases. */
  now(): number {
    const value = Math.floor(VirtualClock.project(this.anchor, this.realNow()));
    if (value > this.last) this.last = value;
    return this.last;
  }

  /** Moves virtual time forward by `ms` and persists the new anchor. */
  advance(ms: number): number {
    const virtual = this.now() + ms;
    this.anchor = { virtual, real: this.realNow(), speed: this.anchor.speed };
    this.last = virtual;
    this.persist();
    return virtual;
  }

  /** Wall-clock ms until the virtual time `at`; undefined when the clock stands still (speed 0). */
  realDelayUntil(at: number): number | undefined {
    const remaining = at - this.now();
    if (remaining <= 0) return 0;
    if (this.anchor.speed === 0) return undefined;
    return Math.ceil(remaining / this.anchor.speed);
  }

  private persist(): void {
    this.store.setMeta(META_KEY, JSON.stringify(this.anchor));
  }
}

/** UTC calendar day of a virtual instant, the unit of the daily velocity limit. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
