import { type LedgerCtx, nowIso } from "./context.js";

/** Claims one job slot (`name`, `slot`); false when another run (this or another process) already has it. */
export function claimJobSlot(ctx: LedgerCtx, name: string, slot: string): boolean {
  const { changes } = ctx
    .stmt("INSERT INTO job_runs (name, slot, started_at, status) VALUES (?, ?, ?, 'running') ON CONFLICT DO NOTHING")
    .run(name, slot, nowIso(ctx));
  return changes === 1;
}

/** Records how a claimed slot ended. */
export function finishJobSlot(
  ctx: LedgerCtx,
  name: string,
  slot: string,
  status: "ok" | "failed",
  report: unknown,
): void {
  ctx
    .stmt("UPDATE job_runs SET finished_at = ?, status = ?, report = ? WHERE name = ? AND slot = ?")
    .run(nowIso(ctx), status, ctx.redact(JSON.stringify(report)), name, slot);
}

/**
 * Ends as failed every scheduled slot still "running" that started before `before` (its process died mid-run);
 * manual runs (`job NAME`, slot `manual:…`) may be live in another process and are left alone. Returns how many.
 */
export function failInterruptedJobSlots(ctx: LedgerCtx, before: string): number {
  return ctx
    .stmt(
      `UPDATE job_runs SET finished_at = ?, status = 'failed', report = ?
       WHERE status = 'running' AND started_at < ? AND slot NOT LIKE 'manual:%'`,
    )
    .run(nowIso(ctx), JSON.stringify({ error: "interrupted: the process stopped during this run" }), before).changes;
}

/** The newest run of each job (for /healthz and doctor). */
export function lastJobRuns(
  ctx: LedgerCtx,
): { name: string; slot: string; startedAt: string; finishedAt: string | null; status: string }[] {
  return ctx
    .stmt<[], { name: string; slot: string; started_at: string; finished_at: string | null; status: string }>(
      `SELECT name, slot, started_at, finished_at, status FROM job_runs j
       WHERE started_at = (SELECT MAX(started_at) FROM job_runs WHERE name = j.name) ORDER BY name`,
    )
    .all()
    .map((r) => ({ name: r.name, slot: r.slot, startedAt: r.started_at, finishedAt: r.finished_at, status: r.status }));
}

/** Reads a small persistent value (cursors, breaker state, …). */
export function getKv(ctx: LedgerCtx, key: string): string | undefined {
  return ctx.stmt<[string], { value: string }>("SELECT value FROM kv WHERE key = ?").get(key)?.value;
}

/** Writes a small persistent value. */
export function setKv(ctx: LedgerCtx, key: string, value: string): void {
  ctx
    .stmt("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .run(key, value);
}

/** Stores a button action and returns its short id (what goes on the wire). */
export function storeButtonAction(ctx: LedgerCtx, action: string): string {
  const existing = ctx.stmt<[string], { id: string }>("SELECT id FROM button_actions WHERE action = ?").get(action);
  if (existing) return existing.id;
  const id = ctx.newId("b").slice(2);
  ctx.stmt("INSERT INTO button_actions (id, action, created_at) VALUES (?, ?, ?)").run(id, action, nowIso(ctx));
  return id;
}

/** The action behind a button id, or undefined for an unknown (forged or purged) id. */
export function buttonAction(ctx: LedgerCtx, id: string): string | undefined {
  return ctx.stmt<[string], { action: string }>("SELECT action FROM button_actions WHERE id = ?").get(id)?.action;
}
