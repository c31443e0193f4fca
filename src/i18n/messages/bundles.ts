import { defineMessages } from "../define.js";

/** Bundles and kits (issue 13): /bundle, /unbundle, `import bundles`, and bundle lines in /why, /stock, /history and the summary. */
export const bundleMessages = defineMessages({
  "cmd-bundle-summary": {
    en: "Define, show or remove a bundle (a SKU made of components)",
    "zh-CN": "定义、查看或删除套装（由组件组成的货号）",
  },
  "cmd-unbundle-summary": {
    en: "Remove a bundle definition (its listings stay)",
    "zh-CN": "删除套装定义（其上架保留）",
  },
  "arg-bundle-spec": { en: "= COMPONENTS", "zh-CN": "= 组件" },
  "arg-bundle-spec-help": {
    en: "= 2×MUG-1 + 1×CST-1 to define, remove to remove, nothing to show",
    "zh-CN": "= 2×MUG-1 + 1×CST-1 定义，remove 删除，留空则查看",
  },
  "err-bundle-spec": {
    en: "Cannot read “{ $text }” as components. Write them as /bundle GIFT-1 = 2×MUG-1 + 1×CST-1 (2xMUG-1 and 2*MUG-1 work too).",
    "zh-CN": "无法把“{ $text }”读成组件。请写成 /bundle GIFT-1 = 2×MUG-1 + 1×CST-1（也可写 2xMUG-1 或 2*MUG-1）。",
  },
  "err-bundle-title": {
    en: "The title of bundle { $sku } is too long: at most { $max } characters.",
    "zh-CN": "套装 { $sku } 的名称太长：最多 { $max } 个字符。",
  },
  "err-bundle-empty": {
    en: "Bundle { $sku } needs at least one component.",
    "zh-CN": "套装 { $sku } 至少需要一个组件。",
  },
  "err-bundle-self": {
    en: "Bundle { $sku } cannot contain itself.",
    "zh-CN": "套装 { $sku } 不能包含它自己。",
  },
  "err-bundle-duplicate": {
    en: "Component { $component } is listed twice in bundle { $sku }; give it once with the total quantity.",
    "zh-CN": "组件 { $component } 在套装 { $sku } 中出现了两次；请只写一次并填总数量。",
  },
  "err-bundle-qty": {
    en: "Component { $component } of bundle { $sku } needs a whole quantity from 1 to 10,000, got { $qty }.",
    "zh-CN": "套装 { $sku } 的组件 { $component } 的数量须为 1 到 10,000 的整数，收到 { $qty }。",
  },
  "err-bundle-of-bundle": {
    en: "{ $component } is itself a bundle; bundles of bundles are not supported. List its components in { $sku } instead.",
    "zh-CN": "{ $component } 本身是套装；不支持套装嵌套套装。请在 { $sku } 中直接列出它的组件。",
  },
  "err-bundle-is-component": {
    en: "{ $sku } is a component of bundle { $parent }, so it cannot be a bundle itself (bundles of bundles are not supported).",
    "zh-CN": "{ $sku } 是套装 { $parent } 的组件，不能再作为套装（不支持套装嵌套套装）。",
  },
  "err-bundle-has-stock": {
    en: "{ $sku } holds { $onHand } on hand; a bundle has no stock of its own. Set it to 0 first (/set { $sku } 0).",
    "zh-CN": "{ $sku } 还有现货 { $onHand } 件；套装没有自己的库存。请先把它设为 0（/set { $sku } 0）。",
  },
  "err-bundle-open": {
    en: "{ $sku } has { $count } open orders or holds; change or remove the bundle after they ship or are released.",
    "zh-CN": "{ $sku } 还有 { $count } 个未完成的订单或预留；请在它们发货或释放后再修改或删除套装。",
  },
  "err-bundle-stock-change": {
    en: "{ $sku } is a bundle and holds no stock; change its components’ stock instead ({ $components }).",
    "zh-CN": "{ $sku } 是套装，没有自己的库存；请改它的组件库存（{ $components }）。",
  },
  "err-bundle-insufficient": {
    en: "Bundle { $sku }: { $available } available (bound by { $component }), { $requested } requested. Lower the quantity or restock { $component }.",
    "zh-CN":
      "套装 { $sku }：可售 { $available } 套（受限于 { $component }），需要 { $requested } 套。请减少数量或给 { $component } 补货。",
  },
  "err-not-bundle": {
    en: "{ $sku } is not a bundle. Define one with /bundle { $sku } = 2×A-1 + 1×B-1.",
    "zh-CN": "{ $sku } 不是套装。用 /bundle { $sku } = 2×A-1 + 1×B-1 来定义。",
  },
  "bundle-component": {
    en: "{ $qty }×{ $component }",
    "zh-CN": "{ $qty }×{ $component }",
  },
  "bundle-will-define": {
    en: "Will make { $sku } a bundle of { $components } (was: { $before }). It will show { $available } available.",
    "zh-CN": "将把 { $sku } 设为套装：{ $components }（原为：{ $before }）。届时可售 { $available } 套。",
  },
  "bundle-will-create": {
    en: "Will create { $sku } “{ $title }” as a bundle of { $components } (it holds no stock of its own). It will show { $available } available.",
    "zh-CN": "将新建套装 { $sku }“{ $title }”：{ $components }（套装本身没有库存）。届时可售 { $available } 套。",
  },
  "bundle-created": {
    en: "Created { $sku } “{ $title }” as a bundle of { $components }: { $available } available, bound by { $binding }.",
    "zh-CN": "已新建套装 { $sku }“{ $title }”：{ $components }；可售 { $available } 套，受限于 { $binding }。",
  },
  "bundle-none": { en: "not a bundle", "zh-CN": "不是套装" },
  "bundle-defined": {
    en: "{ $sku } is now a bundle of { $components }: { $available } available, bound by { $binding }.",
    "zh-CN": "{ $sku } 现在是套装：{ $components }；可售 { $available } 套，受限于 { $binding }。",
  },
  "bundle-unchanged": {
    en: "{ $sku } is already a bundle of { $components }; nothing changed.",
    "zh-CN": "{ $sku } 已经是套装 { $components }，无需修改。",
  },
  "bundle-show": {
    en: "{ $sku } is a bundle of { $components }: { $available } available, bound by { $binding }.",
    "zh-CN": "{ $sku } 是套装：{ $components }；可售 { $available } 套，受限于 { $binding }。",
  },
  "bundle-show-line": {
    en: "{ $component }: { $available } available ÷ { $qty } → { $sets }",
    "zh-CN": "{ $component }：可售 { $available } ÷ { $qty } → { $sets } 套",
  },
  "bundle-stock-component": {
    en: "{ $component }: { $available } available = { $onHand } on hand − { $reserved } reserved; ÷ { $qty } → { $sets }",
    "zh-CN":
      "{ $component }：可售 { $available } 件 = 在手 { $onHand } − 预留 { $reserved }；÷ { $qty } → { $sets } 套",
  },
  "bundle-will-remove": {
    en: "Will remove bundle { $sku } ({ $components }); its listings stay and will show 0 until it is a bundle again or holds stock.",
    "zh-CN": "将删除套装 { $sku }（{ $components }）；上架保留，在重新定义套装或有库存前显示 0。",
  },
  "bundle-removed": {
    en: "Bundle { $sku } removed ({ $components }).",
    "zh-CN": "已删除套装 { $sku }（{ $components }）。",
  },
  "bundle-why": {
    en: "{ $sku } is a bundle of { $components }: { $available } available, bound by { $binding } ({ $bindingAvailable } ÷ { $qty }).",
    "zh-CN":
      "{ $sku } 是套装：{ $components }；可售 { $available } 套，受限于 { $binding }（{ $bindingAvailable } ÷ { $qty }）。",
  },
  "bundle-why-channel": {
    en: "{ $channel }: bundle { $available } available from its locations, bound by { $binding }",
    "zh-CN": "{ $channel }：按其仓位可售 { $available } 套，受限于 { $binding }",
  },
  "bundle-part-of": {
    en: "Part of: { $bundles }",
    "zh-CN": "所属套装：{ $bundles }",
  },
  "bundle-history-note": {
    en: "{ $sku } is a bundle: its stock moves are its components’ (/history { $component }).",
    "zh-CN": "{ $sku } 是套装：库存变动记在组件上（/history { $component }）。",
  },
  "alert-bundle-low-stock": {
    en: "Low stock: bundle { $sku } has { $available } available (threshold { $threshold }), bound by { $binding } ({ $bindingAvailable } available ÷ { $qty }). { $action }",
    "zh-CN":
      "库存不足：套装 { $sku } 可售 { $available } 套（预警线 { $threshold }），受限于 { $binding }（可售 { $bindingAvailable } ÷ { $qty }）。{ $action }",
  },
  "summary-bundles-header": { en: "Bundles:", "zh-CN": "套装：" },
  "summary-bundle-line": {
    en: "{ $sku }: { $available } available, bound by { $binding }",
    "zh-CN": "{ $sku }：可售 { $available } 套，受限于 { $binding }",
  },
  "import-bundles-refused": {
    en: `{ $file }: nothing imported, { $count ->
        [one] one row needs
       *[other] { $count } rows need
    } fixing first:`,
    "zh-CN": "{ $file }：未导入任何内容，需先修正 { $count } 行：",
  },
});
