import type { LedgerCtx } from "../ledger/context.js";

// Read-only queries for /metrics and /healthz. Tables that later migrations add (push_log, courier_calls,
// shipments) are looked up first, so the metrics work on any schema version.

const hasTable = (ctx: LedgerCtx, name: string): boolean =>
  (ctx
    .stmt<[string], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(name)?.n ?? 0) > 0;

/** One confirmed push from push_log: how long its target waited for the channel's confirmation. */
export interface ConfirmedPush {
  id: number;
  channelId: string;
  latencyMs: number;
}

/** Confirmed pushes logged after `afterId`, oldest first (metrics read them incrementally). */
export function confirmedPushesSince(ctx: LedgerCtx, afterId: number, limit = 10_000): ConfirmedPush[] {
  if (!hasTable(ctx, "push_log")) return [];
  return ctx
    .stmt<[number, number], { id: number; channel_id: string; latency_ms: number }>(
      "SELECT id, channel_id, latency_ms FROM push_log WHERE id > ? ORDER BY id LIMIT ?",
    )
    .all(afterId, limit)
    .map((r) => ({ id: r.id, channelId: r.channel_id, latencyMs: r.latency_ms }));
}

/** The newest push_log id (0 when none). */
export function lastConfirmedPushId(ctx: LedgerCtx): number {
  if (!hasTable(ctx, "push_log")) return 0;
  return ctx.stmt<[], { id: number | null }>("SELECT MAX(id) AS id FROM push_log").get()?.id ?? 0;
}

/** Pending outbox rows per channel and how long the oldest has waited (the oversell exposure right now). */
export function outboxBacklog(ctx: LedgerCtx): { channelId: string; pending: number; oldestEnqueuedAt: string }[] {
  return ctx
    .stmt<[], { channel_id: string; pending: number; oldest: string }>(
      "SELECT channel_id, COUNT(*) AS pending, MIN(first_enqueued_at) AS oldest FROM outbox GROUP BY channel_id",
    )
    .all()
    .map((r) => ({ channelId: r.channel_id, pending: r.pending, oldestEnqueuedAt: r.oldest }));
}

/** Alerts not yet resolved, by severity and status. */
export function liveAlertCounts(ctx: LedgerCtx): { severity: string; status: string; count: number }[] {
  return ctx
    .stmt<[], { severity: string; status: string; n: number }>(
      "SELECT severity, status, COUNT(*) AS n FROM alerts WHERE status != 'resolved' GROUP BY severity, status",
    )
    .all()
    .map((r) => ({ severity: r.severity, status: r.status, count: r.n }));
}

/** Oversold order lines and units, all time and still unresolved. */
export function oversellTotals(ctx: LedgerCtx): { lines: number; units: number; openLines: number } {
  const r = ctx
    .stmt<[], { lines: number; units: number | null; open: number | null }>(
      "SELECT COUNT(*) AS lines, SUM(shortfall) AS units, SUM(resolved_at IS NULL) AS open FROM oversells",
    )
    .get() ?? { lines: 0, units: null, open: null };
  return { lines: r.lines, units: r.units ?? 0, openLines: r.open ?? 0 };
}

/** Courier API calls per provider on one provider day (`YYYY-MM-DD`); empty before the logistics migration. */
export function courierCallsOn(ctx: LedgerCtx, day: string): { provider: string; calls: number }[] {
  if (!hasTable(ctx, "courier_calls")) return [];
  return ctx
    .stmt<[string], { provider: string; calls: number }>("SELECT provider, calls FROM courier_calls WHERE day = ?")
    .all(day);
}

/** Parcels the radar still watches (not ended); undefined before the logistics migration. */
export function activeParcels(ctx: LedgerCtx): number | undefined {
  if (!hasTable(ctx, "shipments")) return undefined;
  return ctx.stmt<[], { n: number }>("SELECT COUNT(*) AS n FROM shipments WHERE ended_at IS NULL").get()?.n ?? 0;
}

/** The newest run of each job that finished ok (for "last success" gauges). */
export function lastJobSuccesses(ctx: LedgerCtx): { name: string; finishedAt: string }[] {
  return ctx
    .stmt<[], { name: string; finished_at: string }>(
      "SELECT name, MAX(finished_at) AS finished_at FROM job_runs WHERE status = 'ok' AND finished_at IS NOT NULL GROUP BY name",
    )
    .all()
    .map((r) => ({ name: r.name, finishedAt: r.finished_at }));
}

/** Copies the live ledger to `file` with SQLite's online backup API (the backup job verifies and renames it). */
export function backupTo(ctx: LedgerCtx, file: string): Promise<unknown> {
  return ctx.db.backup(file);
}
