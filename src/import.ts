import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { issueText } from "./config-problems.js";
import type { Deps } from "./deps.js";
import { InvalidInputError, isAppError } from "./errors.js";
import { errorText } from "./i18n/errors.js";
import type { Translator } from "./i18n/translator.js";
import { ChannelIdSchema, type Sku, SkuSchema } from "./ids.js";
import { MAX_BUNDLE_TITLE, MAX_COMPONENT_QTY } from "./ledger/bundle-spec.js";
import type { BundleComponent } from "./ledger/bundles.js";
import { amountArg, resolveAmount } from "./money/amount.js";

const int = (min: number) =>
  z.preprocess((v) => (v === "" || v === undefined ? undefined : v), z.coerce.number().int().min(min).optional());

const SkuRow = z.object({
  sku: SkuSchema,
  title: z.string().max(200).default(""),
  on_hand: z.coerce.number().int().min(0).max(10_000_000),
  low_threshold: int(0),
  /** The guard's cost floor (issue 14): an amount such as 8.50 or 8.50EUR, and a minimum margin in % (0–99). */
  cost: z.preprocess((v) => (v === "" ? undefined : v), amountArg().optional()),
  min_margin: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().min(0).max(99).optional()),
});
const ListingRow = z.object({
  channel: ChannelIdSchema,
  sku: SkuSchema,
  ref: z.string().trim().min(1).max(200),
  cap: int(0),
  buffer: int(0),
  share: z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : v),
    z.coerce.number().int().min(0).max(100).optional(),
  ),
});
const StocktakeRow = z.object({
  sku: SkuSchema,
  counted: z.coerce.number().int().min(0).max(10_000_000),
  location: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).max(32).optional()),
});

/** The columns each CSV kind takes: required first, then optional ones that may be left out. */
export const CSV_COLUMNS = {
  skus: { required: ["sku", "title", "on_hand"], optional: ["low_threshold", "cost", "min_margin"] },
  listings: { required: ["channel", "sku", "ref"], optional: ["cap", "buffer", "share"] },
  stocktake: { required: ["sku", "counted"], optional: ["location"] },
  bundles: { required: ["bundle", "component", "qty"], optional: ["title"] },
  prices: { required: ["sku", "amount"], optional: ["currency", "channel"] },
} as const;

/** A CSV kind `import` accepts. */
export type CsvKind = keyof typeof CSV_COLUMNS;

/** "sku,title,on_hand[,low_threshold]": the header line a kind expects, optional columns in brackets. */
export const expectedHeader = (kind: CsvKind): string => {
  const c = CSV_COLUMNS[kind];
  return `${c.required.join(",")}${c.optional.map((o) => `[,${o}]`).join("")}`;
};

/** What an import did: rows applied, rows refused with their line numbers and reasons. */
export interface ImportReport {
  applied: number;
  unchanged: number;
  problems: string[];
}

/** One SKU whose ledger on-hand `import skus --set` would overwrite with the file's number. */
export interface Overwrite {
  sku: string;
  ledger: number;
  file: number;
}

/** The result of `import skus`: the report, and under `--set` without `--yes` the overwrites it held back. */
export interface SkuImportReport extends ImportReport {
  /** Existing SKUs whose stock differs from the file. Left alone unless `set`; applied only with `yes`. */
  overwrites: Overwrite[];
  /** True when `set` found overwrites and nothing was written because `yes` was not given. */
  needsConfirmation: boolean;
}

interface CsvRow {
  line: number;
  raw: Record<string, string>;
}

/** The delimiter a CSV's header line uses: the most frequent of `,` `;` and tab outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): string {
  const first =
    text
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/)
      .find((l) => l.trim() !== "") ?? "";
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let isQuoted = false;
  for (const ch of first) {
    if (ch === '"') isQuoted = !isQuoted;
    else if (!isQuoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

const delimiterName = (d: string): string => (d === "\t" ? "tab" : d);

/**
 * Reads a CSV of `kind`: delimiter detected, optional columns may be missing (short rows are padded),
 * a header with missing or unknown columns is refused with the header it expects (InvalidInputError).
 */
export function readCsv(text: string, kind: CsvKind, tr: Translator, file = "file"): CsvRow[] {
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new InvalidInputError(
      "bad_csv",
      tr.t("first-csv-unreadable", { file, line: e.lines ?? 0, reason: String(e.message ?? err).split("\n")[0] ?? "" }),
    );
  }
  const [head, ...body] = records;
  if (!head) throw new InvalidInputError("bad_csv", tr.t("first-csv-empty", { file, expected: expectedHeader(kind) }));
  const header = head.record.map((c) => c.trim().toLowerCase());
  const known = new Set<string>([...CSV_COLUMNS[kind].required, ...CSV_COLUMNS[kind].optional]);
  const missing = CSV_COLUMNS[kind].required.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !known.has(c));
  if (missing.length || unknown.length)
    throw new InvalidInputError(
      "bad_csv_header",
      tr.t("first-csv-header", {
        file,
        header: head.record.join(delimiterName(delimiter) === "tab" ? "\\t" : delimiter),
        expected: expectedHeader(kind),
        missing: missing.join(", ") || "-",
        unknown: unknown.join(", ") || "-",
      }),
    );
  return body.map(({ record, info }) => ({
    line: info.lines,
    raw: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ""])),
  }));
}

/** A CSV row's problems in the reader's language: `column: what is wrong`. */
const issuesOf = (tr: Translator, e: z.ZodError): string => {
  const [colon, semicolon] = tr.locale === "zh-CN" ? ["：", "；"] : [": ", "; "];
  return e.issues.map((x) => `${x.path.join(".")}${colon}${issueText(tr, x)}`).join(semicolon);
};

/** A short digest of a file's content: with the row's SKU it keys each change, so the same file applies once. */
const digest = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** The file's text; a missing or unreadable file is one line in the reader's language (not Node's error). */
export function readImportFile(file: string, tr: Translator): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EIO";
    throw new InvalidInputError("bad_csv_file", tr.t("first-csv-missing", { file, reason: code }));
  }
}

/**
 * Imports `sku,title,on_hand[,low_threshold]`. New SKUs are created with the file's on-hand; existing SKUs
 * keep their stock (titles and thresholds are updated) unless `set`. Under `set`, SKUs whose stock differs
 * are overwritten only with `yes`; without it nothing is written and `overwrites` lists what would change.
 * Every change is keyed by the file's content and the SKU, so re-running a file changes nothing.
 */
export function importSkus(
  deps: Pick<Deps, "ledger"> & Partial<Pick<Deps, "priceLimits" | "config">>,
  file: string,
  actor: string,
  tr: Translator,
  opts: { set?: boolean; yes?: boolean } = {},
): SkuImportReport {
  const text = readImportFile(file, tr);
  const rows = readCsv(text, "skus", tr, basename(file));
  const key = digest(text);
  const report: SkuImportReport = { applied: 0, unchanged: 0, problems: [], overwrites: [], needsConfirmation: false };
  const valid: { line: number; row: z.infer<typeof SkuRow> }[] = [];
  for (const { line, raw } of rows) {
    const r = SkuRow.safeParse(raw);
    if (r.success) valid.push({ line, row: r.data });
    else report.problems.push(tr.t("first-csv-line", { line, problem: issuesOf(tr, r.error) }));
  }
  for (const { row } of valid) {
    const before = deps.ledger.stock.findLevel(row.sku);
    if (before && before.onHand !== row.on_hand)
      report.overwrites.push({ sku: row.sku, ledger: before.onHand, file: row.on_hand });
  }
  if (opts.set && report.overwrites.length && !opts.yes) {
    report.needsConfirmation = true;
    return report;
  }
  for (const { line, row } of valid) {
    const cost = row.cost
      ? resolveAmount(row.cost, row.cost.currency ?? deps.config?.money.currency ?? "CNY")
      : undefined;
    if (cost && "error" in cost) {
      report.problems.push(tr.t("first-csv-line", { line, problem: cost.error }));
      continue;
    }
    const before = deps.ledger.stock.findLevel(row.sku);
    const isOverwrite = Boolean(opts.set && before && before.onHand !== row.on_hand);
    try {
      deps.ledger.stock.upsertSku(
        {
          sku: row.sku,
          ...(row.title || !before ? { title: row.title } : {}),
          ...(!before || isOverwrite ? { onHand: row.on_hand } : {}),
          ...(row.low_threshold !== undefined ? { lowThreshold: row.low_threshold } : {}),
        },
        {
          actor,
          reason: "import",
          // An overwrite is keyed by the count it replaces too: the same file may reset the SKU again after sales.
          idempotencyKey: isOverwrite ? `import-set:${key}:${row.sku}:${before?.onHand}` : `import:${key}:${row.sku}`,
        },
      );
    } catch (err) {
      if (!isAppError(err)) throw err;
      report.problems.push(tr.t("first-csv-line", { line, problem: errorText(err, tr) }));
      continue;
    }
    if (cost && deps.priceLimits) {
      deps.priceLimits.setSkuPriceLimits(
        {
          sku: row.sku,
          currency: cost.currency,
          costMinor: cost.amountMinor,
          ...(row.min_margin !== undefined ? { minMarginPct: row.min_margin } : {}),
        },
        { actor, transport: "cli", requestId: `import:${key}:${row.sku}` },
      );
    }
    if (!before || isOverwrite) report.applied += 1;
    else report.unchanged += 1;
  }
  return report;
}

/**
 * Imports a stocktake `sku,counted[,location]`: each differing count is recorded as a set-on-hand with the
 * reason "count" (keyed by file content, SKU and location), so re-running the file changes nothing.
 */
export function importStocktake(deps: Pick<Deps, "ledger">, file: string, actor: string, tr: Translator): ImportReport {
  const text = readImportFile(file, tr);
  const rows = readCsv(text, "stocktake", tr, basename(file));
  const key = digest(text);
  const report: ImportReport = { applied: 0, unchanged: 0, problems: [] };
  for (const { line, raw } of rows) {
    const r = StocktakeRow.safeParse(raw);
    if (!r.success) {
      report.problems.push(tr.t("first-csv-line", { line, problem: issuesOf(tr, r.error) }));
      continue;
    }
    const { sku, counted, location } = r.data;
    if (!deps.ledger.stock.findLevel(sku)) {
      report.problems.push(tr.t("first-csv-line", { line, problem: tr.t("first-unknown-sku", { sku }) }));
      continue;
    }
    try {
      const res = deps.ledger.stock.setOnHand(sku, counted, {
        actor,
        reason: "count",
        idempotencyKey: `count:${key}:${sku}:${location ?? ""}`,
        note: basename(file),
        location: location ?? null,
      });
      if (res.isDuplicate || res.movement.onHandBefore === res.movement.onHandAfter) report.unchanged += 1;
      else report.applied += 1;
    } catch (err) {
      if (!isAppError(err)) throw err;
      report.problems.push(tr.t("first-csv-line", { line, problem: errorText(err, tr) }));
    }
  }
  return report;
}

/** Imports `channel,sku,ref[,cap,buffer,share]`; unknown channels and SKUs are reported, not guessed. */
export function importListings(deps: Pick<Deps, "ledger" | "config">, file: string, tr: Translator): ImportReport {
  const report: ImportReport = { applied: 0, unchanged: 0, problems: [] };
  const channels = new Set(deps.config.channels.map((c) => c.id));
  for (const { line, raw } of readCsv(readImportFile(file, tr), "listings", tr, basename(file))) {
    const r = ListingRow.safeParse(raw);
    if (!r.success) {
      report.problems.push(tr.t("first-csv-line", { line, problem: issuesOf(tr, r.error) }));
      continue;
    }
    if (!channels.has(r.data.channel)) {
      report.problems.push(
        `line ${line}: channel ${r.data.channel} is not configured (configured: ${[...channels].join(", ") || "none"})`,
      );
      continue;
    }
    try {
      deps.ledger.listings.linkListing({
        channelId: r.data.channel,
        sku: r.data.sku,
        ref: r.data.ref,
        cap: r.data.cap ?? null,
        buffer: r.data.buffer ?? 0,
        sharePct: r.data.share ?? null,
      });
      report.applied += 1;
    } catch (err) {
      if (!isAppError(err)) throw err;
      report.problems.push(tr.t("first-csv-line", { line, problem: errorText(err, tr) }));
    }
  }
  return report;
}

const BundleRow = z.object({
  bundle: SkuSchema,
  component: SkuSchema,
  qty: z.coerce.number().int().min(1).max(MAX_COMPONENT_QTY),
  title: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).max(MAX_BUNDLE_TITLE).optional()),
});

/**
 * Imports `bundle,component,qty[,title]` (one row per component). The whole file is checked first (every row, then
 * every bundle as `/bundle` would check it); any problem refuses the file with one line per row and writes nothing.
 * Otherwise every bundle is defined in one transaction, a bundle SKU not in the ledger created with the first title
 * its rows give (else the SKU); a bundle already defined the same way counts as unchanged.
 */
export function importBundles(deps: Pick<Deps, "ledger">, file: string, actor: string, tr: Translator): ImportReport {
  const report: ImportReport = { applied: 0, unchanged: 0, problems: [] };
  const defs = new Map<Sku, { line: number; components: BundleComponent[]; title?: string }>();
  for (const { line, raw } of readCsv(readImportFile(file, tr), "bundles", tr, basename(file))) {
    const r = BundleRow.safeParse(raw);
    if (!r.success) {
      report.problems.push(tr.t("first-csv-line", { line, problem: issuesOf(tr, r.error) }));
      continue;
    }
    const def = defs.get(r.data.bundle) ?? { line, components: [] };
    defs.set(r.data.bundle, def);
    def.components.push({ component: r.data.component, qty: r.data.qty });
    if (def.title === undefined && r.data.title !== undefined) def.title = r.data.title;
  }
  const pending = new Set<string>(defs.keys());
  for (const [bundle, def] of defs) {
    try {
      deps.ledger.bundles.checkBundle(bundle, def.components, new Set([...pending].filter((b) => b !== bundle)));
    } catch (err) {
      if (!isAppError(err)) throw err;
      report.problems.push(tr.t("first-csv-line", { line: def.line, problem: errorText(err, tr) }));
    }
  }
  if (report.problems.length) return report;
  const done = deps.ledger.bundles.defineBundles(
    [...defs].map(([sku, d]) => ({
      sku,
      components: d.components,
      ...(d.title === undefined ? {} : { title: d.title }),
    })),
    { actor, transport: "cli" },
  );
  report.applied = done.changed.length;
  report.unchanged = done.unchanged.length;
  return report;
}
