import { InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { SkuSchema } from "../ids.js";
import type { BundleComponent } from "./bundle-levels.js";

// The written form of a bundle, as `/bundle` and `import bundles` read it and every reply prints it.

/** The most units of one component a bundle may take. */
export const MAX_COMPONENT_QTY = 10_000;

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
