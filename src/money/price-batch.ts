import { createHash } from "node:crypto";
import { basename } from "node:path";
import { z } from "zod";
import type { Reply } from "../chat/types.js";
import type { Deps } from "../deps.js";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { renderRef, textRef } from "../i18n/ref.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
import { SkuSchema } from "../ids.js";
import { readCsv } from "../import.js";
import { amountArg, formatMoney, resolveAmount, toMinor } from "./amount.js";
import type { MoneyActor } from "./breaker-store.js";
import { drainPrices, movePct, needsPriceApproval, priceChannels } from "./price-flow.js";
import { changePrice, guardPrice } from "./price-guard.js";
import type { BatchItem, PriceBatch } from "./price-limits-store.js";

const PriceRow = z.object({
  sku: SkuSchema,
  amount: amountArg(),
  currency: z.preprocess(
    (v) => (v === "" ? undefined : typeof v === "string" ? v.toUpperCase() : v),
    z
      .string()
      .regex(/^[A-Z]{3}$/, { message: "must be a currency code such as EUR" })
      .optional(),
  ),
  channel: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).max(64).optional()),
});

/** What `import prices` did: refused whole, applied at once, or held as one approval request. */
export type PriceImportResult =
  | { kind: "refused"; text: string; problems: string[] }
  | { kind: "applied"; text: string; count: number; queued: Map<string, number> }
  | { kind: "requested"; text: string; batch: PriceBatch; isDuplicate: boolean };

const where = (channelId: string) =>
  channelId ? { byLocale: { en: ` on ${channelId}`, "zh-CN": `（${channelId}）` } } : "";

/** Validates every row of a prices CSV against the ledger and the guard; any problem refuses the whole file. */
function validate(deps: Deps, tr: Translator, text: string, file: string): { items: BatchItem[]; problems: string[] } {
  const items: BatchItem[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const line = (n: number, problem: string) => problems.push(tr.t("pb-line", { line: n, problem }));
  for (const { line: n, raw } of readCsv(text, "prices", tr, file)) {
    const r = PriceRow.safeParse(raw);
    if (!r.success) {
      line(n, r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; "));
      continue;
    }
    const { sku, amount, channel = "" } = r.data;
    if (!deps.ledger.stock.findLevel(sku)) {
      line(n, tr.t("pb-unknown-sku", { sku }));
      continue;
    }
    if (channel && !deps.channels.has(channel)) {
      line(n, tr.t("pb-unknown-channel", { channel }));
      continue;
    }
    const key = `${sku}\u0000${channel}`;
    const first = seen.get(key);
    if (first !== undefined) {
      line(n, renderRef(tr, textRef("pb-duplicate-row", { sku, where: where(channel), first })));
      continue;
    }
    seen.set(key, n);
    const current = deps.prices.currentPrice(sku, channel)?.price;
    const currency = r.data.currency ?? amount.currency ?? current?.currency ?? deps.config.money.currency;
    const price = resolveAmount(amount, currency);
    if ("error" in price) {
      line(n, price.error);
      continue;
    }
    const verdict = guardPrice(deps, sku, channel, current, price);
    if (!verdict.isAllowed) {
      line(n, `${sku}: ${renderRef(tr, verdict.message)}`);
      continue;
    }
    items.push({
      sku,
      channelId: channel,
      amountMinor: price.amountMinor,
      currency: price.currency,
      oldMinor: current?.amountMinor ?? null,
    });
  }
  return { items, problems };
}

/** Total value at the new prices (× on hand), per currency. */
function totals(deps: Deps, items: readonly BatchItem[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const it of items) {
    const onHand = deps.ledger.stock.findLevel(it.sku)?.onHand ?? 0;
    out.set(it.currency, (out.get(it.currency) ?? 0) + it.amountMinor * onHand);
  }
  return out;
}

const pctOf = (it: BatchItem): number =>
  movePct(it.oldMinor === null ? undefined : { amountMinor: it.oldMinor, currency: it.currency }, {
    amountMinor: it.amountMinor,
    currency: it.currency,
  });

/** The summary of a batch: how many SKUs, the 5 largest moves, the total value at the new prices. */
export function batchSummary(deps: Deps, tr: Translator, items: readonly BatchItem[]): string {
  const moves = [...items]
    .filter((it) => it.oldMinor !== null)
    .sort((a, b) => pctOf(b) - pctOf(a))
    .slice(0, 5)
    .map((it) => {
      const sign = it.amountMinor >= (it.oldMinor ?? 0) ? "+" : "−";
      return `${it.sku}${it.channelId ? `@${it.channelId}` : ""} ${formatMoney({ amountMinor: it.oldMinor ?? 0, currency: it.currency })} → ${formatMoney({ amountMinor: it.amountMinor, currency: it.currency })} (${sign}${pctOf(it).toFixed(1)}%)`;
    });
  const total = [...totals(deps, items).entries()]
    .map(([currency, amountMinor]) => formatMoney({ amountMinor, currency }))
    .join(", ");
  return tr.t("pb-summary", {
    count: new Set(items.map((i) => i.sku)).size,
    moves: moves.length ? moves.join("; ") : tr.t("price-none"),
    total,
  });
}

/** True when a batch needs one approval: more rows than `aboveCount`, a value above `aboveValue`, or a single big move. */
function needsBatchApproval(deps: Deps, items: readonly BatchItem[]): boolean {
  const rule = deps.config.money.priceBatchApproval;
  if (items.length > rule.aboveCount) return true;
  const limit = rule.aboveValue;
  if (limit !== undefined && [...totals(deps, items).entries()].some(([c, v]) => v > toMinor(limit, c))) return true;
  return items.some((it) => needsPriceApproval(deps, pctOf(it)));
}

/**
 * Applies every item in one transaction — each through the guard (`changePrice`, keyed by `keyOf`) and into the
 * price outbox — and returns how many targets each channel got. A refusal rolls the whole batch back.
 */
function applyItems(
  deps: Deps,
  items: readonly BatchItem[],
  keyOf: (it: BatchItem) => string,
  by: MoneyActor,
): { count: number; queued: Map<string, number> } {
  const queued = new Map<string, number>();
  let count = 0;
  deps.ledger.transaction(() => {
    for (const it of items) {
      const price = { amountMinor: it.amountMinor, currency: it.currency };
      const { change, isDuplicate } = changePrice(
        deps,
        { sku: it.sku, channelId: it.channelId, price, idempotencyKey: keyOf(it) },
        by,
      );
      if (isDuplicate) continue;
      count += 1;
      const targets = deps.priceOutbox.queuePriceTargets({
        sku: it.sku,
        channelIds: priceChannels(deps, it.sku, it.channelId),
        price,
        changeId: change.id,
      });
      for (const t of targets) queued.set(t.channelId, (queued.get(t.channelId) ?? 0) + 1);
    }
  });
  return { count, queued };
}

const queuedText = (tr: Translator, queued: Map<string, number>): string =>
  queued.size
    ? tr.list(
        [...queued.entries()].map(([channel, count]) => tr.t("pb-queued", { channel, count })),
        "and",
      )
    : tr.t("price-none");

/**
 * `import prices FILE.csv` (`sku,amount[,currency,channel]`): the whole file is validated first (unknown SKUs or
 * channels, duplicates, amounts, the guard); one problem refuses it all. A file above `money.priceBatchApproval`
 * (count or value) or with a move above `priceApprovalAbove` becomes ONE request for an approver other than the
 * requester, announced with a summary; a smaller one is applied at once in one transaction and pushed.
 */
export async function importPrices(
  deps: Deps,
  tr: Translator,
  text: string,
  file: string,
  by: MoneyActor,
): Promise<PriceImportResult> {
  const name = basename(file);
  const { items, problems } = validate(deps, tr, text, name);
  if (problems.length)
    return {
      kind: "refused",
      problems,
      text: [tr.t("pb-refused", { count: problems.length, file: name }), ...problems].join("\n"),
    };
  if (!items.length) return { kind: "refused", problems: [], text: tr.t("pb-empty", { file: name }) };
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
  if (needsBatchApproval(deps, items)) {
    const { batch, isDuplicate } = deps.priceLimits.openPriceBatch(
      { requestKey: `price-import:${digest}`, source: name, items },
      by,
    );
    if (isDuplicate)
      return {
        kind: "requested",
        batch,
        isDuplicate,
        text: tr.t("pb-duplicate-request", { id: String(batch.id), state: tr.t(`pb-state-${batch.state}`) }),
      };
    const summary = batchSummary(deps, tr, items);
    const i18n = sharedI18n(deps.config.timezone);
    const english = i18n.translator("en");
    const chinese = i18n.translator("zh-CN");
    const message = textRef("pb-requested", {
      id: String(batch.id),
      requester: by.actor,
      summary: { byLocale: { en: batchSummary(deps, english, items), "zh-CN": batchSummary(deps, chinese, items) } },
    });
    deps.ledger.alerts.raiseAlert({
      kind: "price_batch",
      subject: `batch:${batch.id}`,
      severity: "warning",
      message,
      buttons: [
        { label: "Approve", labelId: "pb-button-approve", action: `/approve-prices ${batch.id}` },
        // A button carries no free text: pressed, /reject-prices answers how to give the reason.
        { label: "Reject…", labelId: "button-reject", action: `/reject-prices ${batch.id}` },
      ],
    });
    return {
      kind: "requested",
      batch,
      isDuplicate,
      text: tr.t("pb-requested", { id: String(batch.id), requester: by.actor, summary }),
    };
  }
  const { count, queued } = applyItems(deps, items, (it) => `price-import:${digest}:${it.sku}:${it.channelId}`, by);
  if (!count) return { kind: "applied", count, queued, text: tr.t("pb-unchanged") };
  await drainPrices(deps, queued.keys());
  return { kind: "applied", count, queued, text: tr.t("pb-applied", { count, channels: queuedText(tr, queued) }) };
}

/** The pending batch `id` that `who` may decide (never the requester); a typed error otherwise. */
function decidableBatch(deps: Deps, tr: Translator, id: number, who: MoneyActor): PriceBatch {
  const b = deps.priceLimits.findPriceBatch(id);
  if (!b) throw localized(NotFoundError, "unknown_price_batch", textRef("pb-not-found", { id: String(id) }), { id });
  if (b.state !== "pending")
    throw new ConflictError(
      "price_batch_decided",
      tr.t("pb-decided", { id: String(id), state: tr.t(`pb-state-${b.state}`), by: b.decidedBy ?? "" }),
      { id },
    );
  if (b.requestedBy === who.actor)
    throw new ForbiddenError("own_price_batch", tr.t("pb-own", { id: String(id) }), { id });
  return b;
}

/** The preview of approving a batch: its summary, nothing changed. */
export function previewPriceBatch(deps: Deps, tr: Translator, id: number, who: MoneyActor): Reply {
  const b = decidableBatch(deps, tr, id, who);
  return {
    text: tr.t("pb-requested", {
      id: String(b.id),
      requester: b.requestedBy,
      summary: batchSummary(deps, tr, b.items),
    }),
  };
}

/**
 * Approves a batch: in ONE transaction every price passes the guard again (one refusal leaves the whole batch
 * pending), is recorded and queued in the price outbox, and the batch is marked approved; then one drain per
 * channel pushes the targets in the fewest batched calls the channel allows.
 */
export async function approvePriceBatch(deps: Deps, tr: Translator, id: number, who: MoneyActor): Promise<Reply> {
  const b = decidableBatch(deps, tr, id, who);
  const { count, queued } = deps.ledger.transaction(() => {
    const applied = applyItems(deps, b.items, (it) => `price-batch:${b.id}:${it.sku}:${it.channelId}`, who);
    if (!deps.priceLimits.decidePriceBatch(b.id, { state: "approved" }, who)) decidableBatch(deps, tr, id, who);
    deps.ledger.alerts.resolveAlert("price_batch", `batch:${b.id}`);
    return applied;
  });
  await drainPrices(deps, queued.keys());
  return { text: tr.t("pb-approved", { id: String(b.id), by: who.actor, count, queued: queuedText(tr, queued) }) };
}

/** Rejects a batch with a reason (audited); no price changes. */
export function rejectPriceBatch(
  deps: Deps,
  tr: Translator,
  id: number,
  reason: string | undefined,
  who: MoneyActor,
): Reply {
  // Maker-checker first: the requester pressing Reject is told so, not asked for a reason.
  const b = decidableBatch(deps, tr, id, who);
  if (!reason) throw localized(InvalidInputError, "reason_required", textRef("pb-reason-required", { id: String(id) }));
  deps.ledger.transaction(() => {
    if (!deps.priceLimits.decidePriceBatch(b.id, { state: "rejected", reason }, who)) decidableBatch(deps, tr, id, who);
    deps.ledger.alerts.resolveAlert("price_batch", `batch:${b.id}`);
  });
  return { text: tr.t("pb-rejected", { id: String(b.id), by: who.actor, reason }) };
}
