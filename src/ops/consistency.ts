import type { Translator } from "../i18n/translator.js";
import type { Db } from "../ledger/db.js";
import { checkInvariants, type InvariantMismatch } from "../ledger/invariants.js";

/** How many mismatches a one-line verdict names before it says "…". */
const EXAMPLES = 3;

/** One mismatch as people read it ("A-1 on hand 9, movements say 7"). */
export function describeMismatch(tr: Translator, m: InvariantMismatch): string {
  const v = { sku: m.sku, actual: m.actual, expected: m.expected };
  switch (m.rule) {
    case "on_hand_replay":
      return tr.t("hard-mismatch-on-hand", v);
    case "reserved_replay":
      return tr.t("hard-mismatch-reserved-replay", v);
    case "location_replay":
      return tr.t("hard-mismatch-location", { ...v, location: m.location ?? "?" });
    case "locations_sum":
      return tr.t("hard-mismatch-locations-sum", v);
    case "reserved_active":
      return tr.t("hard-mismatch-reserved-active", v);
    case "negative":
      return tr.t("hard-mismatch-negative", { sku: m.sku, actual: m.actual });
    case "bundle_stock":
      return tr.t("hard-mismatch-bundle", { sku: m.sku, actual: m.actual });
  }
}

/** The ledger file's invariant verdict with its first few mismatches in words (for restore and doctor). */
export function ledgerConsistency(db: Db, tr: Translator): { skus: number; count: number; examples: string } {
  const { skus, mismatches } = checkInvariants(db);
  const shown = mismatches.slice(0, EXAMPLES).map((m) => describeMismatch(tr, m));
  return {
    skus,
    count: mismatches.length,
    examples: `${shown.join("; ")}${mismatches.length > EXAMPLES ? "; …" : ""}`,
  };
}
