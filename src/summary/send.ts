import type { Deps } from "../deps.js";
import { buildSummary } from "./build.js";
import { addDays, localDay } from "./day.js";
import { renderSummaryNotice } from "./render.js";

/** What the daily job did for one day. */
export type SendOutcome =
  | { kind: "sent"; day: string }
  | { kind: "already_sent"; day: string }
  | { kind: "failed"; day: string; error: string };

/** The day before `at`'s local day in the configured time zone ("yesterday" when the job fires). */
export const yesterdayOf = (deps: Pick<Deps, "config">, at: Date): string =>
  addDays(localDay(at, deps.config.timezone), -1);

/**
 * Sends the summary of `day` to the group at most once: the day is claimed in the ledger first, so a
 * restart, a second process or a manual `job daily-summary` never posts it twice. A send that failed
 * on every transport gives the claim back for the next run.
 */
export async function sendDailySummary(deps: Deps, day: string): Promise<SendOutcome> {
  if (!deps.summaries.claimSummaryDay(day)) return { kind: "already_sent", day };
  try {
    const reply = await renderSummaryNotice(buildSummary(deps, day), { chart: deps.config.summary.chart });
    await deps.notify(reply);
    deps.summaries.markSummarySent(day);
    return { kind: "sent", day };
  } catch (err) {
    deps.summaries.releaseSummaryDay(day);
    deps.log.error({ err, day }, "daily summary failed");
    return { kind: "failed", day, error: (err as Error).message };
  }
}
