import { renderRef, textRef } from "../i18n/ref.js";
import type { Translator } from "../i18n/translator.js";
import type { ChannelImportReport, ImportConflict } from "./channel-import.js";

/** Conflicts a chat reply lists before "… and N more" (the CLI lists all). */
export const CHAT_CONFLICTS = 20;

/** One conflict as one line in the reader's language, with the channel refs. */
export function describeConflict(c: ImportConflict, tr: Translator): string {
  switch (c.kind) {
    case "no_sku":
      return tr.t("import-conflict-no-sku", { channel: c.channelId, ref: c.ref, title: c.title || "-" });
    case "blank_sku":
      return tr.t("import-conflict-blank-sku", { channel: c.channelId, ref: c.ref, title: c.title || "-" });
    case "bad_sku":
      return tr.t("import-conflict-bad-sku", { channel: c.channelId, ref: c.ref, sku: c.sku });
    case "duplicate":
      return tr.t("import-conflict-duplicate", {
        sku: c.sku,
        channel: c.channelId,
        count: c.refs.length,
        refs: c.refs.join(", "),
      });
    case "quantities_differ":
      return tr.t("import-conflict-quantities", {
        sku: c.sku,
        quantities: c.quantities.map((q) => `${q.channelId} ${q.quantity} (${q.ref})`).join(", "),
      });
    case "no_quantity":
      return tr.t("import-conflict-no-quantity", { sku: c.sku, channel: c.channelId, ref: c.ref });
    case "untracked":
      return untrackedLine([c], tr);
    case "linked_elsewhere":
      return tr.t("import-conflict-linked-elsewhere", {
        sku: c.sku,
        channel: c.channelId,
        ref: c.ref,
        linkedRef: c.linkedRef,
      });
    case "ref_taken":
      return tr.t("import-conflict-ref-taken", {
        sku: c.sku,
        channel: c.channelId,
        ref: c.ref,
        linkedSku: c.linkedSku,
      });
    case "refused":
      return renderRef(
        tr,
        textRef("import-conflict-refused", { sku: c.sku, channel: c.channelId, ref: c.ref, reason: c.reason }),
      );
  }
}

/** Items whose stock the channel does not track, summarised in one line with the fix (the first ten SKUs named). */
function untrackedLine(items: Extract<ImportConflict, { kind: "untracked" }>[], tr: Translator): string {
  const named = items.slice(0, UNTRACKED_NAMED).map((c) => c.sku);
  const skus = items.length > UNTRACKED_NAMED ? `${named.join(", ")}, …` : named.join(", ");
  return tr.t("import-conflict-untracked", { count: items.length, channel: items[0]?.channelId ?? "", skus });
}

/** SKUs the untracked-stock line names before "…". */
const UNTRACKED_NAMED = 10;

/** The report of an import (CLI and chat): counts, the rule, then the conflicts (the first `maxConflicts`). */
export function describeImport(r: ChannelImportReport, tr: Translator, opts: { maxConflicts?: number } = {}): string {
  const counts = {
    channel: r.channelId,
    items: r.catalogItems,
    created: r.created,
    linked: r.linked,
    stockSet: r.stockSet,
    unchanged: r.unchanged,
  };
  const lines = [tr.t(r.dryRun ? "import-report-dry" : "import-report-done", counts)];
  if (!r.dryRun && r.linked) lines.push(tr.t("import-pushes-queued"));
  lines.push(
    r.rule === "channel"
      ? tr.t("import-rule-channel", { source: r.source })
      : tr.t(r.rule === "min" ? "import-rule-min" : r.rule === "max" ? "import-rule-max" : "import-rule-keep"),
  );
  if (r.notOnSource)
    lines.push(tr.t("import-not-on-source", { count: r.notOnSource, source: r.source, channel: r.channelId }));
  if (!r.conflicts.length) {
    lines.push(tr.t("import-conflicts-none"));
    return lines.join("\n");
  }
  lines.push(tr.t("import-conflicts-head", { count: r.conflicts.length }));
  // Stock not tracked on the channel is one kind with one fix: one line, however many items.
  const untracked = r.conflicts.filter((c) => c.kind === "untracked");
  const rest = r.conflicts.filter((c) => c.kind !== "untracked");
  if (untracked.length) lines.push(`- ${untrackedLine(untracked, tr)}`);
  const max = opts.maxConflicts ?? Number.POSITIVE_INFINITY;
  for (const c of rest.slice(0, max)) lines.push(`- ${describeConflict(c, tr)}`);
  if (rest.length > max) lines.push(tr.t("import-conflicts-more", { count: rest.length - max, channel: r.channelId }));
  lines.push(tr.t("import-conflicts-next"));
  return lines.join("\n");
}
