import { randomBytes } from "node:crypto";
import type { TextRef } from "./i18n/ref.js";
import type { Logger } from "./log.js";

/** Alert kind of every "this is our bug" alert; one live alert per subject. */
export const INTERNAL_ERROR_ALERT = "internal_error";

/** Where internal-error alerts go: `ledger.alerts` (raising the same kind and subject again refreshes one alert). */
export interface InternalErrorAlerts {
  raiseAlert(a: {
    kind: string;
    subject: string;
    severity: "info" | "warning" | "critical";
    message: TextRef;
  }): unknown;
}

/**
 * Reports an error that is not an AppError, i.e. a bug in stockradar rather than a provider's or a user's
 * failure: logs it at error level with its stack under a short reference, raises one critical "internal
 * error" alert per subject carrying that reference, and returns the reference for reports. It is never
 * counted against a channel's health.
 *
 * @example
 * const ref = reportInternalError({ alerts: ledger.alerts, log, err, where: "the stock sync of shop1", subject: "sync:shop1" });
 */
export function reportInternalError(args: {
  alerts: InternalErrorAlerts;
  log?: Logger | undefined;
  err: unknown;
  where: string;
  /** `where` as a catalog message, for the alert in each chat's language (default: `where` as it is). */
  whereRef?: TextRef;
  subject: string;
  fields?: Record<string, unknown>;
}): string {
  const ref = randomBytes(3).toString("hex");
  const err = args.err instanceof Error ? args.err : new Error(String(args.err));
  args.log?.error({ ...args.fields, err, ref, subject: args.subject }, "internal error");
  args.alerts.raiseAlert({
    kind: INTERNAL_ERROR_ALERT,
    subject: args.subject,
    severity: "critical",
    message: {
      msg: "alert-internal-error",
      args: { where: args.whereRef ? { ref: args.whereRef } : args.where, ref },
    },
  });
  return ref;
}

/**
 * Returns `value` when it is present; otherwise throws a plain (non-AppError) error naming the broken
 * invariant `what`, so the caller's internal-error path reports it as a stockradar bug.
 */
export function must<T>(value: T, what: string): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`internal invariant broken: ${what}`);
  return value as NonNullable<T>;
}
