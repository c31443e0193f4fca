import { z } from "zod";
import type { BudgetStatus } from "../src/budget/budget.js";
import { todoStatusLines } from "../src/channels/xianyu.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import type { Translator } from "../src/i18n/translator.js";
import { SkuSchema } from "../src/ids.js";
import type { DrainReport } from "../src/sync/drainer.js";
import type { ChannelStatus } from "../src/sync/health.js";

const ago = (iso: string | null, now: Date, tr: Translator): string => {
  if (!iso) return tr.t("sync-ago-never");
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return s < 90
    ? tr.t("sync-ago-s", { n: s })
    : s < 5400
      ? tr.t("sync-ago-m", { n: Math.round(s / 60) })
      : s < 129_600
        ? tr.t("sync-ago-h", { n: Math.round(s / 3600) })
        : tr.t("sync-ago-d", { n: Math.round(s / 86_400) });
};

function statusLine(s: ChannelStatus, now: Date, tr: Translator): string {
  const h = s.health;
  const state = h.isPaused
    ? tr.t("sync-state-paused", { who: h.pausedBy ?? "?", ago: ago(h.pausedAt, now, tr) })
    : s.isUnhealthy
      ? tr.t("sync-state-unhealthy", {
          failures: h.consecutiveFailures,
          since: ago(h.failingSince, now, tr),
          error: h.lastError ?? "?",
        })
      : h.consecutiveFailures
        ? tr.t("sync-state-failing", { failures: h.consecutiveFailures, error: h.lastError ?? "?" })
        : tr.t("sync-state-ok");
  const backlog = s.backlog
    ? s.backlog.deferred
      ? tr.t("sync-backlog-retry", {
          pending: s.backlog.pending,
          oldest: ago(s.backlog.oldestEnqueuedAt, now, tr),
          deferred: s.backlog.deferred,
        })
      : tr.t("sync-backlog", { pending: s.backlog.pending, oldest: ago(s.backlog.oldestEnqueuedAt, now, tr) })
    : tr.t("sync-backlog-none");
  const latency = s.latency.count
    ? tr.t("sync-latency", { p50: s.latency.p50 ?? 0, p95: s.latency.p95 ?? 0, count: s.latency.count })
    : tr.t("sync-latency-none");
  return tr.t("sync-status-line", {
    channel: s.channelId,
    kind: s.kind,
    state,
    backlog,
    success: ago(h.lastSuccessAt, now, tr),
    latency,
  });
}

function budgetLine(b: BudgetStatus, now: Date, tr: Translator): string {
  const state = b.isOut
    ? tr.t("sync-budget-out")
    : b.isTight
      ? tr.t("sync-budget-tight", { minChange: b.minChange, minutes: b.maxWaitMinutes })
      : tr.t("sync-budget-ok");
  const waiting = b.deferred
    ? tr.t("sync-budget-waiting", { count: b.deferred, oldest: ago(b.oldestSince, now, tr) })
    : tr.t("sync-budget-none-waiting");
  return tr.t("sync-budget-line", { channel: b.channelId, used: b.used, daily: b.daily, state, waiting });
}

function pushSummary(reports: DrainReport[], tr: Translator): string {
  if (!reports.length) return tr.t("sync-no-channels");
  return reports
    .map((r) => {
      if (r.isPaused) return tr.t("sync-report-paused", { channel: r.channelId });
      const problems = r.problems.length ? ` ${r.problems.slice(0, 3).join("; ")}` : "";
      const base = { channel: r.channelId, confirmed: r.confirmed, calls: r.calls, problems };
      return r.deferred ? tr.t("sync-report-deferred", { ...base, deferred: r.deferred }) : tr.t("sync-report", base);
    })
    .join("\n");
}

export default defineCommand({
  name: "sync",
  summary: msg("cmd-sync-summary"),
  aliases: { "zh-CN": ["同步"] },
  role: "operator",
  args: z.object({ target: z.string().trim().min(1).max(64).optional().describe("SKU|CHANNEL|status") }),
  examples: ["/sync", "/sync status", "/sync shop1", "/sync A-12"],
  run: async ({ target }, { deps, tr }) => {
    const now = deps.clock.now();
    const signal = AbortSignal.timeout(10 * 60_000);
    if (target === "status") {
      const statuses = deps.sync.status();
      if (!statuses.length) return { text: tr.t("sync-no-channels") };
      const todos = deps.checklist.openTodos();
      const lines = statuses.map((s) => statusLine(s, now, tr));
      for (const b of deps.sync.budgets()) lines.push(budgetLine(b, now, tr));
      if (todos.length) lines.push(tr.t("sync-todos-head", { count: todos.length }), ...todoStatusLines(todos, tr));
      return {
        text: lines.join("\n"),
        ...(todos.length
          ? {
              buttons: todos
                .slice(0, 10)
                .map((t) => ({ label: tr.t("button-todo-done", { sku: t.sku }), action: `/xianyu-done ${t.id}` })),
            }
          : {}),
      };
    }
    if (!target) {
      const { enqueued, reports } = await deps.sync.syncStock({ signal });
      return { text: `${tr.t("sync-queued", { count: enqueued })}\n${pushSummary(reports, tr)}` };
    }
    if (deps.sync.channelIds().includes(target)) {
      const { enqueued, reports } = await deps.sync.syncStock({ channelId: target, full: true, manual: true, signal });
      return { text: `${tr.t("sync-full", { channel: target, count: enqueued })}\n${pushSummary(reports, tr)}` };
    }
    const sku = SkuSchema.safeParse(target);
    if (!sku.success) {
      const channels = deps.sync.channelIds().join(", ");
      throw localized(
        InvalidInputError,
        "bad_target",
        textRef("err-sync-bad-target", {
          target,
          channels: channels || { ref: textRef("sync-none-configured") },
        }),
      );
    }
    const { reports } = await deps.sync.resyncSku(sku.data, { signal });
    return { text: `${tr.t("sync-resku", { sku: sku.data })}\n${pushSummary(reports, tr)}` };
  },
});
