import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Deps } from "../deps.js";

/** The session cookie's name. */
export const SESSION_COOKIE = "sr_dash";

/** A fresh random token (32 bytes, base64url): sign-in links and sessions. */
export const newToken = (): string => randomBytes(32).toString("base64url");

/** How a token is stored: its SHA-256, hex. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** The cookie-signing secret: `dashboard.cookieSecret`, else the one generated once and kept in the ledger. */
export const cookieSecretOf = (deps: Pick<Deps, "config" | "dashboard">): string =>
  deps.config.dashboard.cookieSecret ?? deps.dashboard.storedCookieSecret();

/** The CSRF token of a session: an HMAC of its hash, so it cannot be made without the secret and dies with the session. */
export const csrfTokenOf = (secret: string, sessionHash: string): string =>
  createHmac("sha256", secret).update(`csrf:${sessionHash}`).digest("base64url");

/** True when `given` is the session's CSRF token (constant-time). */
export function isCsrfValid(secret: string, sessionHash: string, given: string | undefined): boolean {
  const want = Buffer.from(csrfTokenOf(secret, sessionHash));
  const got = Buffer.from(given ?? "");
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The address people open: `dashboard.publicUrl`, else `http.publicUrl`, else where the server listens. */
export function dashboardBase(deps: Pick<Deps, "config" | "httpUrl">): string {
  const d = deps.config.dashboard.publicUrl ?? deps.config.http.publicUrl ?? deps.httpUrl?.();
  return (d ?? `http://${deps.config.http.host}:${deps.config.http.port}`).replace(/\/+$/, "");
}

/** Issues a one-time sign-in link for a person and returns its URL (the token is only ever in the URL). */
export function issueSignInLink(
  deps: Pick<Deps, "config" | "httpUrl" | "dashboard">,
  who: Parameters<Deps["dashboard"]["issueLink"]>[1],
): string {
  const token = newToken();
  deps.dashboard.issueLink(hashToken(token), who, deps.config.dashboard.linkMinutes);
  return `${dashboardBase(deps)}/dashboard/login?t=${token}`;
}
