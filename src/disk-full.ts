import { dirname, resolve } from "node:path";
import { deliverDueAlerts, sendUnstoredAlert } from "./chat/alert-sender.js";
import type { Deps } from "./deps.js";
import { isDiskFull } from "./errors.js";
import { textRef } from "./i18n/ref.js";
import { languageConfigOf, resolveLocale } from "./i18n/resolve.js";
import { createI18n, type Translator } from "./i18n/translator.js";

/** Alert kind of the one "disk full" alert (subject `ledger`). */
export const DISK_FULL_ALERT = "disk_full";

/** What reporting a full disk needs from Deps. */
export type DiskFullDeps = Pick<Deps, "ledger" | "config" | "notify" | "log" | "clock">;

const lastSent = new WeakMap<Deps["ledger"], number>();

/** The directory the ledger lives in (what a person has to free). */
export const ledgerDirOf = (config: Pick<Deps["config"], "database">): string =>
  config.database === ":memory:" ? ":memory:" : dirname(resolve(config.database));

/** A translator in the language configured for `transport` (and `chatId`), e.g. "cli" for doctor lines. */
export function translatorFor(config: Deps["config"], transport: string, chatId?: string): Translator {
  const locale = resolveLocale({
    config: languageConfigOf(config),
    transport,
    ...(chatId !== undefined ? { chatId } : {}),
  });
  return createI18n({ timeZone: config.timezone }).translator(locale);
}

/** The ops group's language (the first configured chat platform's), for texts sent to everyone. */
export function groupTranslator(config: Deps["config"]): Translator {
  if (config.chat.telegram) return translatorFor(config, "telegram", String(config.chat.telegram.chatId));
  return translatorFor(config, config.chat.wecom ? "wecom" : "console");
}

/**
 * Reports that the ledger's disk is full: logs it, and at most once per `chat.alertResendMinutes` (per ledger)
 * posts one critical "disk full" alert to the ops group. The alert is stored as a ledger alert when the ledger
 * still takes that write; when it does not (the usual case), it is sent from memory. Never throws.
 *
 * @example
 * if (isDiskFull(err)) void reportDiskFull(deps, "job backup");
 */
export async function reportDiskFull(deps: DiskFullDeps, where: string): Promise<boolean> {
  deps.log.error({ where }, "ledger disk full");
  const now = deps.clock.now().getTime();
  const last = lastSent.get(deps.ledger);
  if (last !== undefined && now - last < deps.config.chat.alertResendMinutes * 60_000) return false;
  lastSent.set(deps.ledger, now);
  const message = textRef("disk-full-alert", { dir: ledgerDirOf(deps.config) });
  try {
    try {
      deps.ledger.alerts.raiseAlert({ kind: DISK_FULL_ALERT, subject: "ledger", severity: "critical", message });
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      await sendUnstoredAlert(deps, { severity: "critical", message });
      return true;
    }
    await deliverDueAlerts(deps);
    return true;
  } catch (err) {
    // Not delivered: the next failure tries again instead of waiting out the interval.
    lastSent.delete(deps.ledger);
    deps.log.warn({ err, where }, "disk-full alert could not be sent");
    return false;
  }
}
