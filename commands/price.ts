import { z } from "zod";
import { channelArg, checkChannel, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { amountArg, resolveAmount } from "../src/money/amount.js";
import { callerOf } from "../src/money/args.js";
import { pendingRequestReply } from "../src/money/price-approval.js";
import { applyPrice, movePct, needsPriceApproval, priceChannels } from "../src/money/price-flow.js";
import { guardPrice } from "../src/money/price-guard.js";

export default defineCommand({
  name: "price",
  summary: msg("cmd-price-summary"),
  aliases: { "zh-CN": ["价格"] },
  role: "operator",
  confirm: "preview",
  args: z.object({
    sku: skuArg(),
    amount: amountArg().optional(),
    channel: channelArg(),
  }),
  examples: ["/price A-12 19.90", "/price A-12 21.50USD shop1"],
  run: async ({ sku, amount, channel }, ctx) => {
    const { deps, tr } = ctx;
    checkChannel(deps, channel);
    deps.ledger.stock.getLevel(sku);
    if (!amount) throw new InvalidInputError("price_needs_amount", tr.t("price-needs-amount", { sku }));
    const current = deps.prices.currentPrice(sku, channel ?? "");
    const price = resolveAmount(amount, amount.currency ?? current?.price.currency ?? deps.config.money.currency);
    if ("error" in price) throw new InvalidInputError("bad_amount", price.error);
    const where = channel ? tr.t("price-on-channel", { channel }) : "";
    const channels = priceChannels(deps, sku, channel ?? "");
    const names = channels.length ? tr.list(channels, "and") : tr.t("price-no-channels");
    const oldText = current ? tr.money(current.price) : tr.t("price-none");
    if (ctx.dryRun) {
      // The preview already says no when the guard would: nothing to confirm.
      const verdict = guardPrice(deps, sku, channel ?? "", current?.price, price);
      if (!verdict.isAllowed) {
        await applyPrice(
          deps,
          { sku, channelId: channel ?? "", price, idempotencyKey: `price:${ctx.idempotencyKey}` },
          callerOf(ctx),
        );
      }
      const preview = tr.t("price-preview", { sku, where, old: oldText, new: tr.money(price), channels: names });
      const pct = movePct(current?.price, price);
      if (!needsPriceApproval(deps, pct)) return { text: preview };
      const limit = String(deps.config.money.priceApprovalAbove ?? 0);
      return { text: `${preview}\n${tr.t("pg-preview-needs-approval", { pct: pct.toFixed(1), limit })}` };
    }
    const r = await applyPrice(
      deps,
      { sku, channelId: channel ?? "", price, idempotencyKey: `price:${ctx.idempotencyKey}` },
      callerOf(ctx),
    );
    if (r.request) return pendingRequestReply(deps, ctx.tr, r.request);
    if (r.isDuplicate) return { text: tr.t("price-duplicate", { sku, where, new: tr.money(price) }) };
    const waiting = deps.priceOutbox
      .pendingPriceChanges(sku)
      .filter((t) => channels.includes(t.channelId))
      .map((t) => t.channelId);
    const confirmed = channels.filter((c) => !waiting.includes(c));
    return {
      text: tr.t("price-pushed", {
        sku,
        where,
        old: oldText,
        new: tr.money(price),
        confirmed: confirmed.length ? tr.list(confirmed, "and") : tr.t("price-none"),
        waiting: waiting.length ? tr.list(waiting, "and") : tr.t("price-none"),
      }),
    };
  },
});
