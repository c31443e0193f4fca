import { z } from "zod";
import { todoStatusLines } from "../src/channels/xianyu.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { SkuSchema } from "../src/ids.js";
import type { DrainReport } from "../src/sync/drainer.js";
import type { ChannelStatus } from "../src/sync/health.js";

const ago = (iso: string | null, now: Date): string => {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return s < 90
    ? `${s}s ago`
    : s < 5400
      ? `${Math.round(s / 60)}m ago`
      : s < 129_600
        ? `${Math.round(s / 3600)}h ago`
        : `${Math.round(s / 86_400)}d ago`;
};

function statusLine(s: ChannelStatus, now: Date): string {
  const h = s.health;
  const state = h.isPaused
    ? `PAUSED by ${h.pausedBy ?? "?"} ${ago(h.pausedAt, now)}`
    : s.isUnhealthy
      ? `UNHEALTHY: ${h.consecutiveFailures} failures since ${ago(h.failingSince, now)} (${h.lastError ?? "?"})`
      : h.consecutiveFailures
        ? `failing: ${h.consecutiveFailures} in a row (${h.lastError ?? "?"})`
        : "ok";
  const backlog = s.backlog
    ? `backlog ${s.backlog.pending} (oldest ${ago(s.backlog.oldestEnqueuedAt, now)}${s.backlog.deferred ? `, ${s.backlog.deferred} waiting to retry` : ""})`
    : "backlog 0";
  const latency = s.latency.count
    ? `push p50 ${s.latency.p50} ms, p95 ${s.latency.p95} ms over ${s.latency.count} pushes (24h)`
    : "no pushes in 24h";
  return `${s.channelId} (${s.kind}): ${state} · ${backlog} · last success ${ago(h.lastSuccessAt, now)} · ${latency}`;
}

function pushSummary(reports: DrainReport[]): string {
  if (!reports.length) return "No channels are configured.";
  return reports
    .map((r) =>
      r.isPaused
        ? `${r.channelId}: paused, skipped (/sync ${r.channelId} pushes anyway, /resume ${r.channelId} resumes).`
        : `${r.channelId}: ${r.confirmed} confirmed${r.deferred ? `, ${r.deferred} deferred for retry` : ""} in ${r.calls} call${r.calls === 1 ? "" : "s"}.${r.problems.length ? ` ${r.problems.slice(0, 3).join("; ")}` : ""}`,
    )
    .join("\n");
}

export default defineCommand({
  name: "sync",
  summary: msg("cmd-sync-summary"),
  aliases: { "zh-CN": ["同步"] },
  role: "operator",
  args: z.object({ target: z.string().trim().min(1).max(64).optional().describe("SKU|CHANNEL|status") }),
  examples: ["/sync", "/sync status", "/sync shop1", "/sync A-12"],
  run: async ({ target }, { deps }) => {
    const now = deps.clock.now();
    const signal = AbortSignal.timeout(10 * 60_000);
    if (target === "status") {
      const statuses = deps.sync.status();
      if (!statuses.length) return { text: "No channels are configured." };
      const todos = deps.checklist.openTodos();
      const lines = statuses.map((s) => statusLine(s, now));
      if (todos.length)
        lines.push(
          `Open Xianyu to-dos (${todos.length}), change these by hand and press Done:`,
          ...todoStatusLines(todos),
        );
      return {
        text: lines.join("\n"),
        ...(todos.length
          ? { buttons: todos.slice(0, 10).map((t) => ({ label: `Done ${t.sku}`, action: `/xianyu-done ${t.id}` })) }
          : {}),
      };
    }
    if (!target) {
      const { enqueued, reports } = await deps.sync.syncStock({ signal });
      return { text: `Queued ${enqueued} changed listing${enqueued === 1 ? "" : "s"}.\n${pushSummary(reports)}` };
    }
    if (deps.sync.channelIds().includes(target)) {
      const { enqueued, reports } = await deps.sync.syncStock({ channelId: target, full: true, manual: true, signal });
      return { text: `Full sync of ${target}: ${enqueued} listings.\n${pushSummary(reports)}` };
    }
    const sku = SkuSchema.safeParse(target);
    if (!sku.success)
      throw new InvalidInputError(
        "bad_target",
        `${target} is neither a channel (${deps.sync.channelIds().join(", ") || "none configured"}), a SKU, nor "status".`,
      );
    const { reports } = await deps.sync.resyncSku(sku.data, { signal });
    return { text: `Re-pushed ${sku.data}.\n${pushSummary(reports)}` };
  },
});
