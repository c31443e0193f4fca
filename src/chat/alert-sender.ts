import type { Deps } from "../deps.js";
import type { MessageId } from "../i18n/catalog.js";
import { renderRef, type TextRef } from "../i18n/ref.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
import type { Alert } from "../ledger/index.js";
import type { Reply } from "./types.js";

const ICON: Record<Alert["severity"], string> = { critical: "🔴", warning: "🟠", info: "🔵" };

const label = (tr: Translator, b: Alert["buttons"][number]): string =>
  b.labelId ? (tr.t as (id: MessageId) => string)(b.labelId) : b.label;

/** How an alert looks in chat for one reader: severity, text, Ack / Snooze buttons plus its own actions. */
export function renderAlert(a: Alert, tr: Translator = sharedI18n().translator("en")): Reply {
  const again = a.sentCount > 0 ? ` ${tr.t("alert-reminder", { count: a.sentCount })}` : "";
  const text = a.message ? renderRef(tr, a.message) : a.text;
  return {
    text: `${ICON[a.severity]} #${a.id} ${text}${again}`,
    buttons: [
      { label: tr.t("button-ack"), action: `/ack ${a.id}` },
      { label: tr.t("button-snooze-2h"), action: `/snooze ${a.id} 2h` },
      ...a.buttons.map((b) => ({ label: label(tr, b), action: b.action })),
    ],
  };
}

/**
 * Posts an alert the ledger could not store (its disk is full) straight from memory: no id and no Ack / Snooze
 * buttons, since both need the stored row.
 */
export async function sendUnstoredAlert(
  deps: Pick<Deps, "notify">,
  a: { severity: Alert["severity"]; message: TextRef },
): Promise<void> {
  const line = (tr: Translator): Reply => ({ text: `${ICON[a.severity]} ${renderRef(tr, a.message)}` });
  await deps.notify({ ...line(sharedI18n("UTC").translator("en")), localize: line });
}

/** An alert ready for every chat: English by default, `localize` renders it in each chat's language and zone. */
export function alertNotice(a: Alert, timeZone: string): Reply {
  const i18n = sharedI18n(timeZone);
  return { ...renderAlert(a, i18n.translator("en")), localize: (tr) => renderAlert(a, tr) };
}

/** What alert delivery needs from Deps. */
type AlertDeps = Pick<Deps, "ledger" | "config" | "notify" | "log">;

const inFlight = new WeakMap<Deps["ledger"], Promise<number>>();

/**
 * Sends every alert that is due (new, critical reminders, back from snooze) to the ops group; returns how many.
 * One pass per ledger at a time: the commit nudge, the job and start-up share a running pass instead of
 * reading the same unsent alerts and posting them twice.
 */
export async function deliverDueAlerts(deps: AlertDeps): Promise<number> {
  const running = inFlight.get(deps.ledger);
  if (running) return running.then(() => 0);
  const pass = deliverPass(deps).finally(() => inFlight.delete(deps.ledger));
  inFlight.set(deps.ledger, pass);
  return pass;
}

async function deliverPass(deps: AlertDeps): Promise<number> {
  const due = deps.ledger.alerts.dueAlerts(deps.config.chat.alertResendMinutes);
  let sent = 0;
  for (const a of due) {
    try {
      await deps.notify(alertNotice(a, deps.config.timezone));
      deps.ledger.alerts.markAlertSent(a.id);
      sent += 1;
    } catch (err) {
      deps.log.warn({ err, alertId: a.id }, "alert delivery failed; will retry");
      break;
    }
  }
  return sent;
}
