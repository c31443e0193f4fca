import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asSku, type Sku } from "../ids.js";
import { recordAudit } from "./audit.js";
import {
  type BundleAvailability,
  type BundleComponent,
  bundleAvailability,
  bundlesContaining,
  componentsOf,
  isBundle,
} from "./bundle-levels.js";
import { bundleTitle, formatComponents, MAX_COMPONENT_QTY } from "./bundle-spec.js";
import { type LedgerCtx, nowIso, write } from "./context.js";
import { readLevel } from "./levels.js";
import { enqueueForSku } from "./outbox.js";

/** The read side of bundles (bundle-levels.ts), reachable as `ledger.bundles.*` with the writes below. */
export type { BundleAvailability, BundleComponent, ComponentSets } from "./bundle-levels.js";
export { allBundles, bundleAvailability, bundlesContaining, componentsOf, isBundle } from "./bundle-levels.js";

/** Who defines or removes a bundle (the audit row names them). */
export interface BundleMeta {
  actor: string;
  transport?: string;
  requestId?: string;
}

/** What defining a bundle did: its components before (empty: it was not a bundle) and whether anything changed. */
export interface BundleDefinition {
  sku: Sku;
  /** The bundle's SKU did not exist and was created by this definition (with `title`). */
  isCreated: boolean;
  title: string;
  before: BundleComponent[];
  components: BundleComponent[];
  isChanged: boolean;
  availability: BundleAvailability;
}

/**
 * Checks a bundle definition without writing: known SKUs, no self, no duplicate component, whole quantities, no
 * component that is a bundle, no bundle that is a component, no stock or open reservations on the bundle.
 * A bundle SKU not yet in the ledger passes: defining it creates it. `pending` are other definitions applied in
 * the same batch (an import), which count as bundles already.
 */
export function checkBundle(
  ctx: LedgerCtx,
  sku: string,
  components: readonly BundleComponent[],
  pending: ReadonlySet<string> = new Set(),
): void {
  const unknown = (s: string) =>
    localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku", { sku: s }), { sku: s });
  if (!components.length) throw localized(InvalidInputError, "bad_bundle", textRef("err-bundle-empty", { sku }));
  const level = readLevel(ctx, sku);
  const seen = new Set<string>();
  for (const c of components) {
    if (c.component === sku) throw localized(InvalidInputError, "bundle_self", textRef("err-bundle-self", { sku }));
    if (seen.has(c.component))
      throw localized(
        InvalidInputError,
        "bad_bundle",
        textRef("err-bundle-duplicate", { sku, component: c.component }),
      );
    seen.add(c.component);
    if (!Number.isSafeInteger(c.qty) || c.qty < 1 || c.qty > MAX_COMPONENT_QTY)
      throw localized(
        InvalidInputError,
        "bad_quantity",
        textRef("err-bundle-qty", { sku, component: c.component, qty: String(c.qty) }),
      );
    if (!readLevel(ctx, c.component)) throw unknown(c.component);
    if (isBundle(ctx, c.component) || pending.has(c.component))
      throw localized(
        InvalidInputError,
        "bundle_of_bundle",
        textRef("err-bundle-of-bundle", { sku, component: c.component }),
      );
  }
  // A new bundle SKU has no stock, no reservations and is nobody's component: defining it creates it.
  if (!level) return;
  const parent = bundlesContaining(ctx, sku)[0];
  if (parent)
    throw localized(InvalidInputError, "bundle_of_bundle", textRef("err-bundle-is-component", { sku, parent }));
  if (level.onHand > 0 || level.reserved > 0)
    throw localized(ConflictError, "bundle_stock", textRef("err-bundle-has-stock", { sku, onHand: level.onHand }), {
      sku,
    });
  checkNoOpenReservations(ctx, sku);
}

function checkNoOpenReservations(ctx: LedgerCtx, sku: string): void {
  const open =
    ctx
      .stmt<[string], { n: number }>("SELECT COUNT(*) AS n FROM reservations WHERE sku = ? AND status = 'active'")
      .get(sku)?.n ?? 0;
  if (open > 0)
    throw localized(ConflictError, "bundle_open", textRef("err-bundle-open", { sku, count: open }), { sku });
}

const sameComponents = (a: readonly BundleComponent[], b: readonly BundleComponent[]): boolean =>
  a.length === b.length && a.every((c, i) => c.component === b[i]?.component && c.qty === b[i]?.qty);

const sorted = (parts: readonly BundleComponent[]): BundleComponent[] =>
  [...parts].sort((x, y) => (x.component < y.component ? -1 : x.component > y.component ? 1 : 0));

/**
 * Makes `sku` a bundle of `components` (replacing an earlier definition), in one transaction with an audit row
 * and the bundle's listings re-published. A SKU not yet in the ledger is created in the same transaction, with
 * `title` (the SKU itself when none is given) and no stock. Defining the same components again changes nothing.
 */
export function defineBundle(
  ctx: LedgerCtx,
  sku: Sku,
  components: readonly BundleComponent[],
  meta: BundleMeta,
  title?: string,
): BundleDefinition {
  return write(ctx, () => {
    const before = componentsOf(ctx, sku);
    const next = sorted(components);
    if (before.length && sameComponents(before, next)) {
      checkBundle(ctx, sku, next.length ? next : before);
      const kept = readLevel(ctx, sku)?.title ?? "";
      return {
        sku,
        isCreated: false,
        title: kept,
        before,
        components: before,
        isChanged: false,
        availability: availabilityOf(ctx, sku),
      };
    }
    checkBundle(ctx, sku, next);
    const existing = readLevel(ctx, sku);
    const name = existing ? existing.title : bundleTitle(sku, title);
    if (!existing) createBundleSku(ctx, sku, name);
    writeComponents(ctx, sku, next);
    recordAudit(ctx, {
      actor: meta.actor,
      transport: meta.transport ?? "ledger",
      action: "bundle.define",
      args: `${sku} = ${formatComponents(next)}`,
      outcome: "ok",
      requestId: meta.requestId ?? "-",
      detail: { before: before.length ? formatComponents(before) : null, ...(existing ? {} : { created: name }) },
    });
    enqueueForSku(ctx, sku);
    return {
      sku,
      isCreated: !existing,
      title: name,
      before,
      components: next,
      isChanged: true,
      availability: availabilityOf(ctx, sku),
    };
  });
}

function createBundleSku(ctx: LedgerCtx, sku: Sku, title: string): void {
  const at = nowIso(ctx);
  ctx
    .stmt(
      "INSERT INTO skus (sku, title, on_hand, reserved, low_threshold, created_at, updated_at) VALUES (?, ?, 0, 0, NULL, ?, ?)",
    )
    .run(sku, title, at, at);
}

/**
 * Defines many bundles at once (`import bundles`): every definition is checked first, nothing is written unless
 * all pass. Returns the definitions that changed something and those already in place.
 */
export function defineBundles(
  ctx: LedgerCtx,
  defs: readonly { sku: Sku; components: readonly BundleComponent[]; title?: string }[],
  meta: BundleMeta,
): { changed: BundleDefinition[]; unchanged: Sku[] } {
  return write(ctx, () => {
    const pending = new Set(defs.map((d) => d.sku));
    for (const d of defs) {
      const others = new Set([...pending].filter((s) => s !== d.sku));
      checkBundle(ctx, d.sku, d.components, others);
      for (const c of d.components)
        if (pending.has(c.component))
          throw localized(
            InvalidInputError,
            "bundle_of_bundle",
            textRef("err-bundle-of-bundle", { sku: d.sku, component: c.component }),
          );
    }
    const changed: BundleDefinition[] = [];
    const unchanged: Sku[] = [];
    for (const d of defs) {
      const r = defineBundle(ctx, d.sku, d.components, meta, d.title);
      if (r.isChanged) changed.push(r);
      else unchanged.push(d.sku);
    }
    return { changed, unchanged };
  });
}

/**
 * Removes a bundle definition (refused while it has open orders or holds), with an audit row; its listings stay
 * and publish 0 until it is a bundle again or holds stock. Returns the components it had.
 */
export function removeBundle(ctx: LedgerCtx, sku: Sku, meta: BundleMeta): BundleComponent[] {
  return write(ctx, () => {
    const before = componentsOf(ctx, sku);
    if (!before.length) throw localized(NotFoundError, "not_a_bundle", textRef("err-not-bundle", { sku }), { sku });
    checkNoOpenReservations(ctx, sku);
    ctx.stmt("DELETE FROM bundle_components WHERE bundle = ?").run(sku);
    recordAudit(ctx, {
      actor: meta.actor,
      transport: meta.transport ?? "ledger",
      action: "bundle.remove",
      args: `${sku} = ${formatComponents(before)}`,
      outcome: "ok",
      requestId: meta.requestId ?? "-",
    });
    enqueueForSku(ctx, sku);
    return before;
  });
}

/** A bundle's availability; NotFoundError("not_a_bundle") when `sku` is not one. */
export function availabilityOf(ctx: LedgerCtx, sku: string): BundleAvailability {
  const a = bundleAvailability(ctx, sku);
  if (!a) throw localized(NotFoundError, "not_a_bundle", textRef("err-not-bundle", { sku }), { sku });
  return a;
}

function writeComponents(ctx: LedgerCtx, sku: Sku, parts: readonly BundleComponent[]): void {
  const at = nowIso(ctx);
  ctx.stmt("DELETE FROM bundle_components WHERE bundle = ?").run(sku);
  for (const p of parts)
    ctx
      .stmt("INSERT INTO bundle_components (bundle, component, qty, created_at) VALUES (?, ?, ?, ?)")
      .run(sku, asSku(p.component), p.qty, at);
}
