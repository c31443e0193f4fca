import { z } from "zod";
import { restText, skuArg } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import type { Deps } from "../src/deps.js";
import { msg } from "../src/i18n/commands.js";
import type { Translator } from "../src/i18n/translator.js";
import type { Sku } from "../src/ids.js";
import type { ComponentSets } from "../src/ledger/bundle-levels.js";
import { bundleTitle, formatComponents, parseBundleSpec } from "../src/ledger/bundle-spec.js";
import type { BundleComponent } from "../src/ledger/bundles.js";

const isRemove = (spec: string | undefined): boolean => spec?.trim().toLowerCase() === "remove";

export default defineCommand({
  name: "bundle",
  summary: msg("cmd-bundle-summary"),
  aliases: { "zh-CN": ["套装"] },
  role: "operator",
  confirm: "preview",
  // `/bundle GIFT-1` only shows it; defining and removing are previewed and confirmed.
  confirmWhen: ({ spec }) => spec !== undefined,
  argText: {
    sku: { name: msg("arg-sku"), description: msg("arg-sku-help") },
    spec: { name: msg("arg-bundle-spec"), description: msg("arg-bundle-spec-help") },
  },
  args: z.object({ sku: skuArg(), spec: restText({ optional: true, name: "= COMPONENTS" }) }),
  examples: [
    "/bundle GIFT-1 = 2×MUG-1 + 1×CST-1",
    msg("bundle-example-title"),
    "/bundle GIFT-1",
    "/bundle GIFT-1 remove",
  ],
  run: async ({ sku, spec }, { deps, actor, requestId, dryRun, tr }) => {
    const meta = { actor: actor.id, transport: actor.transport, requestId };
    if (spec === undefined) return { text: showBundle(deps, tr, sku) };
    if (isRemove(spec)) return { text: removeBundle(deps, tr, sku, dryRun, meta) };
    const { components, title } = parseBundleSpec(spec);
    if (dryRun) {
      deps.ledger.bundles.checkBundle(sku, components);
      if (!deps.ledger.stock.findLevel(sku))
        return {
          text: tr.t("bundle-will-create", {
            sku,
            title: bundleTitle(sku, title),
            components: formatComponents(components),
            available: setsOf(deps, components),
          }),
        };
      const before = deps.ledger.bundles.componentsOf(sku);
      return {
        text: tr.t("bundle-will-define", {
          sku,
          components: formatComponents(components),
          before: before.length ? formatComponents(before) : tr.t("bundle-none"),
          available: setsOf(deps, components),
        }),
      };
    }
    const r = deps.ledger.bundles.defineBundle(sku, components, meta, title);
    const text = formatComponents(r.components);
    if (!r.isChanged) return { text: tr.t("bundle-unchanged", { sku, components: text }) };
    return {
      text: tr.t(r.isCreated ? "bundle-created" : "bundle-defined", {
        title: r.title,
        sku,
        components: text,
        available: r.availability.available,
        binding: r.availability.binding,
      }),
    };
  },
});

/** Whole sets the components make now (the preview's number, before the bundle exists). */
function setsOf(deps: Deps, components: readonly BundleComponent[]): number {
  return Math.min(
    ...components.map((c) => Math.floor(Math.max(0, deps.ledger.stock.getLevel(c.component).available) / c.qty)),
  );
}

/**
 * `/bundle SKU`: its components, its available and the component that binds it; `componentLines` replaces the
 * line of each component (/stock adds its on hand, reserved and locations).
 */
export function showBundle(
  deps: Deps,
  tr: Translator,
  sku: Sku,
  componentLines: (c: ComponentSets) => string[] = (c) => [
    `  · ${tr.t("bundle-show-line", { component: c.component, available: c.available, qty: c.qty, sets: c.sets })}`,
  ],
): string {
  const a = deps.ledger.bundles.availabilityOf(sku);
  return [
    tr.t("bundle-show", {
      sku,
      components: formatComponents(a.components),
      available: a.available,
      binding: a.binding,
    }),
    ...a.components.flatMap(componentLines),
  ].join("\n");
}

/** `/unbundle SKU` and `/bundle SKU remove`: a preview, then the removal. */
export function removeBundle(
  deps: Deps,
  tr: Translator,
  sku: Sku,
  dryRun: boolean,
  meta: { actor: string; transport: string; requestId: string },
): string {
  if (dryRun) {
    const a = deps.ledger.bundles.availabilityOf(sku);
    return tr.t("bundle-will-remove", { sku, components: formatComponents(a.components) });
  }
  const before = deps.ledger.bundles.removeBundle(sku, meta);
  return tr.t("bundle-removed", { sku, components: formatComponents(before) });
}
