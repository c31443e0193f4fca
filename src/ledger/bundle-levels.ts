import { asSku, type Sku } from "../ids.js";
import type { LedgerCtx } from "./context.js";
import { onHandIn } from "./locations.js";

// Bundles as the stock core reads them: which SKUs are bundles, of what, and how many sets the components make.
// Reads only (its own file so the outbox, movements and reservations can use it without importing each other).

/** One component of a bundle: `qty` units of `component` go into one bundle. */
export interface BundleComponent {
  component: Sku;
  qty: number;
}

/** One component's part in a bundle's available: its own available and the whole sets it makes. */
export interface ComponentSets extends BundleComponent {
  available: number;
  sets: number;
}

/** A bundle's available: the minimum over its components of ⌊available ÷ qty⌋, and the component that binds it. */
export interface BundleAvailability {
  sku: Sku;
  available: number;
  /** The component with the fewest sets (ties: the first in component order). */
  binding: Sku;
  components: ComponentSets[];
  /** The bundle's own low-stock line (its SKU row; null: the configured default). */
  lowThreshold: number | null;
}

/** The components of a bundle in component order (empty when `sku` is not a bundle). */
export function componentsOf(ctx: LedgerCtx, sku: string): BundleComponent[] {
  return ctx
    .stmt<[string], { component: string; qty: number }>(
      "SELECT component, qty FROM bundle_components WHERE bundle = ? ORDER BY component",
    )
    .all(sku)
    .map((r) => ({ component: asSku(r.component), qty: r.qty }));
}

/** True when `sku` is a bundle. */
export function isBundle(ctx: LedgerCtx, sku: string): boolean {
  return (
    ctx.stmt<[string], { n: number }>("SELECT 1 AS n FROM bundle_components WHERE bundle = ? LIMIT 1").get(sku) !==
    undefined
  );
}

/** The bundles that contain `component`, alphabetical. */
export function bundlesContaining(ctx: LedgerCtx, component: string): Sku[] {
  return ctx
    .stmt<[string], { bundle: string }>("SELECT bundle FROM bundle_components WHERE component = ? ORDER BY bundle")
    .all(component)
    .map((r) => asSku(r.bundle));
}

/** Every bundle with its components, alphabetical. */
export function allBundles(ctx: LedgerCtx): { sku: Sku; components: BundleComponent[] }[] {
  const rows = ctx
    .stmt<[], { bundle: string; component: string; qty: number }>(
      "SELECT bundle, component, qty FROM bundle_components ORDER BY bundle, component",
    )
    .all();
  const out: { sku: Sku; components: BundleComponent[] }[] = [];
  for (const r of rows) {
    let last = out.at(-1);
    if (last?.sku !== r.bundle) {
      last = { sku: asSku(r.bundle), components: [] };
      out.push(last);
    }
    last.components.push({ component: asSku(r.component), qty: r.qty });
  }
  return out;
}

/**
 * How many sets of a bundle its components make (undefined when `sku` is not a bundle). A component's available is
 * its on hand minus its reservations; with `locations` (a channel that sells from some locations only) it is at most
 * the on hand there, as the policy sees it for a plain SKU.
 */
export function bundleAvailability(
  ctx: LedgerCtx,
  sku: string,
  locations?: readonly string[],
): BundleAvailability | undefined {
  // The components with their levels in one read (every change of a component re-publishes its bundles).
  const rows = ctx
    .stmt<[string], { component: string; qty: number; available: number | null; low_threshold: number | null }>(
      `SELECT c.component, c.qty, s.on_hand - s.reserved AS available, b.low_threshold FROM bundle_components c
       JOIN skus b ON b.sku = c.bundle LEFT JOIN skus s ON s.sku = c.component WHERE c.bundle = ? ORDER BY c.component`,
    )
    .all(sku);
  const first = rows[0];
  if (!first) return undefined;
  const components = rows.map((r): ComponentSets => {
    const component = asSku(r.component);
    let available = Math.max(0, r.available ?? 0);
    if (locations) available = Math.min(available, onHandIn(ctx, component, locations));
    return { component, qty: r.qty, available, sets: Math.floor(available / r.qty) };
  });
  let binding = components[0] ?? { component: asSku(first.component), qty: first.qty, available: 0, sets: 0 };
  for (const c of components) if (c.sets < binding.sets) binding = c;
  return {
    sku: asSku(sku),
    available: binding.sets,
    binding: binding.component,
    components,
    lowThreshold: first.low_threshold,
  };
}
