/** The only source of "now" outside tests' control; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function manualClock(
  start: Date | string = "2026-01-01T00:00:00Z",
): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Waits for `ms` milliseconds unless `signal` aborts first; tests pass one that advances a manual clock. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Real sleep on the event loop; rejects with the signal's reason when aborted. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Timers behind a seam: the sync engine's debounce and wake timers, so tests fire them on a manual clock. */
export interface Timers {
  /** Calls `fn` once after `ms` milliseconds; the returned function cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

/** Event-loop timers (unref'd, so a pending one never holds the process open). */
export const systemTimers: Timers = {
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return () => clearTimeout(t);
  },
};
