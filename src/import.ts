import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { Deps } from "./deps.js";
import { isAppError } from "./errors.js";
import { ChannelIdSchema, SkuSchema } from "./ids.js";

const int = (min: number) =>
  z.preprocess((v) => (v === "" || v === undefined ? undefined : v), z.coerce.number().int().min(min).optional());

const SkuRow = z.object({
  sku: SkuSchema,
  title: z.string().max(200).default(""),
  on_hand: z.coerce.number().int().min(0).max(10_000_000),
  low_threshold: int(0),
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

/** What an import did: rows applied, rows refused with their line numbers and reasons. */
export interface ImportReport {
  applied: number;
  unchanged: number;
  problems: string[];
}

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, "utf8"), {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
    bom: true,
  });
}

/**
 * Imports `sku,title,on_hand[,low_threshold]`. Each row is its own transaction, keyed by file content and
 * row, so re-running the same file changes nothing; bad rows are reported with their line and skipped.
 */
export function importSkus(deps: Pick<Deps, "ledger">, file: string, actor: string): ImportReport {
  const report: ImportReport = { applied: 0, unchanged: 0, problems: [] };
  readCsv(file).forEach((raw, i) => {
    const line = i + 2;
    const r = SkuRow.safeParse(raw);
    if (!r.success) {
      report.problems.push(
        `line ${line}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`,
      );
      return;
    }
    const before = deps.ledger.stock.findLevel(r.data.sku);
    deps.ledger.stock.upsertSku(
      {
        sku: r.data.sku,
        title: r.data.title,
        onHand: r.data.on_hand,
        ...(r.data.low_threshold !== undefined ? { lowThreshold: r.data.low_threshold } : {}),
      },
      {
        actor,
        reason: "import",
        idempotencyKey: `import:${r.data.sku}:${before?.onHand ?? "new"}->${r.data.on_hand}:${deps.ledger.now().toISOString()}`,
      },
    );
    if (before && before.onHand === r.data.on_hand) report.unchanged += 1;
    else report.applied += 1;
  });
  return report;
}

/** Imports `channel,sku,ref[,cap,buffer,share]`; unknown channels and SKUs are reported, not guessed. */
export function importListings(deps: Pick<Deps, "ledger" | "config">, file: string): ImportReport {
  const report: ImportReport = { applied: 0, unchanged: 0, problems: [] };
  const channels = new Set(deps.config.channels.map((c) => c.id));
  readCsv(file).forEach((raw, i) => {
    const line = i + 2;
    const r = ListingRow.safeParse(raw);
    if (!r.success) {
      report.problems.push(
        `line ${line}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`,
      );
      return;
    }
    if (!channels.has(r.data.channel)) {
      report.problems.push(
        `line ${line}: channel ${r.data.channel} is not configured (configured: ${[...channels].join(", ") || "none"})`,
      );
      return;
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
      report.problems.push(`line ${line}: ${err.userMessage}`);
    }
  });
  return report;
}
