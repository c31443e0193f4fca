import { type Clock, realSleep, type Sleep, systemClock } from "../clock.js";
import { formatBeijingTime, hoursBetween } from "../couriers/time.js";
import type { CourierAdapter, TrackRequest } from "../couriers/types.js";
import { must } from "../internal-error.js";
import type { Logger } from "../log.js";
import { UpstreamError } from "../upstream/errors.js";
import { ingestTracking, type RadarDeps } from "./ingest.js";
import { evaluateParcel, laneModelFor, radarSettings } from "./rules.js";
import type { Shipment } from "./store.js";

/** Spaces calls to a provider so we never exceed its requests-per-second limit. */
export interface RateLimiter {
  /** Resolves when the next call may start. */
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * A sliding-window limiter: starts are at least 1000/rate ms apart, and any `rate` consecutive starts span at
 * least one second plus `marginMs`, so the provider never sees more than `rate` requests in a second even when
 * one request travels slower than the next (connection set-up, a large body). Tests pass a manual clock and a
 * sleep that steps it.
 */
export function createRateLimiter(
  ratePerSecond: number,
  opts: { marginMs?: number; clock?: Clock; sleep?: Sleep } = {},
): RateLimiter {
  const gapMs = Math.ceil(1000 / ratePerSecond);
  const perWindow = Math.max(1, Math.floor(ratePerSecond));
  const windowMs = 1000 + (opts.marginMs ?? 150);
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? realSleep;
  const starts: number[] = [];
  return {
    async take(signal) {
      const now = clock.now().getTime();
      let at = Math.max(now, (starts[starts.length - 1] ?? -Infinity) + gapMs);
      if (starts.length >= perWindow) at = Math.max(at, (starts[starts.length - perWindow] ?? 0) + windowMs);
      starts.push(at);
      if (starts.length > perWindow) starts.shift();
      if (at > now) await sleep(at - now, signal);
    },
  };
}

/** Per-parcel backoff after a failed poll: 15 min doubling per failure, at most 12 h, and never before Retry-After. */
export function backoffAfterFailure(failures: number, now: Date, retryAfterSeconds?: number): Date {
  const ms = Math.min(15 * 60_000 * 2 ** Math.max(0, failures - 1), 12 * 3_600_000);
  return new Date(now.getTime() + Math.max(ms, (retryAfterSeconds ?? 0) * 1000));
}

/** What one courier-check run did. */
export interface CheckReport {
  changed: number;
  skipped: number;
  problems: string[];
  /** Calls made per provider (track + subscribe). */
  calls: Record<string, number>;
  alertsRaised: number;
}

const providerDay = (now: Date): string => formatBeijingTime(now).slice(0, 10);

const requestOf = (s: Shipment): TrackRequest => ({
  carrier: s.carrier,
  trackingNo: s.trackingNo,
  phone: s.phoneLast4 ?? undefined,
  destination: [s.destination.region, s.destination.city].filter(Boolean).join("") || undefined,
});

const chunk = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/**
 * The courier-check job: polls only the parcels that need it (due, not ended, not kept fresh by pushes,
 * not queried too recently), subscribes new ones for pushes, batches per provider, spaces calls under each
 * provider's rate limit and daily cap, backs off per parcel, stops at terminal states, then re-evaluates
 * every active parcel's rules (time alone can make a parcel stalled).
 */
export async function runCourierCheck(
  deps: RadarDeps,
  opts: { signal: AbortSignal; log?: Logger; limiters?: Map<string, RateLimiter> },
): Promise<CheckReport> {
  const log = opts.log ?? deps.log;
  const settings = radarSettings(deps.config);
  const report: CheckReport = { changed: 0, skipped: 0, problems: [], calls: {}, alertsRaised: 0 };
  const now = deps.clock.now();
  const { ledger, shipments } = deps;
  // Parcels whose rules already ran with fresh data in this run; the final sweep skips them.
  const evaluated = new Set<number>();

  // Parcels past the tracking horizon end here: nothing will change for them any more.
  for (const s of shipments.activeShipments()) {
    if (hoursBetween(s.shippedAt, now) > settings.maxTrackDays * 24) {
      shipments.endTracking(s.id, s.status === "DELIVERED" ? undefined : "EXPIRED");
      report.changed += 1;
    }
  }

  const byProvider = new Map<CourierAdapter, Shipment[]>();
  for (const s of shipments.dueShipments()) {
    const adapter = (s.provider ? deps.couriers.get(s.provider) : undefined) ?? deps.couriers.forCarrier(s.carrier);
    if (!adapter) {
      shipments.recordSyncFailure(
        s.id,
        `No tracking provider configured for carrier ${s.carrier}.`,
        new Date(now.getTime() + 24 * 3_600_000),
      );
      report.problems.push(`no provider for ${s.carrier} (${s.trackingNo})`);
      continue;
    }
    const list = byProvider.get(adapter) ?? [];
    list.push(s);
    byProvider.set(adapter, list);
  }

  await Promise.all(
    [...byProvider].map(async ([adapter, parcels]) => {
      const limiter = opts.limiters?.get(adapter.kind) ?? createRateLimiter(adapter.limits.ratePerSecond);
      opts.limiters?.set(adapter.kind, limiter);
      const day = providerDay(now);
      let budget =
        adapter.limits.dailyCap === undefined
          ? Infinity
          : adapter.limits.dailyCap - shipments.courierCallsOn(adapter.kind, day);
      const call = async <T>(fn: () => Promise<T>): Promise<T> => {
        await limiter.take(opts.signal);
        budget -= 1;
        shipments.countCourierCalls(adapter.kind, day, 1);
        report.calls[adapter.kind] = (report.calls[adapter.kind] ?? 0) + 1;
        return fn();
      };
      const tomorrow = () => new Date(now.getTime() + 6 * 3_600_000);

      // 1. Subscribe parcels the provider does not push for yet.
      const subscribe = adapter.subscribe?.bind(adapter);
      if (subscribe && deps.couriers.usesPush(adapter.kind)) {
        const fresh = parcels.filter((s) => s.subscribedAt === null);
        for (const batch of chunk(fresh, adapter.limits.batchSize)) {
          if (opts.signal.aborted || budget <= 0) break;
          const outcomes = await call(() => subscribe(batch.map(requestOf), opts.signal));
          for (const [i, o] of outcomes.entries()) {
            const s = must(batch[i], "one outcome per parcel");
            if (o.ok) {
              shipments.markSubscribed(s.id, adapter.kind, now);
              s.subscribedAt = now.toISOString();
            } else {
              log.warn(
                { provider: adapter.kind, trackingNo: s.trackingNo, code: o.error.code },
                "courier subscribe failed",
              );
              if (!o.retryable)
                report.problems.push(`${adapter.kind} subscribe ${s.trackingNo}: ${o.error.userMessage}`);
            }
          }
        }
      }

      // 2. Poll what needs it: not kept fresh by pushes, not queried too recently.
      const toPoll: Shipment[] = [];
      for (const s of parcels) {
        const isPushed = s.subscribedAt !== null && deps.couriers.usesPush(adapter.kind);
        if (isPushed && s.lastSyncOkAt !== null && hoursBetween(s.lastSyncOkAt, now) < settings.trackingFreshHours) {
          shipments.scheduleCheck(
            s.id,
            adapter.kind,
            new Date(new Date(s.lastSyncOkAt).getTime() + settings.trackingFreshHours * 3_600_000),
          );
          report.skipped += 1;
          continue;
        }
        if (s.lastPolledAt !== null && hoursBetween(s.lastPolledAt, now) * 60 < adapter.limits.minRequeryMinutes) {
          shipments.scheduleCheck(
            s.id,
            adapter.kind,
            new Date(new Date(s.lastPolledAt).getTime() + adapter.limits.minRequeryMinutes * 60_000),
          );
          report.skipped += 1;
          continue;
        }
        toPoll.push(s);
      }
      for (const batch of chunk(toPoll, adapter.limits.batchSize)) {
        if (opts.signal.aborted) break;
        if (budget <= 0) {
          for (const s of batch) shipments.scheduleCheck(s.id, adapter.kind, tomorrow());
          report.skipped += batch.length;
          continue;
        }
        let outcomes = await call(() => adapter.track(batch.map(requestOf), opts.signal));
        const throttled = outcomes.find((o) => !o.ok && o.error instanceof UpstreamError && o.error.status === 429);
        if (throttled && !throttled.ok && outcomes.every((o) => !o.ok) && budget > 0) {
          // The provider throttled the whole call: wait as told (or a second) and try the batch once more.
          await new Promise((r) => setTimeout(r, Math.min(30, throttled.retryAfterSeconds ?? 1) * 1000));
          outcomes = await call(() => adapter.track(batch.map(requestOf), opts.signal));
        }
        // One transaction per batch: the ledger lock is taken once per provider call, not once per parcel.
        ledger.transaction(() => {
          for (const [i, o] of outcomes.entries()) {
            const s = must(batch[i], "one outcome per parcel");
            if (o.ok) {
              const r = ingestTracking(deps, s, o.tracking, { source: adapter.kind, isPoll: true });
              if (r.newEvents > 0 || r.statusChanged) report.changed += 1;
              report.alertsRaised += r.rules.raised.length;
              evaluated.add(s.id);
            } else {
              const after = shipments.recordSyncFailure(
                s.id,
                o.error.userMessage,
                backoffAfterFailure(s.syncFailures + 1, now, o.retryAfterSeconds),
                { isPoll: true },
              );
              if (o.error.code === "upstream_not_registered") shipments.clearSubscription(s.id);
              log.warn(
                { provider: adapter.kind, trackingNo: s.trackingNo, code: o.error.code, failures: after.syncFailures },
                "courier poll failed",
              );
              if (!o.retryable) report.problems.push(`${adapter.kind} ${s.trackingNo}: ${o.error.userMessage}`);
            }
          }
        });
      }
      if (budget <= 0 && adapter.limits.dailyCap !== undefined)
        report.problems.push(`${adapter.kind}: daily cap of ${adapter.limits.dailyCap} calls reached`);
    }),
  );

  // 3. Time passing alone can make a parcel stalled or its data stale: re-evaluate every active parcel.
  const later = deps.clock.now();
  const rest = shipments.activeShipments().filter((s) => !evaluated.has(s.id));
  // One lane model for the sweep: each carrier's lanes are learned once, not once per parcel.
  const lanes = laneModelFor(deps.radarLanes, settings, later);
  for (const group of chunk(rest, 200)) {
    ledger.transaction(() => {
      for (const s of group)
        report.alertsRaised += evaluateParcel(deps, shipments.getShipment(s.id), settings, later, {
          lanes,
        }).raised.length;
    });
  }
  return report;
}
