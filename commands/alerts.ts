import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { renderRef } from "../src/i18n/ref.js";

export default defineCommand({
  name: "alerts",
  summary: msg("cmd-alerts-summary"),
  aliases: { "zh-CN": ["告警"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { deps, tr }) => {
    const live = deps.ledger.alerts.liveAlerts(30);
    if (!live.length) return { text: tr.t("alerts-none") };
    const sep = tr.locale === "en" ? ", " : "，";
    return {
      text: live
        .map((a) => {
          const state = [
            tr.t(`severity-${a.severity}`),
            ...(a.status === "acked" ? [tr.t("alerts-acked-by", { who: a.ackedBy ?? "" })] : []),
            ...(a.snoozedUntil && a.snoozedUntil > deps.clock.now().toISOString() ? [tr.t("alerts-snoozed")] : []),
          ].join(sep);
          return tr.t("alerts-line", { id: String(a.id), state, text: a.message ? renderRef(tr, a.message) : a.text });
        })
        .join("\n"),
    };
  },
});
