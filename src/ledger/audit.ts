import { type LedgerCtx, nowIso } from "./context.js";

/** One audit entry: who did what, when, and how it ended. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  transport: string;
  action: string;
  args: string;
  outcome: string;
  requestId: string;
  detail: string | null;
}

/** Appends an audit entry (every command, button press and money action). */
export function recordAudit(
  ctx: LedgerCtx,
  e: Omit<AuditEntry, "id" | "at" | "detail"> & { detail?: string | Record<string, unknown> | null },
): void {
  const detail =
    e.detail === undefined || e.detail === null
      ? null
      : typeof e.detail === "string"
        ? e.detail
        : JSON.stringify(e.detail);
  ctx
    .stmt(
      "INSERT INTO audit (at, actor, transport, action, args, outcome, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      nowIso(ctx),
      e.actor,
      e.transport,
      e.action,
      ctx.redact(e.args).slice(0, 1000),
      e.outcome,
      e.requestId,
      detail === null ? null : ctx.redact(detail),
    );
}

/** The newest audit entries, optionally for one action, newest first. */
export function recentAudit(ctx: LedgerCtx, opts: { limit?: number; action?: string } = {}): AuditEntry[] {
  return ctx
    .stmt<
      [string | null, string | null, number],
      {
        id: number;
        at: string;
        actor: string;
        transport: string;
        action: string;
        args: string;
        outcome: string;
        request_id: string;
        detail: string | null;
      }
    >("SELECT * FROM audit WHERE (? IS NULL OR action = ?) ORDER BY id DESC LIMIT ?")
    .all(opts.action ?? null, opts.action ?? null, opts.limit ?? 50)
    .map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      transport: r.transport,
      action: r.action,
      args: r.args,
      outcome: r.outcome,
      requestId: r.request_id,
      detail: r.detail,
    }));
}
