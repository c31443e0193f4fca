import { defineMessages } from "../define.js";

/** Catalog import from a channel (issue 12): `stockradar import channel` and `/import`. */
export const importChannelMessages = defineMessages({
  "cmd-import-summary": {
    en: "Bring a channel's catalog in: create missing SKUs, link every listing, take on-hand by a rule (channel, min, max, keep)",
    "zh-CN": "导入渠道的商品目录：新建缺少的货号、关联每个商品、按规则取在手库存（channel、min、max、keep）",
  },
  "import-report-dry": {
    en: "{ $channel }: { $items } catalog items. Would create { $created } SKUs and link { $linked } listings; would set stock on { $stockSet } existing SKUs; { $unchanged } already linked (left alone). Nothing was changed.",
    "zh-CN":
      "{ $channel }：目录共 { $items } 个商品。将新建 { $created } 个货号、关联 { $linked } 个商品；将重设 { $stockSet } 个已有货号的库存；{ $unchanged } 个已关联（不动）。本次未做任何改动。",
  },
  "import-report-done": {
    en: "{ $channel }: { $items } catalog items. Created { $created } SKUs, linked { $linked } listings; set stock on { $stockSet } existing SKUs; { $unchanged } already linked (unchanged).",
    "zh-CN":
      "{ $channel }：目录共 { $items } 个商品。已新建 { $created } 个货号、关联 { $linked } 个商品；重设了 { $stockSet } 个已有货号的库存；{ $unchanged } 个已关联（未变）。",
  },
  "import-pushes-queued": {
    en: "Each new link queued its first push: once the bot runs, those listings show the ledger's number.",
    "zh-CN": "每个新关联都已排队首次推送：机器人运行后，这些商品会显示账本里的数量。",
  },
  "import-rule-channel": {
    en: "On-hand: the quantity on { $source }.",
    "zh-CN": "在手库存取自 { $source } 上的数量。",
  },
  "import-rule-min": {
    en: "On-hand: the smallest quantity among the linked channels.",
    "zh-CN": "在手库存取各已关联渠道中最小的数量。",
  },
  "import-rule-max": {
    en: "On-hand: the largest quantity among the linked channels.",
    "zh-CN": "在手库存取各已关联渠道中最大的数量。",
  },
  "import-rule-keep": {
    en: "On-hand: existing SKUs keep their stock; new ones take the channel's quantity.",
    "zh-CN": "在手库存：已有货号保持原库存，新货号取渠道上的数量。",
  },
  "import-not-on-source": {
    en: "{ $count } SKUs are not on { $source }: they took the quantity on { $channel }.",
    "zh-CN": "{ $count } 个货号不在 { $source } 上，已取 { $channel } 上的数量。",
  },
  "import-conflicts-none": { en: "No conflicts.", "zh-CN": "没有冲突。" },
  "import-conflicts-head": {
    en: "Conflicts, skipped (not created, not linked): { $count }",
    "zh-CN": "冲突，已跳过（未新建、未关联）：{ $count } 个",
  },
  "import-conflicts-more": {
    en: "… and { $count } more: stockradar import channel { $channel } --dry-run lists them all.",
    "zh-CN": "……还有 { $count } 个：运行 stockradar import channel { $channel } --dry-run 可列出全部。",
  },
  "import-conflicts-next": {
    en: "Fix them on the channel, or choose a rule (min, max, keep, or a source channel), then import again: linked items stay as they are.",
    "zh-CN": "请在渠道上修正，或换一个规则（min、max、keep，或指定来源渠道），再导入一次：已关联的商品不会变。",
  },
  "import-conflict-no-sku": {
    en: "{ $channel } item { $ref } ({ $title }): no SKU",
    "zh-CN": "{ $channel } 商品 { $ref }（{ $title }）：没有货号",
  },
  "import-conflict-blank-sku": {
    en: "{ $channel } item { $ref } ({ $title }): the SKU is blank",
    "zh-CN": "{ $channel } 商品 { $ref }（{ $title }）：货号是空白",
  },
  "import-conflict-bad-sku": {
    en: '{ $channel } item { $ref }: SKU "{ $sku }" is not valid (1–64 letters, digits or . _ - / #)',
    "zh-CN": "{ $channel } 商品 { $ref }：货号“{ $sku }”无效（1–64 个字母、数字或 . _ - / #）",
  },
  "import-conflict-duplicate": {
    en: "{ $sku }: on { $count } { $channel } items ({ $refs })",
    "zh-CN": "{ $sku }：在 { $channel } 上有 { $count } 个商品（{ $refs }）",
  },
  "import-conflict-quantities": {
    en: "{ $sku }: different quantities ({ $quantities })",
    "zh-CN": "{ $sku }：各渠道数量不同（{ $quantities }）",
  },
  "import-conflict-no-quantity": {
    en: "{ $sku } ({ $channel } item { $ref }): the channel does not say how many there are",
    "zh-CN": "{ $sku }（{ $channel } 商品 { $ref }）：渠道没有给出数量",
  },
  "import-conflict-untracked": {
    en: `{ $count ->
  [one] 1 item on { $channel } does not track stock
 *[other] { $count } items on { $channel } do not track stock
} (WooCommerce "Manage stock?" is off): { $skus }. Fix: add each SKU with /add SKU QTY TITLE (or import skus FILE.csv) and import again; the first push turns stock tracking on with the ledger's quantity.`,
    "zh-CN":
      "{ $channel } 上有 { $count } 个商品未开启库存管理（WooCommerce“管理库存？”未勾选）：{ $skus }。解决：用 /add SKU 数量 标题（或 import skus FILE.csv）添加这些 SKU 后再导入一次；首次推送会开启库存管理并写入账本数量。",
  },
  "import-conflict-linked-elsewhere": {
    en: "{ $sku }: already linked to { $channel } item { $linkedRef }, not { $ref }",
    "zh-CN": "{ $sku }：已关联到 { $channel } 商品 { $linkedRef }，而不是 { $ref }",
  },
  "import-conflict-ref-taken": {
    en: "{ $sku }: { $channel } item { $ref } is already linked to SKU { $linkedSku }",
    "zh-CN": "{ $sku }：{ $channel } 商品 { $ref } 已关联到货号 { $linkedSku }",
  },
  "import-conflict-refused": {
    en: "{ $sku } ({ $channel } item { $ref }): { $reason }",
    "zh-CN": "{ $sku }（{ $channel } 商品 { $ref }）：{ $reason }",
  },
  "import-needs-file": {
    en: "{ $channel } has no catalog API. Export its items to a CSV ({ $columns }) and run: stockradar import channel { $channel } --file FILE.csv",
    "zh-CN":
      "{ $channel } 没有商品目录接口。请把商品导出成 CSV（{ $columns }），然后运行：stockradar import channel { $channel } --file FILE.csv",
  },
  "import-cli-usage": {
    en: "Usage: stockradar import channel CHANNEL [--dry-run] [--quantity channel|min|max|keep] [--source CHANNEL] [--file FILE.csv]",
    "zh-CN":
      "用法：stockradar import channel 渠道 [--dry-run] [--quantity channel|min|max|keep] [--source 渠道] [--file 文件.csv]",
  },
  "import-cli-bad-rule": {
    en: "--quantity must be channel, min, max or keep, not { $rule }.",
    "zh-CN": "--quantity 只能是 channel、min、max 或 keep，不能是 { $rule }。",
  },
  "import-cli-source-rule": {
    en: "--source goes with --quantity channel; the rule { $rule } reads every linked channel.",
    "zh-CN": "--source 只能和 --quantity channel 一起用；规则 { $rule } 会读取所有已关联的渠道。",
  },
});
