import type { App } from "../app.js";
import { isAppError } from "../errors.js";
import { renderRef } from "../i18n/ref.js";
import { languageConfigOf, resolveLocale } from "../i18n/resolve.js";
import { createI18n } from "../i18n/translator.js";
import { CATALOG_COLUMNS, readCatalogCsv } from "./catalog-csv.js";
import { importChannel, needsCatalogFile, QUANTITY_RULES, type QuantityRule } from "./channel-import.js";
import { describeImport } from "./report.js";

/** The options `stockradar import channel` takes (parsed by main.ts). */
export interface ImportChannelArgs {
  channel: string | undefined;
  dryRun?: boolean | undefined;
  quantity?: string | undefined;
  source?: string | undefined;
  file?: string | undefined;
}

const isRule = (s: string): s is QuantityRule => (QUANTITY_RULES as readonly string[]).includes(s);

/**
 * `stockradar import channel CHANNEL [--dry-run] [--quantity RULE] [--source CHANNEL] [--file FILE.csv]`: runs the
 * import against the app's channels and prints the report with every conflict. Exit 0 done without conflicts,
 * 1 conflicts or refused, 2 usage error.
 */
export async function runImportChannel(
  app: Pick<App, "deps">,
  args: ImportChannelArgs,
  out: { stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number> {
  const { config } = app.deps;
  const tr = createI18n({ timeZone: config.timezone }).translator(
    resolveLocale({ config: languageConfigOf(config), transport: "cli" }),
  );
  const usage = (line?: string) => {
    out.stderr(`${line ? `${line}\n` : ""}${tr.t("import-cli-usage")}\n`);
    return 2;
  };
  const { channel } = args;
  if (!channel) return usage();
  const rule = args.quantity ?? "channel";
  if (!isRule(rule)) return usage(tr.t("import-cli-bad-rule", { rule }));
  if (args.source !== undefined && rule !== "channel") return usage(tr.t("import-cli-source-rule", { rule }));
  try {
    if (!args.file && needsCatalogFile(app.deps, channel)) {
      out.stderr(`${tr.t("import-needs-file", { channel, columns: CATALOG_COLUMNS })}\n`);
      return 2;
    }
    const report = await importChannel(app.deps, {
      channelId: channel,
      rule,
      source: args.source,
      dryRun: args.dryRun,
      catalog: args.file ? readCatalogCsv(args.file) : undefined,
      actor: "cli:import",
      signal: AbortSignal.timeout(6 * 3600_000),
    });
    out.stdout(`${describeImport(report, tr)}\n`);
    return report.conflicts.length ? 1 : 0;
  } catch (err) {
    if (!isAppError(err)) throw err;
    out.stderr(`${err.i18n ? renderRef(tr, err.i18n) : err.userMessage}\n`);
    return 1;
  }
}
