import { z } from "zod";
import { skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import type { Translator } from "../src/i18n/translator.js";
import { amountArg, resolveAmount, type TypedAmount } from "../src/money/amount.js";
import { callerOf } from "../src/money/args.js";
import { costFloorMinor } from "../src/money/price-guard.js";
import type { SkuPriceLimits } from "../src/money/price-limits-store.js";

const MARGIN = /^(\d{1,2}(?:\.\d{1,2})?)%$/;
const CEILING = /^max=(.+)$/i;

const describe = (
  tr: Translator,
  l: Pick<SkuPriceLimits, "currency" | "costMinor" | "minMarginPct" | "ceilingMinor">,
) => {
  const m = (v: number | null | undefined) =>
    v === null || v === undefined ? tr.t("cost-unset") : tr.money({ amountMinor: v, currency: l.currency });
  return {
    currency: l.currency,
    cost: m(l.costMinor),
    margin: l.minMarginPct === null ? tr.t("cost-unset") : `${l.minMarginPct}%`,
    floor: m(costFloorMinor(l)),
    ceiling: m(l.ceilingMinor),
  };
};

export default defineCommand({
  name: "cost",
  summary: msg("cmd-cost-summary"),
  aliases: { "zh-CN": ["成本"] },
  role: "approver",
  args: z.object({
    sku: skuArg(),
    cost: amountArg().optional(),
    margin: z.string().max(20).optional().describe("MARGIN%"),
    ceiling: z.string().max(30).optional().describe("max=CEILING"),
  }),
  argText: {
    cost: { name: msg("arg-cost-cost"), description: msg("arg-cost-cost-help") },
    margin: { name: msg("arg-cost-margin"), description: msg("arg-cost-margin-help") },
    ceiling: { name: msg("arg-cost-ceiling"), description: msg("arg-cost-ceiling-help") },
  },
  examples: ["/cost A-12", "/cost A-12 8.50 25%", "/cost A-12 8.50EUR 20% max=49.00"],
  run: async ({ sku, cost, margin, ceiling }, ctx) => {
    const { deps, tr } = ctx;
    deps.ledger.stock.getLevel(sku);
    if (!cost) {
      const all = deps.priceLimits.allSkuPriceLimits(sku);
      if (!all.length) return { text: tr.t("cost-none", { sku }) };
      return { text: all.map((l) => tr.t("cost-line", { sku, ...describe(tr, l) })).join("\n") };
    }
    // The margin and the ceiling may come in either order.
    const rest = [margin, ceiling].filter((x): x is string => x !== undefined);
    const marginText = rest.find((x) => !CEILING.test(x));
    const ceilingText = rest.find((x) => CEILING.test(x));
    const currency = cost.currency ?? deps.config.money.currency;
    const costMoney = resolveAmount(cost, currency);
    if ("error" in costMoney) throw new InvalidInputError("bad_amount", costMoney.error);
    let minMarginPct: number | undefined;
    if (marginText !== undefined) {
      const m = MARGIN.exec(marginText);
      if (!m) throw localized(InvalidInputError, "bad_margin", textRef("cost-bad-margin", { value: marginText }));
      minMarginPct = Number(m[1]);
    }
    let ceilingMinor: number | undefined;
    if (ceilingText !== undefined) {
      const raw = CEILING.exec(ceilingText)?.[1] ?? "";
      const parsed = amountArg().safeParse(raw);
      const money = parsed.success ? resolveAmount(parsed.data as TypedAmount, currency) : undefined;
      if (!money || "error" in money || money.amountMinor <= 0)
        throw localized(InvalidInputError, "bad_ceiling", textRef("cost-bad-ceiling", { value: raw }));
      ceilingMinor = money.amountMinor;
    }
    const saved = deps.priceLimits.setSkuPriceLimits(
      {
        sku,
        currency,
        costMinor: costMoney.amountMinor,
        ...(minMarginPct !== undefined ? { minMarginPct } : {}),
        ...(ceilingMinor !== undefined ? { ceilingMinor } : {}),
      },
      callerOf(ctx),
    );
    return { text: tr.t("cost-set", { sku, ...describe(tr, saved) }) };
  },
});
