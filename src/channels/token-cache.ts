import type { Clock } from "../clock.js";

/** An access token and how long the provider says it lives. */
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Caches one OAuth access token; concurrent callers share a single refresh. */
export interface TokenCache {
  /** A token valid for at least the safety margin, refreshing when needed. */
  get(signal?: AbortSignal): Promise<string>;
  /** Drops the cached token (after a 401/403 that may mean it was revoked or expired early). */
  invalidate(): void;
  /** How many times the provider was asked for a token (for tests and `/sync status`). */
  readonly refreshes: number;
}

/**
 * Builds a token cache around `issue` (the provider's refresh-token exchange). Tokens are renewed
 * `marginSeconds` before they expire so a long batch never starts with a token about to lapse.
 *
 * @example
 * const tokens = createTokenCache({ clock, issue: (signal) => exchangeRefreshToken(signal) });
 * headers["x-amz-access-token"] = await tokens.get(signal);
 */
export function createTokenCache(opts: { clock: Clock; issue: (signal?: AbortSignal) => Promise<IssuedToken>; marginSeconds?: number }): TokenCache {
  const margin = (opts.marginSeconds ?? 300) * 1000;
  let token: string | undefined;
  let expiresAt = 0;
  let inFlight: Promise<string> | undefined;
  let refreshes = 0;
  return {
    async get(signal) {
      if (token && opts.clock.now().getTime() < expiresAt - margin) return token;
      inFlight ??= (async () => {
        try {
          refreshes += 1;
          const t = await opts.issue(signal);
          token = t.accessToken;
          expiresAt = opts.clock.now().getTime() + t.expiresInSeconds * 1000;
          return t.accessToken;
        } finally {
          inFlight = undefined;
        }
      })();
      return inFlight;
    },
    invalidate() {
      token = undefined;
      expiresAt = 0;
    },
    get refreshes() {
      return refreshes;
    },
  };
}
