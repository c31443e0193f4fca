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

/** Units sold per SKU (order reservations, not cancelled) created since `since`. */
export function unitsSoldSince(ctx: LedgerCtx, since: string): Map<string, number> {
  return new Map(
    ctx
      .stmt<[string], { sku: string; units: number }>(
        `SELECT sku, SUM(requested) AS units FROM reservations
         WHERE kind = 'order' AND status != 'cancelled' AND created_at >= ? GROUP BY sku`,
      )
      .all(since)
      .map((r) => [r.sku, r.units]),
  );
}

/** One decided money request (a refund or a price change) for the Money page's history. */
export interface MoneyDecision {
  kind: "refund" | "price";
  id: string;
  /** The order (refund) or the SKU and channel (price change). */
  subject: string;
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: string;
  /** A refund's amount, or a price change's new price (`old` its price before). */
  amount: { amountMinor: number; currency: string };
  old: { amountMinor: number; currency: string } | undefined;
  /** The request's state now (approved, rejected, executed, failed). */
  state: string;
  rejectReason: string | null;
}

/** Refunds and price changes decided since `since`, newest first (at most `limit`). */
export function moneyDecisionsSince(ctx: LedgerCtx, since: string, limit = 200): MoneyDecision[] {
  const refunds = ctx
    .stmt<
      [string, number],
      {
        id: string;
        channel_id: string;
        order_id: string;
        amount_minor: number;
        currency: string;
        requested_by: string;
        decided_by: string | null;
        decided_at: string;
        state: string;
        reject_reason: string | null;
      }
    >(
      `SELECT id, channel_id, order_id, amount_minor, currency, requested_by, decided_by, decided_at, state, reject_reason
       FROM refunds WHERE decided_at IS NOT NULL AND decided_at >= ? ORDER BY decided_at DESC LIMIT ?`,
    )
    .all(since, limit)
    .map(
      (r): MoneyDecision => ({
        kind: "refund",
        id: r.id,
        subject: `${r.channel_id}:${r.order_id}`,
        requestedBy: r.requested_by,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
        amount: { amountMinor: r.amount_minor, currency: r.currency },
        old: undefined,
        state: r.state,
        rejectReason: r.reject_reason,
      }),
    );
  const prices = ctx
    .stmt<
      [string, number],
      {
        id: number;
        sku: string;
        channel_id: string;
        old_minor: number | null;
        new_minor: number;
        currency: string;
        requested_by: string;
        decided_by: string | null;
        decided_at: string;
        state: string;
        reject_reason: string | null;
      }
    >(
      `SELECT id, sku, channel_id, old_minor, new_minor, currency, requested_by, decided_by, decided_at, state, reject_reason
       FROM price_requests WHERE decided_at IS NOT NULL AND decided_at >= ? ORDER BY decided_at DESC LIMIT ?`,
    )
    .all(since, limit)
    .map(
      (r): MoneyDecision => ({
        kind: "price",
        id: String(r.id),
        subject: r.channel_id ? `${r.sku} · ${r.channel_id}` : r.sku,
        requestedBy: r.requested_by,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
        amount: { amountMinor: r.new_minor, currency: r.currency },
        old: r.old_minor === null ? undefined : { amountMinor: r.old_minor, currency: r.currency },
        state: r.state,
        rejectReason: r.reject_reason,
      }),
    );
  return [...refunds, ...prices].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt)).slice(0, limit);
}
