import { randomBytes } from "node:crypto";
import type { Role } from "../chat/command.js";
import { type LedgerCtx, nowIso } from "../ledger/context.js";

// Sign-in links, page sessions and the cookie secret; the only SQL on the dashboard_* tables (migrations.ts).
// Tokens are never stored: only their SHA-256 (hashToken in auth.ts), so a copy of the ledger opens no session.

/** Who a link or session belongs to. */
export interface DashboardPrincipal {
  userKey: string;
  role: Role;
}

/** Why a sign-in link was refused. */
export type LinkRefusal = "unknown" | "used" | "expired";

/** Stores a new one-time link (its token's hash) for a person, valid `minutes` from now. */
export function issueLink(ctx: LedgerCtx, tokenHash: string, who: DashboardPrincipal, minutes: number): void {
  const now = ctx.clock.now();
  ctx
    .stmt<[string, string, string, string, string]>(
      "INSERT INTO dashboard_links (token_hash, user_key, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .run(tokenHash, who.userKey, who.role, now.toISOString(), new Date(now.getTime() + minutes * 60_000).toISOString());
}

/** Uses a link once: the person it was made for, or why it is refused (already used, expired, never issued). */
export function consumeLink(ctx: LedgerCtx, tokenHash: string): DashboardPrincipal | { refused: LinkRefusal } {
  const now = nowIso(ctx);
  const row = ctx
    .stmt<[string, string, string], { user_key: string; role: Role }>(
      "UPDATE dashboard_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_key, role",
    )
    .get(now, tokenHash, now);
  if (row) return { userKey: row.user_key, role: row.role };
  const seen = ctx
    .stmt<[string], { used_at: string | null }>("SELECT used_at FROM dashboard_links WHERE token_hash = ?")
    .get(tokenHash);
  return { refused: !seen ? "unknown" : seen.used_at ? "used" : "expired" };
}

/** Opens a session (its token's hash) for `hours`. */
export function createSession(ctx: LedgerCtx, tokenHash: string, who: DashboardPrincipal, hours: number): void {
  const now = ctx.clock.now();
  ctx
    .stmt<[string, string, string, string, string]>(
      "INSERT INTO dashboard_sessions (token_hash, user_key, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .run(
      tokenHash,
      who.userKey,
      who.role,
      now.toISOString(),
      new Date(now.getTime() + hours * 3_600_000).toISOString(),
    );
}

/** The live session with this token hash: not revoked and not expired. */
export function findSession(ctx: LedgerCtx, tokenHash: string): DashboardPrincipal | undefined {
  const row = ctx
    .stmt<[string, string], { user_key: string; role: Role }>(
      "SELECT user_key, role FROM dashboard_sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
    )
    .get(tokenHash, nowIso(ctx));
  return row ? { userKey: row.user_key, role: row.role } : undefined;
}

/** Ends every live session of a person (and voids their unused links); returns how many sessions ended. */
export function revokeSessions(ctx: LedgerCtx, userKey: string): number {
  const now = nowIso(ctx);
  ctx
    .stmt<[string, string]>("UPDATE dashboard_links SET used_at = ? WHERE user_key = ? AND used_at IS NULL")
    .run(now, userKey);
  return ctx
    .stmt<[string, string, string]>(
      "UPDATE dashboard_sessions SET revoked_at = ? WHERE user_key = ? AND revoked_at IS NULL AND expires_at > ?",
    )
    .run(now, userKey, now).changes;
}

/** The cookie-signing secret kept in the ledger: generated on first use, the same after a restart. */
export function storedCookieSecret(ctx: LedgerCtx): string {
  ctx
    .stmt<[string]>("INSERT OR IGNORE INTO dashboard_settings (key, value) VALUES ('cookie_secret', ?)")
    .run(randomBytes(32).toString("base64url"));
  const row = ctx.stmt<[], { value: string }>("SELECT value FROM dashboard_settings WHERE key = 'cookie_secret'").get();
  if (!row) throw new Error("dashboard cookie secret missing after insert");
  return row.value;
}

/** Orders and units (order reservations) and revenue per currency (channel orders) created in [from, to). */
export function salesBetween(
  ctx: LedgerCtx,
  from: string,
  to: string,
): { orders: number; units: number; revenue: { currency: string; amountMinor: number }[] } {
  const t = ctx
    .stmt<[string, string], { orders: number; units: number | null }>(
      `SELECT COUNT(DISTINCT COALESCE(channel_id, '?') || ':' || order_id) AS orders, SUM(requested) AS units FROM reservations
       WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? AND created_at < ?`,
    )
    .get(from, to) ?? { orders: 0, units: 0 };
  const revenue = ctx
    .stmt<[string, string], { currency: string; total: number }>(
      `SELECT currency, SUM(total_minor) AS total FROM channel_orders
       WHERE total_minor IS NOT NULL AND currency IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY currency ORDER BY currency`,
    )
    .all(from, to)
    .map((r) => ({ currency: r.currency, amountMinor: r.total }));
  return { orders: t.orders, units: t.units ?? 0, revenue };
}

/** Units sold but not covered by stock that no one has resolved yet. */
export function unresolvedOversold(ctx: LedgerCtx): number {
  return (
    ctx
      .stmt<[], { short: number | null }>("SELECT SUM(shortfall) AS short FROM oversells WHERE resolved_at IS NULL")
      .get()?.short ?? 0
  );
}
