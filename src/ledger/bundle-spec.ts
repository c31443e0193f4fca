import { InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { SkuSchema } from "../ids.js";
import type { BundleComponent } from "./bundle-levels.js";

// The written form of a bundle, as `/bundle` and `import bundles` read it and every reply prints it.

/** The most units of one component a bundle may take. */
export const MAX_COMPONENT_QTY = 10_000;

/** The longest title a bundle created by `/bundle` or `import bundles` may take (as `/add`'s). */
export const MAX_BUNDLE_TITLE = 200;

/** The title a new bundle SKU gets: the one given (trimmed, checked for length), else the SKU itself. */
export function bundleTitle(sku: string, title?: string): string {
  const t = title?.trim() ?? "";
  if (t.length > MAX_BUNDLE_TITLE)
    throw localized(InvalidInputError, "bad_title", textRef("err-bundle-title", { sku, max: MAX_BUNDLE_TITLE }));
  return t || sku;
}

/** "2×MUG-1 + 1×CST-1": a bundle's components as one line (the form `/bundle` reads). */
export const formatComponents = (parts: readonly BundleComponent[]): string =>
  parts.map((p) => `${p.qty}×${p.component}`).join(" + ");

/**
 * Reads "2×MUG-1 + 1×CST-1" (also `2xMUG-1`, `2*MUG-1`, a bare `MUG-1` for one; a leading `=` is skipped) into
 * components, or throws InvalidInputError("bad_bundle") naming the part it could not read.
 */
export function parseComponents(text: string): BundleComponent[] {
  const body = text.trim().replace(/^=\s*/, "");
  if (!body) throw localized(InvalidInputError, "bad_bundle", textRef("err-bundle-spec", { text }));
  return body.split("+").map((part) => {
    const m = /^(?:(\d+)\s*[×xX*]\s*)?(\S+)$/.exec(part.trim());
    const sku = m?.[2] ? SkuSchema.safeParse(m[2]) : undefined;
    if (!m || !sku?.success)
      throw localized(InvalidInputError, "bad_bundle", textRef("err-bundle-spec", { text: part.trim() || text }));
    return { component: sku.data, qty: m[1] === undefined ? 1 : Number(m[1]) };
  });
}

/** A `/bundle` definition as written: its components and, for a bundle SKU not yet in the ledger, its title. */
export interface BundleSpec {
  components: BundleComponent[];
  title?: string;
}

const QUOTES = /^["“「'](.*)["”」']$/s;

/**
 * Reads `= 2×MUG-1 + 1×CST-1 "Gift set"`: the components (as parseComponents) and an optional title after the last
 * component (chat strips "…"; “…” and 「…」 are stripped here), which names the bundle SKU when defining creates it.
 * A title is read only after a component written `N×SKU` or when there are several components, so `2 MUG-1` stays
 * an error, and a title that reads like a component (`2×MUG-1 1×CST-1`, a missing +) is refused.
 */
export function parseBundleSpec(text: string): BundleSpec {
  const parts = text.trim().replace(/^=\s*/, "").split("+");
  const last = (parts.pop() ?? "").trim();
  const m = /^((?:\d+\s*[×xX*]\s*)?\S+)\s+([\s\S]+)$/.exec(last);
  const head = m?.[1] ?? "";
  if (!m || !(parts.length > 0 || /^\d+\s*[×xX*]/.test(head)) || /^\d+\s*[×xX*]\s*\S/.test(m[2] ?? ""))
    return { components: parseComponents(text) };
  const title = (m[2] ?? "").trim().replace(QUOTES, "$1").trim();
  return { components: parseComponents([...parts, head].join("+")), ...(title ? { title } : {}) };
}
