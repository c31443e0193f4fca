import { z } from "zod";
import { channelArg, checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { amountArg, formatMoney, resolveAmount } from "../src/money/amount.js";
import { callerOf } from "../src/money/args.js";
import { changePrice } from "../src/money/price-guard.js";

export default defineCommand({
  name: "price",
  summary: msg("cmd-price-summary"),
  aliases: { "zh-CN": ["价格"] },
  role: "operator",
  args: z.object({
    sku: skuArg(),
    amount: amountArg().optional(),
    channel: channelArg(),
  }),
  examples: ["/price A-12", "/price A-12 19.90", "/price A-12 21.50USD shop1"],
  run: async ({ sku, amount, channel }, ctx) => {
    const { deps } = ctx;
    checkChannel(deps, channel);
    deps.ledger.stock.getLevel(sku);
    const current = deps.prices.currentPrice(sku, channel ?? "");
    if (!amount) {
      return {
        text: current
          ? `${sku}${channel ? ` on ${channel}` : ""}: ${formatMoney(current.price)} (${current.channelId ? "channel price" : "base price"}, set by ${current.updatedBy})`
          : `${sku} has no price yet. Set one: /price ${sku} AMOUNT`,
      };
    }
    const price = resolveAmount(amount, amount.currency ?? current?.price.currency ?? deps.config.money.currency);
    if ("error" in price) throw new InvalidInputError("bad_amount", price.error);
    const { old, isDuplicate } = changePrice(
      deps,
      { sku, channelId: channel ?? "", price, idempotencyKey: `price:${ctx.idempotencyKey}` },
      callerOf(ctx),
    );
    const where = channel ? ` on ${channel}` : "";
    // TODO(#3): push through the channel adapter once SalesChannel has a price method; until then the ledger keeps the accepted price.
    const note = "Recorded in the ledger; channels are not updated automatically yet (no price API in the adapters).";
    if (isDuplicate) return { text: `Already applied: ${sku}${where} is ${formatMoney(price)}.` };
    return { text: `${sku}${where}: ${old ? `${formatMoney(old)} → ` : ""}${formatMoney(price)}. ${note}` };
  },
});
