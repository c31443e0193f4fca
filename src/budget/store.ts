import type { LedgerCtx } from "../ledger/context.js";

// Call budgets; the only SQL on `call_budget_days` and `call_budget_waits` (src/budget/migrations.ts).

/** Counts one API call of a channel on a local day; returns the day's count after it. */
export function countCall(ctx: LedgerCtx, channelId: string, day: string): number {
  const r = ctx
    .stmt<[string, string], { calls: number }>(
      `INSERT INTO call_budget_days (channel_id, day, calls) VALUES (?, ?, 1)
       ON CONFLICT (channel_id, day) DO UPDATE SET calls = calls + 1 RETURNING calls`,
    )
    .get(channelId, day);
  return r?.calls ?? 1;
}

/** The calls a channel made on a local day. */
export function callsOn(ctx: LedgerCtx, channelId: string, day: string): number {
  return (
    ctx
      .stmt<[string, string], { calls: number }>("SELECT calls FROM call_budget_days WHERE channel_id = ? AND day = ?")
      .get(channelId, day)?.calls ?? 0
  );
}

/** Marks the day's "out of budget" alert as sent; true only the first time for that channel and day. */
export function claimOutAlert(ctx: LedgerCtx, channelId: string, day: string, at: Date): boolean {
  ctx
    .stmt("INSERT INTO call_budget_days (channel_id, day, calls) VALUES (?, ?, 0) ON CONFLICT DO NOTHING")
    .run(channelId, day);
  return (
    ctx
      .stmt("UPDATE call_budget_days SET alerted_at = ? WHERE channel_id = ? AND day = ? AND alerted_at IS NULL")
      .run(at.toISOString(), channelId, day).changes > 0
  );
}

/** Records that a SKU's change on a channel waits for the budget until `until` (keeps the first `since`). */
export function noteWait(ctx: LedgerCtx, channelId: string, sku: string, since: string, until: Date): void {
  ctx
    .stmt(
      `INSERT INTO call_budget_waits (channel_id, sku, since, until) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel_id, sku) DO UPDATE SET until = excluded.until`,
    )
    .run(channelId, sku, since, until.toISOString());
}

/** Forgets the waits of these SKUs on a channel (their change is going out now). */
export function clearWaits(ctx: LedgerCtx, channelId: string, skus: readonly string[]): void {
  const del = ctx.stmt("DELETE FROM call_budget_waits WHERE channel_id = ? AND sku = ?");
  for (const s of skus) del.run(channelId, s);
}

/** How many changes of a channel wait for its budget and since when the oldest waits (rows still in the outbox). */
export function waitsOf(ctx: LedgerCtx, channelId: string): { count: number; oldestSince: string | null } {
  const r = ctx
    .stmt<[string], { n: number; oldest: string | null }>(
      `SELECT COUNT(*) AS n, MIN(w.since) AS oldest FROM call_budget_waits w
       JOIN outbox o ON o.channel_id = w.channel_id AND o.sku = w.sku WHERE w.channel_id = ?`,
    )
    .get(channelId);
  return { count: r?.n ?? 0, oldestSince: r?.oldest ?? null };
}
