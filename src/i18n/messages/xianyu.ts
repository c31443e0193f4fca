import { defineMessages } from "../define.js";

/** The Xianyu to-do post and /xianyu-done replies. */
export const xianyuMessages = defineMessages({
  "xianyu-todo": {
    en: "闲鱼 Xianyu to-do { $id }: { $action }. Item { $ref }: { $link }{ $replaces } Press Done once it is changed.",
    "zh-CN": "闲鱼待办 { $id }：{ $action }。商品 { $ref }：{ $link }{ $replaces } 改好后请点“完成”。",
  },
  "xianyu-todo-set": { en: "set { $what } to { $qty }", "zh-CN": "把 { $what } 改为 { $qty } 件" },
  "xianyu-todo-off": { en: "take { $what } off sale (下架)", "zh-CN": "下架 { $what }" },
  "xianyu-todo-replaces": { en: "Replaces { $id }.", "zh-CN": "（替代 { $id }）" },
  "xianyu-done": {
    en: "Done: Xianyu { $what } ({ $id }, by { $who }).",
    "zh-CN": "已完成：闲鱼 { $what }（{ $id }，{ $who }）。",
  },
  "xianyu-done-set": { en: "{ $sku } set to { $qty }", "zh-CN": "{ $sku } 已改为 { $qty } 件" },
  "xianyu-done-off": { en: "{ $sku } taken off sale", "zh-CN": "{ $sku } 已下架" },
  "xianyu-done-already": {
    en: "{ $id } was already done by { $who } at { $at }.",
    "zh-CN": "{ $id } 已由 { $who } 于 { $at } 完成。",
  },
  "xianyu-someone": { en: "someone", "zh-CN": "他人" },
  "xianyu-done-stale-next": {
    en: "{ $id } is out of date: the target for { $sku } changed. Do { $next } instead: { $what }.",
    "zh-CN": "{ $id } 已过期：{ $sku } 的目标变了。请改做 { $next }：{ $what }。",
  },
  "xianyu-next-set": { en: "set it to { $qty }", "zh-CN": "改为 { $qty } 件" },
  "xianyu-next-off": { en: "take it off sale", "zh-CN": "下架" },
  "xianyu-done-stale": {
    en: "{ $id } is out of date: the target for { $sku } changed. A new to-do follows with the number to set.",
    "zh-CN": "{ $id } 已过期：{ $sku } 的目标变了。随后会发一条新的待办，写明要改的数量。",
  },
  "xianyu-price-todo": {
    en: "闲鱼 Xianyu price to-do { $id }: set the price of { $what } to { $price }. Item { $ref }: { $link } Press Done once it is changed.",
    "zh-CN": "闲鱼改价待办 { $id }：把 { $what } 的价格改为 { $price }。商品 { $ref }：{ $link } 改好后请点“完成”。",
  },
  "xianyu-todo-price-line": { en: "set the price to { $price }", "zh-CN": "价格改为 { $price }" },
  "xianyu-price-done": {
    en: "Done: Xianyu price of { $sku } is { $price } ({ $id }, by { $who }).",
    "zh-CN": "已完成：闲鱼 { $sku } 的价格为 { $price }（{ $id }，{ $who }）。",
  },
  "xianyu-price-changed": {
    en: "{ $id }: recorded { $applied } on Xianyu for { $sku }, but the target changed since to { $price }. Set { $price } and press Done again.",
    "zh-CN":
      "{ $id }：已记录闲鱼 { $sku } 的价格为 { $applied }，但目标价已改为 { $price }。请改成 { $price } 后再点“完成”。",
  },
  "xianyu-price-stale": {
    en: "{ $id } is out of date: no price is queued for { $sku } on Xianyu any more. Nothing was recorded.",
    "zh-CN": "{ $id } 已过期：闲鱼上的 { $sku } 已没有待改的价格，未做任何记录。",
  },
});
