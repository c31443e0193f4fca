import cron, { type ScheduledTask } from "node-cron";
import type { Config } from "./config.js";
import type { JobSpec } from "./scheduler.js";
import { scheduleOf } from "./scheduler.js";

/** How far one job is behind its schedule. */
export interface JobLag {
  name: string;
  /** The oldest slot due but not yet served by a run (undefined: nothing is due). */
  dueAt: string | undefined;
  lastStartedAt: string | undefined;
  /** Seconds that slot has waited (0 when on time). */
  lagSeconds: number;
  /** Usual gap between two slots, seconds. */
  intervalSeconds: number;
  /** Lag beyond tolerance: max(5 minutes, one interval). */
  isOverdue: boolean;
}

const MINUTE = 60_000;
/** Longest gap searched back for a due slot; schedules sparser than weekly count as never due. */
const LOOKBACK_MINUTES = 8 * 24 * 60;

/**
 * Computes job lag from each job's cron expression (in config.timezone) and its newest run in `job_runs`.
 * Holds one unstarted node-cron task per job as a matcher (made when first needed); `close` releases them.
 */
export function createJobLagMeter(jobs: readonly JobSpec[], config: Pick<Config, "schedule" | "timezone">) {
  // One matcher per job, made on the first scrape: a command run (`stockradar cmd`) builds the app but never
  // scrapes, and making every task up front cost it about 20 ms.
  const matchers = new Map<string, ScheduledTask>();
  const intervals = new Map<string, number>();
  const matcherOf = (job: JobSpec): ScheduledTask => {
    let task = matchers.get(job.name);
    if (!task) {
      task = cron.createTask(scheduleOf(job, { config: config as Config }), () => undefined, {
        timezone: config.timezone,
        name: `lag:${job.name}`,
      });
      matchers.set(job.name, task);
    }
    return task;
  };

  // Per job: the first slot at or after `floor` found so far, scanning forward minute by minute only over
  // minutes not yet scanned (a scrape every few seconds costs a step or two).
  const scans = new Map<string, { floor: number; scannedTo: number; found: number | undefined }>();
  const firstDueSince = (name: string, task: ScheduledTask, floor: number, now: number): number | undefined => {
    let scan = scans.get(name);
    if (!scan || scan.floor !== floor) {
      scan = { floor, scannedTo: floor - MINUTE, found: undefined };
      scans.set(name, scan);
    }
    const limit = Math.min(now, floor + LOOKBACK_MINUTES * MINUTE);
    while (scan.found === undefined && scan.scannedTo + MINUTE <= limit) {
      scan.scannedTo += MINUTE;
      if (task.match(new Date(scan.scannedTo))) scan.found = scan.scannedTo;
    }
    return scan.found !== undefined && scan.found <= now ? scan.found : undefined;
  };

  const intervalOf = (name: string, task: ScheduledTask, from: number): number => {
    const known = intervals.get(name);
    if (known !== undefined) return known;
    let first: number | undefined;
    for (let t = Math.floor(from / MINUTE) * MINUTE, n = 0; n < LOOKBACK_MINUTES; t += MINUTE, n++) {
      if (!task.match(new Date(t))) continue;
      if (first === undefined) first = t;
      else {
        intervals.set(name, (t - first) / 1000);
        return (t - first) / 1000;
      }
    }
    intervals.set(name, 86_400);
    return 86_400;
  };

  return {
    /**
     * Lag of every job at `now`: how long the oldest slot not yet served by a run has been due. A run serves
     * every slot up to the minute it started in. Slots before `since` (the process start) are not counted: a
     * bot that was down is not late for what it could not run.
     */
    lags(lastRuns: readonly { name: string; startedAt: string }[], now: Date, since: Date): JobLag[] {
      const last = new Map(lastRuns.map((r) => [r.name, r.startedAt]));
      const sinceMinute = Math.ceil(since.getTime() / MINUTE) * MINUTE;
      return jobs.map((job) => {
        const task = matcherOf(job);
        const lastStartedAt = last.get(job.name);
        const servedTo = lastStartedAt ? Math.floor(Date.parse(lastStartedAt) / MINUTE) * MINUTE : -Infinity;
        const floor = Math.max(sinceMinute, servedTo + MINUTE);
        const due = firstDueSince(job.name, task, floor, now.getTime());
        const intervalSeconds = intervalOf(job.name, task, sinceMinute);
        const lagSeconds = due === undefined ? 0 : Math.max(0, (now.getTime() - due) / 1000);
        return {
          name: job.name,
          dueAt: due === undefined ? undefined : new Date(due).toISOString(),
          lastStartedAt,
          lagSeconds,
          intervalSeconds,
          isOverdue: lagSeconds > Math.max(300, intervalSeconds),
        };
      });
    },
    close(): void {
      for (const t of matchers.values()) void t.destroy();
      matchers.clear();
    },
  };
}

/** A job-lag meter. */
export type JobLagMeter = ReturnType<typeof createJobLagMeter>;
