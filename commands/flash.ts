import { z } from "zod";
import { restText } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { checkFlashSkus, endFlashNow, openFlashWindow, parseFlashDuration, startFlash } from "../src/flash/flow.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import { SkuSchema } from "../src/ids.js";

/** The words of `/flash …`: none (list), `end ID`, or SKUs then a duration. */
function parse(
  rest: string | undefined,
): { kind: "list" } | { kind: "end"; id: string } | { kind: "start"; skus: string[]; duration: string } {
  const words = (rest ?? "").split(/\s+/).filter(Boolean);
  if (!words.length) return { kind: "list" };
  if (words[0]?.toLowerCase() === "end" && words.length === 2) return { kind: "end", id: words[1] ?? "" };
  const duration = words.at(-1) ?? "";
  const skus = words.slice(0, -1);
  if (!skus.length || skus.some((s) => !SkuSchema.safeParse(s).success))
    throw localized(InvalidInputError, "usage", textRef("flash-usage"));
  return { kind: "start", skus: [...new Set(skus)], duration };
}

export default defineCommand({
  name: "flash",
  summary: msg("cmd-flash-summary"),
  aliases: { "zh-CN": ["秒杀"] },
  role: "operator",
  confirm: "preview",
  // `/flash` alone only lists; starting and ending are previewed and confirmed.
  confirmWhen: ({ rest }) => rest !== undefined,
  args: z.object({ rest: restText({ optional: true, name: "SKU… DURATION | end ID" }) }),
  argText: { rest: { name: msg("arg-flash-rest"), description: msg("arg-flash-rest-help") } },
  examples: ["/flash A-12 B-3 2h", "/flash", "/flash end F-7K3QX9PA"],
  run: async ({ rest }, { deps, actor, dryRun, tr }) => {
    const p = parse(rest);
    if (p.kind === "list") {
      const active = deps.flash.activeWindows();
      if (!active.length) return { text: tr.t("flash-none") };
      const lines = active.map((w) =>
        tr.t("flash-list-line", {
          id: w.id,
          skus: w.skus.join(", "),
          until: tr.dateTime(new Date(w.endsAt)),
          who: w.createdBy,
        }),
      );
      return { text: [tr.t("flash-list-head"), ...lines].join("\n") };
    }
    if (p.kind === "end") {
      const w = openFlashWindow(deps, p.id);
      if (dryRun) return { text: tr.t("flash-will-end", { id: w.id, skus: w.skus.join(", ") }) };
      const r = await endFlashNow(deps, w.id, actor.id);
      return {
        text: tr.t("flash-ended", {
          id: r.window.id,
          skus: r.window.skus.join(", "),
          reason: tr.t("flash-reason-by", { who: actor.id }),
          queued: r.queued,
        }),
      };
    }
    const ms = parseFlashDuration(p.duration);
    const until = new Date(deps.ledger.now().getTime() + ms);
    if (dryRun) {
      checkFlashSkus(deps, p.skus);
      return {
        text: tr.t("flash-will-start", {
          skus: p.skus.join(", "),
          until: tr.dateTime(until),
          capPct: deps.config.stock.flash.capPct,
        }),
      };
    }
    const r = startFlash(deps, p.skus, ms, actor.id);
    return {
      text: tr.t("flash-started", {
        id: r.window.id,
        skus: r.window.skus.join(", "),
        until: tr.dateTime(new Date(r.window.endsAt)),
        queued: r.queued,
      }),
    };
  },
});
