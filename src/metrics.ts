import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PushOutcome, SalesChannel } from "./channels/types.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import { createJobLagMeter, type JobLag } from "./job-lag.js";
import type { Ledger } from "./ledger/index.js";
import type { JobSpec } from "./scheduler.js";
import type { Stores } from "./stores.js";
import { UpstreamError } from "./upstream/errors.js";

/** A channel's sync state as /healthz and /metrics report it (filled from the sync engine when present). */
export interface ChannelHealthView {
  channelId: string;
  /** ok | failing | unhealthy | paused */
  state: string;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
}

/** One rate-limit or quota figure: tokens left in a channel's bucket, or a courier's daily queries left. */
export interface QuotaView {
  kind: "channel" | "courier";
  name: string;
  bucket: string;
  left: number;
  /** The bucket's size, when known. */
  capacity?: number;
  /** The provider reported what is left (false: our own estimate of a limit it does not report). */
  isReported?: boolean;
}

/** What the collectors read at scrape time; each is a function so app.ts can wire subsystems built later. */
export interface MetricSources {
  ledger: Ledger;
  /** Read-only figures over the ledger (`src/ops/store.ts`). */
  ops: Stores["ops"];
  clock: Clock;
  config: Pick<Config, "schedule" | "timezone" | "couriers">;
  jobs: readonly JobSpec[];
  channels?: () => ChannelHealthView[];
  quotas?: () => QuotaView[];
}

/** Push latencies (enqueue → confirmed) in seconds: sub-second on a healthy channel, minutes when throttled. */
const WINDOW_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];

const beijingDay = (d: Date): string => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(d);

/**
 * The Prometheus registry (prom-client) and every stockradar metric. Event counters (channel calls, push items)
 * are incremented as things happen; everything held in the ledger (backlog, alerts, oversells, job lag, courier
 * calls) is read when /metrics is scraped, so the numbers survive restarts and never drift from the ledger.
 *
 * @example
 * const metrics = createMetrics({ ledger, clock, config, jobs, channels: () => healthViews() });
 * const shop = instrumentChannel(createShopifyChannel(...), metrics);
 * reply.type(metrics.contentType).send(await metrics.render());
 */
export function createMetrics(src: MetricSources) {
  const registry = new Registry();
  const startedAt = src.clock.now();
  collectDefaultMetrics({ register: registry });
  const lagMeter = createJobLagMeter(src.jobs, src.config);

  const calls = new Counter({
    name: "stockradar_channel_calls_total",
    help: "Marketplace API calls by channel, method and outcome (ok or failed).",
    labelNames: ["channel", "method", "outcome"],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: "stockradar_channel_call_seconds",
    help: "Marketplace API call duration, including retries under the rate limiter.",
    labelNames: ["channel", "method"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const pushItems = new Counter({
    name: "stockradar_push_items_total",
    help: "Stock push items by channel and outcome: ok, conflict (channel changed first), failed (retryable), rejected.",
    labelNames: ["channel", "outcome"],
    registers: [registry],
  });
  // Registered before the window histogram: its collect reads push_log, so both are current when serialised.
  const confirmed = new Counter({
    name: "stockradar_pushes_confirmed_total",
    help: "Outbox targets the channel confirmed exactly (rows that left the outbox).",
    labelNames: ["channel"],
    registers: [registry],
    collect() {
      readConfirmedPushes();
    },
  });
  const windowHist = new Histogram({
    name: "stockradar_oversell_window_seconds",
    help: "Oversell window: time from a stock change being queued to the channel confirming it.",
    labelNames: ["channel"],
    buckets: WINDOW_BUCKETS,
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: "stockradar_http_requests_total",
    help: "Inbound HTTP requests (webhooks, courier pushes, callbacks, reservation API) by route pattern and status code.",
    labelNames: ["route", "status"],
    registers: [registry],
  });

  // Confirmed pushes are read from push_log incrementally; a fresh process starts at the newest row.
  let pushCursor = src.ops.lastConfirmedPushId();
  const readConfirmedPushes = (): void => {
    for (;;) {
      const batch = src.ops.confirmedPushesSince(pushCursor);
      for (const p of batch) {
        confirmed.inc({ channel: p.channelId });
        windowHist.observe({ channel: p.channelId }, p.latencyMs / 1000);
        pushCursor = p.id;
      }
      if (batch.length < 10_000) return;
    }
  };

  new Gauge({
    name: "stockradar_outbox_backlog",
    help: "Stock pushes waiting in the outbox, per channel.",
    labelNames: ["channel"],
    registers: [registry],
    collect() {
      this.reset();
      for (const b of src.ops.outboxBacklog()) this.set({ channel: b.channelId }, b.pending);
    },
  });
  new Gauge({
    name: "stockradar_outbox_oldest_seconds",
    help: "Age of the oldest unconfirmed push per channel: the oversell window open right now.",
    labelNames: ["channel"],
    registers: [registry],
    collect() {
      this.reset();
      const now = src.clock.now().getTime();
      for (const b of src.ops.outboxBacklog())
        this.set({ channel: b.channelId }, Math.max(0, (now - Date.parse(b.oldestEnqueuedAt)) / 1000));
    },
  });
  new Gauge({
    name: "stockradar_alerts_live",
    help: "Alerts not yet resolved, by severity and status (open, acked).",
    labelNames: ["severity", "status"],
    registers: [registry],
    collect() {
      this.reset();
      for (const severity of ["info", "warning", "critical"]) this.set({ severity, status: "open" }, 0);
      for (const a of src.ops.liveAlertCounts()) this.set({ severity: a.severity, status: a.status }, a.count);
    },
  });
  new Gauge({
    name: "stockradar_oversold_units",
    help: "Units sold that the ledger did not have (all time); each raised a critical alert.",
    registers: [registry],
    collect() {
      this.set(src.ops.oversellTotals().units);
    },
  });
  new Gauge({
    name: "stockradar_oversells_open",
    help: "Oversold order lines not yet resolved.",
    registers: [registry],
    collect() {
      this.set(src.ops.oversellTotals().openLines);
    },
  });
  new Gauge({
    name: "stockradar_job_lag_seconds",
    help: "How long the newest due slot of each job has waited without a run starting (0 when on time).",
    labelNames: ["job"],
    registers: [registry],
    collect() {
      this.reset();
      for (const l of jobLags()) this.set({ job: l.name }, l.lagSeconds);
    },
  });
  new Gauge({
    name: "stockradar_job_last_success_timestamp_seconds",
    help: "When each job last finished without error (Unix seconds).",
    labelNames: ["job"],
    registers: [registry],
    collect() {
      this.reset();
      for (const j of src.ops.lastJobSuccesses()) this.set({ job: j.name }, Date.parse(j.finishedAt) / 1000);
    },
  });
  new Gauge({
    name: "stockradar_courier_calls_today",
    help: "Courier-tracking API calls made today (provider's day, Beijing time), per provider.",
    labelNames: ["provider"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of src.ops.courierCallsOn(beijingDay(src.clock.now()))) this.set({ provider: c.provider }, c.calls);
    },
  });
  new Gauge({
    name: "stockradar_parcels_active",
    help: "Parcels the courier radar still watches.",
    registers: [registry],
    collect() {
      this.set(src.ops.activeParcels() ?? 0);
    },
  });
  new Gauge({
    name: "stockradar_quota_left",
    help: "API budget left: tokens in each channel rate-limit bucket, daily queries left per courier provider.",
    labelNames: ["kind", "name", "bucket"],
    registers: [registry],
    collect() {
      this.reset();
      for (const q of quotas()) this.set({ kind: q.kind, name: q.name, bucket: q.bucket }, q.left);
    },
  });
  new Gauge({
    name: "stockradar_channel_up",
    help: "1 while a channel is healthy or only briefly failing, 0 once it has failed longer than its threshold or is paused.",
    labelNames: ["channel", "state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of src.channels?.() ?? [])
        this.set({ channel: c.channelId, state: c.state }, c.state === "unhealthy" || c.state === "paused" ? 0 : 1);
    },
  });
  new Gauge({
    name: "stockradar_channel_last_success_timestamp_seconds",
    help: "When each channel last answered a call successfully (Unix seconds).",
    labelNames: ["channel"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of src.channels?.() ?? [])
        if (c.lastSuccessAt) this.set({ channel: c.channelId }, Date.parse(c.lastSuccessAt) / 1000);
    },
  });
  new Gauge({
    name: "stockradar_channel_consecutive_failures",
    help: "Failed calls in a row per channel (0 when its last call succeeded).",
    labelNames: ["channel"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of src.channels?.() ?? []) this.set({ channel: c.channelId }, c.consecutiveFailures);
    },
  });

  function jobLags(): JobLag[] {
    return lagMeter.lags(src.ledger.jobs.lastJobRuns(), src.clock.now(), startedAt);
  }

  function quotas(): QuotaView[] {
    const out = [...(src.quotas?.() ?? [])];
    const today = new Map(src.ops.courierCallsOn(beijingDay(src.clock.now())).map((c) => [c.provider, c.calls]));
    for (const c of src.config.couriers) {
      const cap = "dailyQueryCap" in c ? c.dailyQueryCap : undefined;
      if (cap !== undefined)
        out.push({ kind: "courier", name: c.kind, bucket: "daily", left: Math.max(0, cap - (today.get(c.kind) ?? 0)) });
    }
    return out;
  }

  return {
    registry,
    /** Content type of {@link render}'s output (Prometheus text exposition format). */
    contentType: registry.contentType,
    /** Every metric in Prometheus text format; reads the ledger-backed figures now. */
    render: (): Promise<string> => registry.metrics(),
    /** Job lag per job at the clock's now (also used by /healthz). */
    jobLags,
    /** Every channel bucket and courier daily budget left now (also shown on the dashboard). */
    quotas,
    /** Counts one marketplace API call. */
    channelCall(channelId: string, method: string, isOk: boolean, seconds: number): void {
      calls.inc({ channel: channelId, method, outcome: isOk ? "ok" : "failed" });
      callSeconds.observe({ channel: channelId, method }, seconds);
    },
    /** Counts the per-item outcomes of one push call. */
    pushOutcomes(channelId: string, outcomes: readonly PushOutcome[]): void {
      for (const o of outcomes)
        pushItems.inc({
          channel: channelId,
          outcome: o.ok ? "ok" : o.conflict ? "conflict" : o.retryable ? "failed" : "rejected",
        });
    },
    /** Counts one answered HTTP request by its route pattern (never the raw URL, so labels stay few). */
    httpRequest(route: string, status: number): void {
      httpRequests.inc({ route, status: String(status) });
    },
    /** Releases the job-lag matchers. */
    close(): void {
      lagMeter.close();
    },
  };
}

/** The metrics every module reaches through `Deps`. */
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Wraps a channel adapter so every asynchronous call is counted and timed, and every push item's outcome is
 * counted. Synchronous members (id, kind, maxBatch, parseWebhook) pass through untouched.
 */
export function instrumentChannel<C extends SalesChannel>(
  channel: C,
  metrics: Pick<Metrics, "channelCall" | "pushOutcomes">,
): C {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "parseWebhook" || typeof prop !== "string") return value;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (r: unknown) => {
            const outcomes = prop === "pushStock" && Array.isArray(r) ? (r as PushOutcome[]) : undefined;
            // Adapters report a failed push call as the same upstream error on every item (as the drainer reads it).
            const isCallFailed =
              !!outcomes?.length && outcomes.every((o) => !o.ok && !o.conflict && o.error instanceof UpstreamError);
            metrics.channelCall(target.id, prop, !isCallFailed, (performance.now() - started) / 1000);
            if (outcomes) metrics.pushOutcomes(target.id, outcomes);
            return r;
          },
          (err: unknown) => {
            metrics.channelCall(target.id, prop, false, (performance.now() - started) / 1000);
            throw err;
          },
        );
      };
    },
  });
}
