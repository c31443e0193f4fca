import type { Deps } from "../deps.js";
import type { Alert } from "../ledger/index.js";
import type { Reply } from "./types.js";

const ICON: Record<Alert["severity"], string> = { critical: "🔴", warning: "🟠", info: "🔵" };

/** How an alert looks in chat: severity, text, Ack / Snooze buttons plus its own actions. */
export function renderAlert(a: Alert): Reply {
  const again = a.sentCount > 0 ? ` (reminder ${a.sentCount})` : "";
  return {
    text: `${ICON[a.severity]} #${a.id} ${a.text}${again}`,
    buttons: [
      { label: "Ack", action: `/ack ${a.id}` },
      { label: "Snooze 2h", action: `/snooze ${a.id} 2h` },
      ...a.buttons,
    ],
  };
}

/**
 * Posts an alert the ledger could not store (its disk is full) straight from memory: no id and no Ack / Snooze
 * buttons, since both need the stored row.
 */
export async function sendUnstoredAlert(
  deps: Pick<Deps, "notify">,
  a: { severity: Alert["severity"]; text: string },
): Promise<void> {
  await deps.notify({ text: `${ICON[a.severity]} ${a.text}` });
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
      await deps.notify(renderAlert(a));
      deps.ledger.alerts.markAlertSent(a.id);
      sent += 1;
    } catch (err) {
      deps.log.warn({ err, alertId: a.id }, "alert delivery failed; will retry");
      break;
    }
  }
  return sent;
}
