import { createHash } from "node:crypto";
import type { CatalogItem, ListingRef } from "../channels/types.js";
import type { Deps } from "../deps.js";
import { InvalidInputError, isAppError } from "../errors.js";
import { localized, reasonOf } from "../i18n/errors.js";
import { type RefArg, textRef } from "../i18n/ref.js";
import { type Sku, SkuSchema } from "../ids.js";

/** How on-hand is taken from the channels (`--quantity`). */
export const QUANTITY_RULES = ["channel", "min", "max", "keep"] as const;
/** One of {@link QUANTITY_RULES}. */
export type QuantityRule = (typeof QUANTITY_RULES)[number];

/** Most SKUs written per ledger transaction: chat and webhooks get the event loop between transactions. */
export const IMPORT_CHUNK = 200;
/** A transaction also ends once it has held the event loop this long (a cold start writes slower than 1 ms a SKU). */
const SLICE_MS = 40;
/** Catalog items planned between two yields. */
const PLAN_SLICE = 100;

/** Titles longer than this are cut (the ledger shows titles in one chat line). */
const TITLE_MAX = 200;

/** One channel's quantity of a SKU, with the item it was read from. */
export interface SeenQuantity {
  channelId: string;
  ref: string;
  quantity: number;
}

/** Something the import will not guess; the SKU (or item) is skipped and listed with the channel's refs. */
export type ImportConflict =
  | { kind: "no_sku"; channelId: string; ref: string; title: string }
  | { kind: "blank_sku"; channelId: string; ref: string; title: string }
  | { kind: "bad_sku"; channelId: string; sku: string; ref: string }
  | { kind: "duplicate"; channelId: string; sku: string; refs: string[] }
  | { kind: "quantities_differ"; sku: string; quantities: SeenQuantity[] }
  | { kind: "no_quantity"; channelId: string; sku: string; ref: string }
  | { kind: "untracked"; channelId: string; sku: string; ref: string }
  | { kind: "linked_elsewhere"; channelId: string; sku: string; ref: string; linkedRef: string }
  | { kind: "ref_taken"; channelId: string; sku: string; ref: string; linkedSku: string }
  /** `reason`: the refusal's catalog message (or its English text), rendered in the reader's language. */
  | { kind: "refused"; channelId: string; sku: string; ref: string; reason: RefArg };

/** What an import did (or, with `dryRun`, would do). */
export interface ChannelImportReport {
  channelId: string;
  rule: QuantityRule;
  /** The channel whose quantity counts under the `channel` rule. */
  source: string;
  dryRun: boolean;
  catalogItems: number;
  /** SKUs the ledger lacked, created with the catalog title. */
  created: number;
  /** Listings linked on the channel (created SKUs included); each link queues that listing's first push. */
  linked: number;
  /** Existing SKUs whose on-hand the rule changed. */
  stockSet: number;
  /** Items already linked to the same SKU on this channel: left alone. */
  unchanged: number;
  /** SKUs missing on the source channel: they took the imported channel's quantity. */
  notOnSource: number;
  conflicts: ImportConflict[];
}

/** What {@link importChannel} needs. */
export interface ChannelImportOptions {
  channelId: string;
  /** Default `channel`. */
  rule?: QuantityRule | undefined;
  /** The source of truth for the `channel` rule (default: the imported channel). */
  source?: string | undefined;
  dryRun?: boolean | undefined;
  /** The catalog, when it comes from a file (Xianyu has no catalog API) instead of the channel. */
  catalog?: CatalogItem[] | undefined;
  actor: string;
  signal: AbortSignal;
  /** SKUs per transaction (default {@link IMPORT_CHUNK}). */
  chunkSize?: number | undefined;
}

interface PlanItem {
  sku: Sku;
  ref: string;
  title: string;
  isNew: boolean;
  /** On-hand to set; undefined keeps the current count. */
  target: number | undefined;
}

type Channels = Pick<Deps, "ledger" | "sync" | "config">;

/** Hands the event loop to chat, webhooks and timers between pages and transactions. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** True when the channel has no catalog API (Xianyu): its catalog comes from a file (`readCatalogCsv`). */
export function needsCatalogFile(deps: Pick<Deps, "config">, channelId: string): boolean {
  return deps.config.channels.find((c) => c.id === channelId)?.kind === "xianyu";
}

function checkConfigured(deps: Channels, id: string): void {
  const known = deps.config.channels.map((c) => c.id);
  if (!known.includes(id))
    throw localized(
      InvalidInputError,
      "unknown_channel",
      textRef("err-unknown-channel", { channel: id, known: known.join(", ") || { ref: textRef("err-none") } }),
      { channel: id },
    );
}

/** The channel's catalog grouped by trimmed SKU; items without a usable SKU become conflicts. */
function groupCatalog(channelId: string, catalog: CatalogItem[], conflicts: ImportConflict[]) {
  const bySku = new Map<string, CatalogItem[]>();
  for (const item of catalog) {
    if (item.sku === null || item.sku === "") {
      conflicts.push({ kind: "no_sku", channelId, ref: item.ref, title: item.title });
      continue;
    }
    const s = item.sku.trim();
    if (!s) {
      conflicts.push({ kind: "blank_sku", channelId, ref: item.ref, title: item.title });
      continue;
    }
    bySku.set(s, [...(bySku.get(s) ?? []), item]);
  }
  return bySku;
}

/** Live quantities of `skus` on every other channel where they are linked (one fetchStock per channel). */
async function linkedQuantities(
  deps: Channels,
  channelId: string,
  skus: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<Map<string, SeenQuantity[]>> {
  const out = new Map<string, SeenQuantity[]>();
  const available = new Set(deps.sync.channelIds());
  for (const c of deps.config.channels) {
    if (c.id === channelId || !available.has(c.id)) continue;
    const refs: ListingRef[] = deps.ledger.listings
      .channelListings(c.id)
      .filter((l) => skus.has(l.sku))
      .map((l) => ({ sku: l.sku, ref: l.ref }));
    const channel = deps.sync.channel(c.id);
    if (!refs.length || channel.readsStock === false) continue;
    for (const s of await channel.fetchStock(refs, signal))
      out.set(s.sku, [...(out.get(s.sku) ?? []), { channelId: c.id, ref: s.ref, quantity: s.quantity }]);
    await yieldToLoop();
  }
  return out;
}

/** The idempotency key of one SKU's import: the same channel, SKU and content never applies twice. */
function importKey(channelId: string, p: PlanItem, rule: QuantityRule, source: string): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([p.ref, p.target ?? null, rule, source]))
    .digest("hex")
    .slice(0, 16);
  return `import:${channelId}:${p.sku}:${digest}`;
}

/**
 * Brings a channel's catalog into the ledger (`stockradar import channel`, `/import`): creates the SKUs the
 * ledger lacks, links every listing and sets on-hand by `rule`. Conflicts (items without a SKU, blank or invalid
 * SKUs, duplicates within the channel, different quantities on two channels when the rule needs one number, a
 * SKU or item already linked to something else) are reported, never guessed: those SKUs are skipped. Items
 * already linked to the same SKU are left alone, so a second run changes nothing. Adapters read through the
 * channel's own rate limiter (the one sync uses); the ledger is written in transactions of at most `chunkSize` SKUs
 * (and about 40 ms) with the event loop handed back between them.
 */
export async function importChannel(deps: Channels, opts: ChannelImportOptions): Promise<ChannelImportReport> {
  const rule = opts.rule ?? "channel";
  const { channelId } = opts;
  checkConfigured(deps, channelId);
  if (opts.source !== undefined) {
    if (rule !== "channel")
      throw localized(InvalidInputError, "source_needs_channel_rule", textRef("import-source-needs-channel", { rule }));
    checkConfigured(deps, opts.source);
  }
  const source = opts.source ?? channelId;
  const report: ChannelImportReport = {
    channelId,
    rule,
    source,
    dryRun: opts.dryRun ?? false,
    catalogItems: 0,
    created: 0,
    linked: 0,
    stockSet: 0,
    unchanged: 0,
    notOnSource: 0,
    conflicts: [],
  };
  const catalog = opts.catalog ?? (await deps.sync.channel(channelId).listCatalog(opts.signal));
  report.catalogItems = catalog.length;
  await yieldToLoop();
  const bySku = groupCatalog(channelId, catalog, report.conflicts);

  const sourceQty = new Map<string, SeenQuantity>();
  /** SKUs on several items of the source: no single source number, so they are conflicts if this channel has them. */
  const sourceDuplicates = new Set<string>();
  if (source !== channelId) {
    for (const [s, items] of groupCatalog(source, await deps.sync.channel(source).listCatalog(opts.signal), [])) {
      const [only] = items;
      if (items.length > 1 || !only) {
        sourceDuplicates.add(s);
        if (bySku.has(s))
          report.conflicts.push({ kind: "duplicate", channelId: source, sku: s, refs: items.map((i) => i.ref) });
      } else if (only.quantity !== undefined)
        sourceQty.set(s, { channelId: source, ref: only.ref, quantity: only.quantity });
    }
    await yieldToLoop();
  }

  const onChannel = new Map(deps.ledger.listings.channelListings(channelId).map((l) => [l.sku as string, l.ref]));
  const refOwner = new Map([...onChannel].map(([s, r]) => [r, s]));
  const candidates: { sku: Sku; item: CatalogItem; quantity: number | undefined }[] = [];
  for (const [raw, items] of bySku) {
    const [item] = items;
    if (!item) continue;
    if (items.length > 1) {
      report.conflicts.push({ kind: "duplicate", channelId, sku: raw, refs: items.map((i) => i.ref) });
      continue;
    }
    const parsed = SkuSchema.safeParse(raw);
    if (!parsed.success) {
      report.conflicts.push({ kind: "bad_sku", channelId, sku: raw, ref: item.ref });
      continue;
    }
    const sku = parsed.data;
    if (sourceDuplicates.has(sku)) continue;
    const linkedRef = onChannel.get(sku);
    if (linkedRef === item.ref) {
      report.unchanged += 1;
      continue;
    }
    if (linkedRef !== undefined) {
      report.conflicts.push({ kind: "linked_elsewhere", channelId, sku, ref: item.ref, linkedRef });
      continue;
    }
    const owner = refOwner.get(item.ref);
    if (owner !== undefined) {
      report.conflicts.push({ kind: "ref_taken", channelId, sku, ref: item.ref, linkedSku: owner });
      continue;
    }
    candidates.push({ sku, item, quantity: item.quantity });
  }

  // Other channels' numbers matter when the rule compares them: min/max, or `channel` with no source named.
  const isComparing = rule === "min" || rule === "max" || (rule === "channel" && opts.source === undefined);
  const others = isComparing
    ? await linkedQuantities(deps, channelId, new Set(candidates.map((c) => c.sku as string)), opts.signal)
    : new Map<string, SeenQuantity[]>();

  const plan: PlanItem[] = [];
  for (const [n, { sku, item, quantity }] of candidates.entries()) {
    if (n > 0 && n % PLAN_SLICE === 0) await yieldToLoop();
    const level = deps.ledger.stock.findLevel(sku);
    const elsewhere = others.get(sku) ?? [];
    const seen: SeenQuantity[] =
      quantity === undefined ? elsewhere : [{ channelId, ref: item.ref, quantity }, ...elsewhere];
    let wanted: number | undefined;
    if (rule === "keep") wanted = level ? undefined : quantity;
    else if (rule === "min" || rule === "max") {
      const qs = seen.map((s) => s.quantity);
      wanted = qs.length ? (rule === "min" ? Math.min(...qs) : Math.max(...qs)) : undefined;
    } else if (opts.source !== undefined && source !== channelId) {
      wanted = sourceQty.get(sku)?.quantity;
      if (wanted === undefined && quantity !== undefined) {
        wanted = quantity;
        report.notOnSource += 1;
      }
    } else {
      if (new Set(seen.map((s) => s.quantity)).size > 1) {
        report.conflicts.push({ kind: "quantities_differ", sku, quantities: seen });
        continue;
      }
      // Already counted by the ledger for another channel: linking adds a channel, the stock stays as it is.
      wanted = level && elsewhere.length ? undefined : quantity;
    }
    if (wanted === undefined && !level) {
      report.conflicts.push({ kind: item.untracked ? "untracked" : "no_quantity", channelId, sku, ref: item.ref });
      continue;
    }
    // A channel shows what it can sell; units the ledger holds for open orders are still on hand.
    const target = wanted === undefined ? undefined : wanted + (level?.reserved ?? 0);
    plan.push({
      sku,
      ref: item.ref,
      title: item.title.slice(0, TITLE_MAX),
      isNew: !level,
      target: target !== undefined && level?.onHand === target ? undefined : target,
    });
  }

  if (report.dryRun) {
    for (const p of plan) {
      report.linked += 1;
      if (p.isNew) report.created += 1;
      else if (p.target !== undefined) report.stockSet += 1;
    }
    return report;
  }
  const size = Math.max(1, opts.chunkSize ?? IMPORT_CHUNK);
  for (let i = 0; i < plan.length; ) {
    if (opts.signal.aborted) throw opts.signal.reason;
    const started = performance.now();
    i = deps.ledger.transaction(() => {
      let at = i;
      const end = Math.min(plan.length, i + size);
      // Time is only a scheduling hint here: where a transaction ends never changes what is written.
      while (at < end && (at === i || performance.now() - started < SLICE_MS)) {
        applyOne(deps, channelId, plan[at] as PlanItem, { rule, source, actor: opts.actor }, report);
        at += 1;
      }
      return at;
    });
    await yieldToLoop();
  }
  return report;
}

/** Creates / sets / links one SKU inside the caller's transaction; a refusal rolls back this SKU alone. */
function applyOne(
  deps: Channels,
  channelId: string,
  p: PlanItem,
  o: { rule: QuantityRule; source: string; actor: string },
  report: ChannelImportReport,
): void {
  const meta = { actor: o.actor, reason: "import", idempotencyKey: importKey(channelId, p, o.rule, o.source) };
  try {
    const isStockSet = deps.ledger.savepoint(() => {
      let isSet = false;
      if (p.isNew)
        deps.ledger.stock.upsertSku(
          { sku: p.sku, title: p.title, ...(p.target !== undefined ? { onHand: p.target } : {}) },
          meta,
        );
      else if (p.target !== undefined) isSet = !deps.ledger.stock.setOnHand(p.sku, p.target, meta).isDuplicate;
      deps.ledger.listings.linkListing({ channelId, sku: p.sku, ref: p.ref });
      return isSet;
    });
    if (p.isNew) report.created += 1;
    if (isStockSet) report.stockSet += 1;
    report.linked += 1;
  } catch (err) {
    if (!isAppError(err)) throw err;
    report.conflicts.push({ kind: "refused", channelId, sku: p.sku, ref: p.ref, reason: reasonOf(err) });
  }
}
