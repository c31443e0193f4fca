import { type Clock, manualClock, type Sleep, type Timers } from "../../src/clock.js";

/** A sleep that advances `clock` instead of waiting, and records every delay it was asked for. */
export type SteppingSleep = Sleep & { calls: number[] };

/** A sleep on a manual clock: "waiting" moves the clock forward at once, so timing tests never depend on machine speed. */
export function steppingSleep(clock: ReturnType<typeof manualClock>): SteppingSleep {
  const calls: number[] = [];
  const sleep = (async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw signal.reason;
    calls.push(ms);
    clock.advance(Math.max(0, ms));
  }) as SteppingSleep;
  sleep.calls = calls;
  return sleep;
}

/** A manual clock plus a sleep that steps it: the pair every rate limiter, backoff and debounce test injects. */
export function testClock(start?: Date | string) {
  const clock = manualClock(start);
  return { clock, sleep: steppingSleep(clock) };
}

/** Timers on a manual clock: nothing fires until the test advances them, so timer tests never depend on machine speed. */
export type ManualTimers = Timers & {
  /** Timers scheduled and not yet fired or cancelled. */
  pending(): number;
  /** Moves the clock forward by `ms`, firing each timer that falls due in time order (the clock stands at its due time). */
  advance(ms: number): Promise<void>;
};

/** Manual timers driven by `clock`: `advance(ms)` steps the clock to each due timer and fires it. */
export function manualTimers(clock: ReturnType<typeof manualClock>): ManualTimers {
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    after(ms, fn) {
      const id = seq++;
      timers.set(id, { at: clock.now().getTime() + Math.max(0, ms), fn });
      return () => {
        timers.delete(id);
      };
    },
    pending: () => timers.size,
    async advance(ms) {
      const end = clock.now().getTime() + Math.max(0, ms);
      for (;;) {
        const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!next || next[1].at > end) break;
        timers.delete(next[0]);
        if (next[1].at > clock.now().getTime()) clock.set(new Date(next[1].at));
        next[1].fn();
        // Let the work the timer started take its first steps before the next one fires.
        await new Promise((r) => setImmediate(r));
      }
      if (end > clock.now().getTime()) clock.set(new Date(end));
    },
  };
}

/** A clock reading that stands at `start` until `follow(clock)`, then reads that clock: a simulator's `bucketNow` when it starts before the app whose manual clock its adapter runs on. */
export function clockFollower(start: Date | string = "2026-11-20T08:00:00Z") {
  const at = new Date(start).getTime();
  let followed: Clock | undefined;
  return {
    now: (): number => followed?.now().getTime() ?? at,
    follow(clock: Clock): void {
      followed = clock;
    },
  };
}
