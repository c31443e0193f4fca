import cron from "node-cron";
import type { Deps } from "./deps.js";
import { groupTranslator, ledgerDirOf, reportDiskFull } from "./disk-full.js";
import { DiskFullError, isAppError, isDiskFull } from "./errors.js";
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

type SlotEnd = { name: string; slot: string; status: "ok" | "failed"; report: unknown };

/** Slot endings the ledger could not store yet (its disk was full), written before the next slot is claimed. */
const unrecorded = new WeakMap<Deps["ledger"], Map<string, SlotEnd>>();

/** Records how a slot ended; when the ledger cannot take the write, keeps it in memory to record later. */
function recordSlotEnd(deps: Deps, end: SlotEnd): void {
  const pending = unrecorded.get(deps.ledger) ?? new Map<string, SlotEnd>();
  pending.delete(`${end.name}@${end.slot}`);
  try {
    deps.ledger.jobs.finishJobSlot(end.name, end.slot, end.status, end.report);
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, job: end.name, slot: end.slot }, "job slot end not stored yet");
    pending.set(`${end.name}@${end.slot}`, end);
  }
  if (pending.size) unrecorded.set(deps.ledger, pending);
  else unrecorded.delete(deps.ledger);
}

/** Writes the slot endings a full disk held back; true when none is left waiting. */
export function recordHeldSlotEnds(deps: Deps): boolean {
  for (const end of [...(unrecorded.get(deps.ledger)?.values() ?? [])]) recordSlotEnd(deps, end);
  return !unrecorded.has(deps.ledger);
}

/** The one-line problem a job reports when the ledger's disk is full. */
const diskFullProblem = (deps: Deps): string =>
  `failed: ${groupTranslator(deps.config).t("disk-full-job", { dir: ledgerDirOf(deps.config) })}`;

/**
 * Runs one slot of a job if no process has claimed it yet; returns undefined when the slot was taken. A failing
 * job (a full disk included) is a report with one problem line, and its slot ends as failed: when the ledger's
 * disk is full that ending is kept in memory and written before the next slot, so no slot stays "running".
 */
export async function runSlot(
  job: JobSpec,
  deps: Deps,
  scheduledFor: Date,
  opts: { slotKey?: string; signal?: AbortSignal } = {},
): Promise<JobReport | undefined> {
  const slotKey = opts.slotKey ?? scheduledFor.toISOString().slice(0, 19);
  const key = `${job.name}@${slotKey}`;
  const log = deps.log.child({ job: job.name, slot: slotKey });
  recordHeldSlotEnds(deps);
  try {
    if (!deps.ledger.jobs.claimJobSlot(job.name, slotKey)) return undefined;
  } catch (err) {
    if (!isDiskFull(err)) throw err;
    // Not even the claim could be stored: the job does not run (it would only fail at its first write).
    void reportDiskFull(deps, `job ${job.name}`);
    return { changed: 0, skipped: 0, problems: [diskFullProblem(deps)] };
  }
  const started = Date.now();
  try {
    const report = await job.run({ key, scheduledFor, signal: opts.signal ?? new AbortController().signal, log }, deps);
    recordSlotEnd(deps, { name: job.name, slot: slotKey, status: "ok", report });
    log[report.problems.length ? "warn" : "debug"]({ ...report, ms: Date.now() - started }, "job finished");
    return report;
  } catch (err) {
    if (isDiskFull(err)) {
      const problem = diskFullProblem(deps);
      recordSlotEnd(deps, { name: job.name, slot: slotKey, status: "failed", report: { error: problem } });
      void reportDiskFull(deps, `job ${job.name}`);
      return { changed: 0, skipped: 0, problems: [problem] };
    }
    const message = err instanceof DiskFullError ? err.userMessage : (err as Error).message;
    recordSlotEnd(deps, { name: job.name, slot: slotKey, status: "failed", report: { error: message } });
    // A typed failure is the job's expected outcome; anything else is our bug and gets one internal-error alert.
    let ref: string | undefined;
    try {
      if (!isAppError(err))
        ref = reportInternalError({
          alerts: deps.ledger.alerts,
          err,
          where: `job ${job.name}`,
          whereRef: textRef("where-job", { job: job.name }),
          subject: `job:${job.name}`,
        });
    } catch (alertErr) {
      log.error({ err: alertErr }, "internal-error alert not stored");
    }
    log.error({ err, ...(ref ? { ref } : {}) }, "job failed");
    return { changed: 0, skipped: 0, problems: [`failed: ${message}`] };
  }
}

/** Schedules every job with node-cron in the configured timezone, without overlap; `stop` ends them and aborts running ones. */
export function startScheduler(jobs: readonly JobSpec[], deps: Deps) {
  const abort = new AbortController();
  // Only one bot runs per ledger (the OS lock), so a scheduled slot still "running" now belongs to a dead process.
  try {
    const ended = deps.ledger.jobs.failInterruptedJobSlots(deps.clock.now().toISOString());
    if (ended) deps.log.warn({ slots: ended }, "job slots left running by a stopped process ended as failed");
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, "interrupted job slots not ended yet");
  }
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
