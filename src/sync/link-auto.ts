import type { SalesChannel } from "../channels/types.js";
import { AppError, NotFoundError } from "../errors.js";
import { reasonOf } from "../i18n/errors.js";
import { type RefArg, renderRef, textRef } from "../i18n/ref.js";
import type { Translator } from "../i18n/translator.js";
import { SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import type { Ledger } from "../ledger/index.js";

/** What mapping a channel's catalog by SKU found. */
export interface AutoLinkReport {
  channelId: string;
  catalogItems: number;
  linked: { sku: string; ref: string }[];
  alreadyLinked: number;
  /** Catalog SKUs that are not in the ledger (or are not valid SKUs). */
  unmatched: string[];
  /** Catalog items without a SKU. */
  withoutSku: number;
  /** SKUs that appear on several catalog items: ambiguous, so none of them is linked. */
  duplicates: { sku: string; refs: string[] }[];
  /** Items that could not be linked for another reason (ref or SKU already linked elsewhere). */
  refused: { sku: string; ref: string; reason: RefArg }[];
}

/**
 * Links every catalog item of a channel whose SKU is in the ledger (`/link auto CHANNEL`). Items without a SKU,
 * SKUs the ledger does not know, and SKUs used by several items are reported, never guessed. With `dryRun`
 * nothing is written. Each new link queues the first push of that listing.
 */
export async function autoLink(
  ledger: Ledger,
  channel: SalesChannel,
  opts: { signal: AbortSignal; dryRun?: boolean },
): Promise<AutoLinkReport> {
  const catalog = await channel.listCatalog(opts.signal);
  const report: AutoLinkReport = {
    channelId: channel.id,
    catalogItems: catalog.length,
    linked: [],
    alreadyLinked: 0,
    unmatched: [],
    withoutSku: 0,
    duplicates: [],
    refused: [],
  };
  const bySku = new Map<string, string[]>();
  for (const item of catalog) {
    const s = item.sku?.trim();
    if (!s) {
      report.withoutSku += 1;
      continue;
    }
    bySku.set(s, [...(bySku.get(s) ?? []), item.ref]);
  }
  const existing = new Map(ledger.listings.channelListings(channel.id).map((l) => [l.sku as string, l.ref]));
  for (const [raw, refs] of bySku) {
    if (refs.length > 1) {
      report.duplicates.push({ sku: raw, refs });
      continue;
    }
    const ref = must(refs[0], "a SKU with no refs was skipped");
    const parsed = SkuSchema.safeParse(raw);
    if (!parsed.success) {
      report.unmatched.push(raw);
      continue;
    }
    const sku = parsed.data;
    try {
      ledger.stock.getLevel(sku);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      report.unmatched.push(raw);
      continue;
    }
    const current = existing.get(sku);
    if (current === ref) {
      report.alreadyLinked += 1;
      continue;
    }
    if (current !== undefined) {
      report.refused.push({ sku, ref, reason: { ref: textRef("link-auto-linked-to", { ref: current }) } });
      continue;
    }
    if (opts.dryRun) {
      report.linked.push({ sku, ref });
      continue;
    }
    try {
      ledger.listings.linkListing({ channelId: channel.id, sku, ref });
      report.linked.push({ sku, ref });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      report.refused.push({ sku, ref, reason: reasonOf(err) });
    }
  }
  report.unmatched.sort();
  return report;
}

/** The chat reply text for an auto-link report, in `tr`'s language. */
export function describeAutoLink(r: AutoLinkReport, tr: Translator, dryRun = false): string {
  const sep = tr.locale === "en" ? ", " : "、";
  const list = (xs: string[], max = 10) =>
    xs.length > max ? tr.t("link-more", { list: xs.slice(0, max).join(sep), count: xs.length - max }) : xs.join(sep);
  const head = dryRun ? "link-auto-head-dry" : r.linked.length ? "link-auto-head-queued" : "link-auto-head";
  const channel = r.channelId;
  const lines = [tr.t(head, { channel, items: r.catalogItems, linked: r.linked.length, already: r.alreadyLinked })];
  if (r.unmatched.length)
    lines.push(tr.t("link-auto-unmatched", { count: r.unmatched.length, list: list(r.unmatched), channel }));
  if (r.duplicates.length) {
    const items = r.duplicates.map((d) => tr.t("link-auto-dup-item", { sku: d.sku, refs: d.refs.join(", ") }));
    lines.push(tr.t("link-auto-duplicates", { count: r.duplicates.length, list: list(items, 5), channel }));
  }
  if (r.withoutSku) lines.push(tr.t("link-auto-without-sku", { count: r.withoutSku, channel }));
  if (r.refused.length)
    lines.push(
      tr.t("link-auto-refused", {
        count: r.refused.length,
        list: list(
          r.refused.map((x) =>
            renderRef(tr, textRef("link-auto-refused-item", { sku: x.sku, ref: x.ref, reason: x.reason })),
          ),
          5,
        ),
      }),
    );
  return lines.join("\n");
}
