import { manualClock, type Sleep } from "../../src/clock.js";

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
