import type { Clock, Sleep } from "../../clock.js";
import type { Logger } from "../../log.js";

/** Longest pause between two connection attempts while a chat API is unreachable (ms). */
export const CHAT_MAX_BACKOFF_MS = 60_000;
/** While a chat API stays unreachable, the log says so at most this often (ms). */
export const CHAT_LOG_EVERY_MS = 60_000;

/** A failed attempt to reach a chat API. */
export interface ContactFailure {
  ok: false;
  /** The API answered and refused our credential: retrying cannot help. */
  isRefused: boolean;
  reason: string;
}

/** What `reconnectWithBackoff` needs: the transport's name, its contact attempt and what to do on each outcome. */
export interface ReconnectOptions<R extends ContactFailure> {
  /** `telegram` or `wecom`, as the log lines name it. */
  name: string;
  firstReason: string;
  contact: () => Promise<{ ok: true } | R>;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  signal: AbortSignal;
  /** Reached: start chat. */
  onUp: () => void;
  /** Still unreachable (not refused): record the state. */
  onDown: (r: R) => void;
  /** The credential was refused: record the state and say what to do, once. */
  onRefused: (r: R) => void;
}

/**
 * A chat API was unreachable at start-up: retries with exponential backoff (1 s, doubling, at most
 * `CHAT_MAX_BACKOFF_MS`) until it answers, refuses the credential or `signal` aborts. The log says it is
 * unreachable once at the start and then at most once per `CHAT_LOG_EVERY_MS`, so a long outage is not a flood.
 */
export async function reconnectWithBackoff<R extends ContactFailure>(o: ReconnectOptions<R>): Promise<void> {
  let delay = 1_000;
  let attempts = 1;
  let loggedAt = o.clock.now().getTime();
  o.log.warn(
    { reason: o.firstReason },
    `${o.name} unreachable; running without chat (HTTP, jobs and sync carry on) and retrying in the background`,
  );
  while (!o.signal.aborted) {
    try {
      await o.sleep(delay, o.signal);
    } catch {
      return;
    }
    delay = Math.min(delay * 2, CHAT_MAX_BACKOFF_MS);
    const r = await o.contact();
    attempts += 1;
    if (o.signal.aborted) return;
    if (r.ok) {
      o.onUp();
      o.log.info({ attempts }, `${o.name} reachable; chat started`);
      return;
    }
    if (r.isRefused) {
      o.onRefused(r);
      return;
    }
    o.onDown(r);
    if (o.clock.now().getTime() - loggedAt >= CHAT_LOG_EVERY_MS) {
      loggedAt = o.clock.now().getTime();
      o.log.warn({ attempts, reason: r.reason }, `${o.name} still unreachable; retrying`);
    }
  }
}
