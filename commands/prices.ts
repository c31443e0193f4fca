import { z } from "zod";
import { skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import type { Translator } from "../src/i18n/translator.js";

const where = (tr: Translator, channelId: string): string =>
  channelId ? tr.t("price-on-channel", { channel: channelId }) : "";

/** A stored (already redacted) push error, cut to one short chat line. */
const shortError = (e: string): string => {
  const line = e.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
};

export default defineCommand({
  name: "prices",
  summary: msg("cmd-prices-summary"),
  aliases: { "zh-CN": ["价格表"] },
  role: "viewer",
  argText: { sku: { name: msg("arg-sku"), description: msg("arg-sku-help") } },
  args: z.object({ sku: skuArg() }),
  examples: ["/prices A-12"],
  run: async ({ sku }, { deps, tr }) => {
    deps.ledger.stock.getLevel(sku);
    const base = deps.prices.currentPrice(sku);
    const lines = [tr.t("pg-prices-header", { sku, price: base ? tr.money(base.price) : tr.t("pg-prices-no-price") })];

    const listed = deps.ledger.outbox.listingsForSku(sku).filter((l) => !l.isDelisted);
    const confirmed = deps.priceOutbox.confirmedPrices(sku);
    if (listed.length) {
      lines.push(tr.t("pg-prices-channels"));
      for (const l of listed) {
        const p = confirmed.get(l.channelId);
        lines.push(
          tr.t("pg-prices-channel", {
            channel: l.channelId,
            price: p ? tr.money(p) : tr.t("pg-prices-not-pushed"),
          }),
        );
      }
    } else lines.push(tr.t("pg-prices-no-listings"));

    const pending = deps.priceOutbox.pendingPriceChanges(sku);
    if (pending.length) {
      lines.push(tr.t("pg-prices-pending"));
      for (const t of pending) {
        const args = {
          channel: t.channelId,
          price: tr.money(t.price),
          version: String(t.version),
          attempts: String(t.attempts),
        };
        lines.push(
          t.lastError
            ? tr.t("pg-prices-target-error", { ...args, error: shortError(t.lastError) })
            : tr.t("pg-prices-target", args),
        );
      }
    } else lines.push(tr.t("pg-prices-no-pending"));

    const requests = deps.priceRequests.pendingPriceRequests(sku);
    if (requests.length) {
      lines.push(tr.t("pg-prices-requests"));
      for (const r of requests)
        lines.push(
          tr.t("pg-prices-request", {
            id: String(r.id),
            requester: r.requestedBy,
            where: where(tr, r.channelId),
            old: r.old ? tr.money(r.old) : tr.t("price-none"),
            new: tr.money(r.price),
            pct: r.movePct.toFixed(1),
          }),
        );
    }

    const changes = deps.prices.recentPriceChanges(sku, 5);
    if (changes.length) {
      lines.push(tr.t("pg-prices-changes"));
      for (const c of changes) {
        const args = {
          at: tr.dateTime(new Date(c.at)),
          actor: c.actor,
          where: where(tr, c.channelId),
          old: c.oldMinor === null ? tr.t("price-none") : tr.money({ amountMinor: c.oldMinor, currency: c.currency }),
          new: tr.money({ amountMinor: c.newMinor, currency: c.currency }),
        };
        lines.push(c.outcome === "applied" ? tr.t("pg-prices-change", args) : tr.t("pg-prices-change-refused", args));
      }
    } else lines.push(tr.t("pg-prices-no-changes"));
    return { text: lines.join("\n") };
  },
});
