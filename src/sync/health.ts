import type { Clock } from "../clock.js";
import { isDiskFull } from "../errors.js";
import { textRef } from "../i18n/ref.js";
import { reportInternalError } from "../internal-error.js";
import type { Logger } from "../log.js";
import type { SyncLedger } from "../stores.js";
import { isInternalError, UpstreamError } from "../upstream/errors.js";
import type { Backlog, ChannelHealth, LatencyStats } from "./channel-state.js";
import { describeError } from "./errors.js";

/**
 * Counts a failed call against a channel and raises the critical alert once failures reach `alertAfter`.
 * An error that is not an AppError is our bug, not the channel's: it is reported as an internal error
 * (logged with its stack when `log` is given, one alert) and leaves the channel's failure count alone.
 * A full ledger disk is neither: it is rethrown, so the pass ends and the engine reports it once (reportDiskFull).
 */
export function noteCallFailure(
  ledger: SyncLedger,
  clock: Clock,
  channelId: string,
  err: unknown,
  alertAfter: number,
  log?: Logger,
): number {
  if (isDiskFull(err)) throw err;
  if (isInternalError(err)) {
    reportInternalError({
      alerts: ledger.alerts,
      log,
      err,
      where: `the sync of ${channelId}`,
      whereRef: textRef("where-sync", { channel: channelId }),
      subject: `sync:${channelId}`,
      fields: { channelId },
    });
    return ledger.channelState.channelHealth(channelId).consecutiveFailures;
  }
  const retryAfter = err instanceof UpstreamError ? err.retryAfterSeconds : undefined;
  const throttledUntil = retryAfter ? new Date(clock.now().getTime() + retryAfter * 1000) : undefined;
  const failures = ledger.channelState.recordChannelFailure(channelId, describeError(err), throttledUntil);
  if (failures >= alertAfter) {
    ledger.alerts.raiseAlert({
      kind: "channel_failing",
      subject: channelId,
      severity: "critical",
      message: textRef("alert-channel-failing", { channel: channelId, failures, error: describeError(err) }),
      buttons: [
        { label: "Status", labelId: "button-status", action: "/sync status" },
        { label: "Pause", labelId: "button-pause", action: `/pause ${channelId}` },
      ],
    });
  }
  return failures;
}

/** Records a successful call; resolves the "channel failing" alert when it ends a run of failures. */
export function noteCallSuccess(ledger: SyncLedger, channelId: string): void {
  if (ledger.channelState.recordChannelSuccess(channelId) > 0) ledger.alerts.resolveAlert("channel_failing", channelId);
}

/** One channel's sync status, as `/sync status` and `/healthz` show it. */
export interface ChannelStatus {
  channelId: string;
  kind: string;
  health: ChannelHealth;
  backlog: Pick<Backlog, "pending" | "deferred" | "oldestEnqueuedAt" | "nextAttemptAt" | "lastError"> | null;
  latency: LatencyStats;
  /** Failing for longer than the channel's `unhealthyAfterMinutes`. */
  isUnhealthy: boolean;
}

/** Status of every configured channel. */
export function channelStatuses(
  ledger: SyncLedger,
  clock: Clock,
  channels: readonly { id: string; kind: string; unhealthyAfterMinutes: number }[],
): ChannelStatus[] {
  const backlog = new Map(ledger.channelState.backlogs().map((b) => [b.channelId as string, b]));
  const since = new Date(clock.now().getTime() - 24 * 3600_000).toISOString();
  return channels.map((c) => {
    const health = ledger.channelState.channelHealth(c.id);
    const failingFor = health.failingSince ? clock.now().getTime() - Date.parse(health.failingSince) : 0;
    return {
      channelId: c.id,
      kind: c.kind,
      health,
      backlog: backlog.get(c.id) ?? null,
      latency: ledger.channelState.pushLatency({ channelId: c.id, since }),
      isUnhealthy: health.consecutiveFailures > 0 && failingFor >= c.unhealthyAfterMinutes * 60_000,
    };
  });
}
