import { ConflictError, NotFoundError } from "../errors.js";
import { english, localized } from "../i18n/errors.js";
import { isTextRef, type TextRef, textRef } from "../i18n/ref.js";
import { type LedgerCtx, noteAlertChange, nowIso } from "./context.js";
import type { Alert, AlertButton, Severity, StockLevel } from "./rows.js";

interface AlertRow {
  id: number;
  kind: string;
  subject: string;
  severity: Severity;
  text: string;
  message: string | null;
  buttons: string;
  status: Alert["status"];
  raised_at: string;
  last_raised_at: string;
  raise_count: number;
  sent_count: number;
  last_sent_at: string | null;
  snoozed_until: string | null;
  acked_by: string | null;
  acked_at: string | null;
  resolved_at: string | null;
}

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  kind: r.kind,
  subject: r.subject,
  severity: r.severity,
  text: r.text,
  message: parseMessage(r.message),
  buttons: JSON.parse(r.buttons) as Alert["buttons"],
  status: r.status,
  raisedAt: r.raised_at,
  lastRaisedAt: r.last_raised_at,
  raiseCount: r.raise_count,
  sentCount: r.sent_count,
  lastSentAt: r.last_sent_at,
  snoozedUntil: r.snoozed_until,
  ackedBy: r.acked_by,
  ackedAt: r.acked_at,
  resolvedAt: r.resolved_at,
});

function parseMessage(raw: string | null): TextRef | null {
  if (raw === null) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return isTextRef(v) ? v : null;
  } catch {
    return null;
  }
}

/** What raising an alert needs. (kind, subject) identifies the problem: raising it again updates, never duplicates. */
export interface AlertInput {
  kind: string;
  subject: string;
  severity: Severity;
  /** Plain text, for alerts not yet in the catalog; give `message` instead and the English is derived from it. */
  text?: string;
  /** The text as a catalog message: each chat reads it in its own language. */
  message?: TextRef;
  /** Extra action buttons besides Ack / Snooze, e.g. { label: "Delist", labelId: "button-delist", action: "/delist A-12 all" }. */
  buttons?: AlertButton[];
  /**
   * Announce a fact that does not change once (a refund already seen on a poll): nothing happens when an alert of this
   * kind and subject exists at all, live or resolved, so each poll that sees it again neither refreshes nor re-raises it.
   */
  once?: boolean;
}

/** Raises (or refreshes) the live alert for (kind, subject); returns it and whether it is new. */
export function raiseAlert(ctx: LedgerCtx, a: AlertInput): { alert: Alert; isNew: boolean } {
  const at = nowIso(ctx);
  if (a.once) {
    const seen = ctx
      .stmt<[string, string], { id: number }>("SELECT id FROM alerts WHERE kind = ? AND subject = ? LIMIT 1")
      .get(a.kind, a.subject);
    if (seen) return { alert: getAlert(ctx, seen.id), isNew: false };
  }
  const text = ctx.redact(a.message ? english(a.message) : (a.text ?? ""));
  const message = a.message ? ctx.redact(JSON.stringify(a.message)) : null;
  const existing = ctx
    .stmt<[string, string], AlertRow>("SELECT * FROM alerts WHERE kind = ? AND subject = ? AND status != 'resolved'")
    .get(a.kind, a.subject);
  if (existing) {
    ctx
      .stmt(
        "UPDATE alerts SET text = ?, message = ?, severity = ?, buttons = ?, last_raised_at = ?, raise_count = raise_count + 1 WHERE id = ?",
      )
      .run(text, message, a.severity, JSON.stringify(a.buttons ?? []), at, existing.id);
    noteAlertChange(ctx);
    return { alert: getAlert(ctx, existing.id), isNew: false };
  }
  const info = ctx
    .stmt(
      `INSERT INTO alerts (kind, subject, severity, text, message, buttons, status, raised_at, last_raised_at)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    )
    .run(a.kind, a.subject, a.severity, text, message, JSON.stringify(a.buttons ?? []), at, at);
  noteAlertChange(ctx);
  return { alert: getAlert(ctx, Number(info.lastInsertRowid)), isNew: true };
}

/** Resolves the live alert for (kind, subject), if any (the problem went away). */
export function resolveAlert(ctx: LedgerCtx, kind: string, subject: string): boolean {
  const { changes } = ctx
    .stmt(
      "UPDATE alerts SET status = 'resolved', resolved_at = ? WHERE kind = ? AND subject = ? AND status != 'resolved'",
    )
    .run(nowIso(ctx), kind, subject);
  if (changes > 0) noteAlertChange(ctx);
  return changes > 0;
}

/** One alert by id; NotFoundError otherwise. */
export function getAlert(ctx: LedgerCtx, id: number): Alert {
  const r = ctx.stmt<[number], AlertRow>("SELECT * FROM alerts WHERE id = ?").get(id);
  if (!r) throw localized(NotFoundError, "unknown_alert", textRef("err-alert-unknown", { id: String(id) }), { id });
  return toAlert(r);
}

/** Live (open or acknowledged) alerts, critical first, newest first. */
export function liveAlerts(ctx: LedgerCtx, limit = 50): Alert[] {
  return ctx
    .stmt<[number], AlertRow>(
      `SELECT * FROM alerts WHERE status != 'resolved'
       ORDER BY status = 'acked', CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id DESC LIMIT ?`,
    )
    .all(limit)
    .map(toAlert);
}

/** Acknowledges an alert: it stops being re-sent. Acknowledging twice is a no-op that says who did it first. */
export function ackAlert(ctx: LedgerCtx, id: number, actor: string): { alert: Alert; wasAlreadyAcked: boolean } {
  const a = getAlert(ctx, id);
  if (a.status === "resolved")
    throw localized(ConflictError, "alert_resolved", textRef("err-alert-resolved-ack", { id: String(id) }), { id });
  if (a.status === "acked") return { alert: a, wasAlreadyAcked: true };
  ctx
    .stmt("UPDATE alerts SET status = 'acked', acked_by = ?, acked_at = ? WHERE id = ? AND status = 'open'")
    .run(actor, nowIso(ctx), id);
  noteAlertChange(ctx);
  return { alert: getAlert(ctx, id), wasAlreadyAcked: false };
}

/** Snoozes an alert until `until`; it is sent again then if still open. */
export function snoozeAlert(ctx: LedgerCtx, id: number, until: Date): Alert {
  const a = getAlert(ctx, id);
  if (a.status === "resolved")
    throw localized(ConflictError, "alert_resolved", textRef("err-alert-resolved-snooze", { id: String(id) }), { id });
  ctx.stmt("UPDATE alerts SET snoozed_until = ? WHERE id = ?").run(until.toISOString(), id);
  noteAlertChange(ctx);
  return getAlert(ctx, id);
}

/**
 * Alerts to send now: open, not snoozed, and either never sent, or critical and last sent more than
 * `resendMinutes` ago, or back from a snooze.
 */
export function dueAlerts(ctx: LedgerCtx, resendMinutes: number): Alert[] {
  const now = ctx.clock.now();
  const nowS = now.toISOString();
  const resendBefore = new Date(now.getTime() - resendMinutes * 60_000).toISOString();
  return ctx
    .stmt<[string, string, string], AlertRow>(
      `SELECT * FROM alerts WHERE status = 'open' AND (snoozed_until IS NULL OR snoozed_until <= ?)
       AND (sent_count = 0
            OR (severity = 'critical' AND last_sent_at <= ?)
            OR (snoozed_until IS NOT NULL AND last_sent_at < snoozed_until AND snoozed_until <= ?))
       ORDER BY id`,
    )
    .all(nowS, resendBefore, nowS)
    .map(toAlert);
}

/** Marks an alert as sent now. */
export function markAlertSent(ctx: LedgerCtx, id: number): void {
  ctx.stmt("UPDATE alerts SET sent_count = sent_count + 1, last_sent_at = ? WHERE id = ?").run(nowIso(ctx), id);
}

/** What the low-stock policy does now, as the alert says it. */
function lowStockAction(ctx: LedgerCtx, available: number): TextRef {
  return ctx.settings.lowStockAction === "delist"
    ? textRef("alert-low-stock-delist")
    : ctx.settings.lowStockAction === "split"
      ? textRef("alert-low-stock-split")
      : available <= 0
        ? textRef("alert-low-stock-zero")
        : textRef("alert-low-stock-cap", { cap: Math.min(ctx.settings.lowStockCap, available) });
}

/** Raises the low-stock alert when available falls to the threshold, and resolves it when stock comes back. */
export function checkLowStock(ctx: LedgerCtx, before: StockLevel, after: StockLevel): void {
  const threshold = after.lowThreshold ?? ctx.settings.lowStockThreshold;
  const wasLow = before.available <= threshold;
  const isLow = after.available <= threshold;
  if (isLow && !wasLow) {
    raiseAlert(ctx, {
      kind: "low_stock",
      subject: after.sku,
      severity: "warning",
      message: textRef("alert-low-stock", {
        sku: after.sku,
        available: after.available,
        threshold,
        action: { ref: lowStockAction(ctx, after.available) },
      }),
      buttons: [{ label: "Why", labelId: "button-why", action: `/why ${after.sku}` }],
    });
  } else if (!isLow && wasLow) {
    resolveAlert(ctx, "low_stock", after.sku);
  }
}

/** A bundle's available before and after one component moved, with the component that binds it after. */
export interface BundleLevelChange {
  bundle: string;
  /** The bundle's own low-stock line (its SKU row), null for the configured default. */
  lowThreshold: number | null;
  before: number;
  after: number;
  binding: { component: string; available: number; qty: number };
}

/**
 * The same low-stock rule for a bundle: when a component's move takes the bundle's available to or below its line,
 * one alert names the bundle and the component that binds it; it resolves when the bundle is above the line again.
 */
export function checkBundleLowStock(ctx: LedgerCtx, c: BundleLevelChange): void {
  const threshold = c.lowThreshold ?? ctx.settings.lowStockThreshold;
  const wasLow = c.before <= threshold;
  const isLow = c.after <= threshold;
  if (isLow && !wasLow) {
    raiseAlert(ctx, {
      kind: "low_stock",
      subject: c.bundle,
      severity: "warning",
      message: textRef("alert-bundle-low-stock", {
        sku: c.bundle,
        available: c.after,
        threshold,
        binding: c.binding.component,
        bindingAvailable: c.binding.available,
        qty: c.binding.qty,
        action: { ref: lowStockAction(ctx, c.after) },
      }),
      buttons: [{ label: "Why", labelId: "button-why", action: `/why ${c.bundle}` }],
    });
  } else if (!isLow && wasLow) {
    resolveAlert(ctx, "low_stock", c.bundle);
  }
}
