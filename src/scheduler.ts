import cron from "node-cron";
import type { Deps } from "./deps.js";
import { isAppError } from "./errors.js";
import { textRef } from "./i18n/ref.js";
import { reportInternalError } from "./internal-error.js";
import type { Logger } from "./log.js";

/** The slot a job run belongs to; `key` (name@second) is claimed once across all processes. */
export interface JobSlot {
  key: string;
  scheduledFor: Date;
  signal: AbortSignal;
  log: Logger;
}

/** What a job run did. */
export type JobReport = { changed: number; skipped: number; problems: string[] };

/**
 * A scheduled job. Every `run` must be safe to repeat (conditional updates, idempotency keys).
 *
 * @example
 * export default defineJob({ name: "reservation-expiry", scheduleKey: "reservationExpiry", schedule: "* * * * *",
 *   summary: "Release expired checkout holds", run: async (_slot, deps) => ({ changed: deps.ledger.reservations.expireHolds().length, skipped: 0, problems: [] }) });
 */
export interface JobSpec {
  /** Stable forever; also the job_runs key and the file name. */
  name: string;
  /** Key under config `schedule` that overrides `schedule`, e.g. "reservationExpiry". */
  scheduleKey?: string;
  /** Default cron expression, in config.timezone. */
  schedule: string;
  summary: string;
  run(slot: JobSlot, deps: Deps): Promise<JobReport>;
}

/** Identity function that gives a job declaration its type. */
export const defineJob = (j: JobSpec): JobSpec => j;

/** The cron expression a job runs on under this config. */
export function scheduleOf(job: JobSpec, deps: Pick<Deps, "config">): string {
  const s = deps.config.schedule as Record<string, string | undefined>;
  return (job.scheduleKey && s[job.scheduleKey]) || s[job.name] || job.schedule;
}

/** Runs one slot of a job if no process has claimed it yet; returns undefined when the slot was taken. */
export async function runSlot(
  job: JobSpec,
  deps: Deps,
  scheduledFor: Date,
  opts: { slotKey?: string; signal?: AbortSignal } = {},
): Promise<JobReport | undefined> {
  const slotKey = opts.slotKey ?? scheduledFor.toISOString().slice(0, 19);
  const key = `${job.name}@${slotKey}`;
  if (!deps.ledger.jobs.claimJobSlot(job.name, slotKey)) return undefined;
  const log = deps.log.child({ job: job.name, slot: slotKey });
  const started = Date.now();
  try {
    const report = await job.run({ key, scheduledFor, signal: opts.signal ?? new AbortController().signal, log }, deps);
    deps.ledger.jobs.finishJobSlot(job.name, slotKey, "ok", report);
    log[report.problems.length ? "warn" : "debug"]({ ...report, ms: Date.now() - started }, "job finished");
    return report;
  } catch (err) {
    deps.ledger.jobs.finishJobSlot(job.name, slotKey, "failed", { error: (err as Error).message });
    // A typed failure is the job's expected outcome; anything else is our bug and gets one internal-error alert.
    const ref = isAppError(err)
      ? undefined
      : reportInternalError({
          alerts: deps.ledger.alerts,
          err,
          where: `job ${job.name}`,
          whereRef: textRef("where-job", { job: job.name }),
          subject: `job:${job.name}`,
        });
    log.error({ err, ...(ref ? { ref } : {}) }, "job failed");
    return { changed: 0, skipped: 0, problems: [`failed: ${(err as Error).message}`] };
  }
}

/** Schedules every job with node-cron in the configured timezone, without overlap; `stop` ends them and aborts running ones. */
export function startScheduler(jobs: readonly JobSpec[], deps: Deps) {
  const abort = new AbortController();
  const tasks = jobs.map((job) =>
    cron.schedule(
      scheduleOf(job, deps),
      async (ctx) => {
        // Slot = the second this tick was for, so two processes (or a quick restart) never run it twice.
        const slot = new Date(Math.floor(ctx.date.getTime() / 1000) * 1000);
        await runSlot(job, deps, slot, { signal: abort.signal });
      },
      { timezone: deps.config.timezone, noOverlap: true, name: job.name },
    ),
  );
  return {
    async stop(): Promise<void> {
      abort.abort();
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
