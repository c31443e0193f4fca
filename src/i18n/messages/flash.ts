import { defineMessages } from "../define.js";

/** The /flash command, the flash job's announcements. */
export const flashMessages = defineMessages({
  "arg-flash-rest": { en: "SKU… DURATION | end ID", "zh-CN": "货号… 时长 | end 编号" },
  "arg-flash-rest-help": {
    en: "the SKUs and how long (30m, 2h, 1d); or end ID to stop a window early",
    "zh-CN": "货号和时长（30m、2h、1d）；或 end 编号 提前结束",
  },
  "cmd-flash-summary": {
    en: "Start a flash sale on SKUs for a while (split allocation, tighter caps), list or end one",
    "zh-CN": "对货号开启限时秒杀（分配拆分、上限收紧），或查看、结束秒杀",
  },
  "flash-usage": {
    en: "Usage: /flash SKU… DURATION (e.g. /flash A-12 B-3 2h), /flash to list, /flash end ID.",
    "zh-CN": "用法：/flash 货号… 时长（如 /flash A-12 B-3 2h）；/flash 查看；/flash end 编号 结束。",
  },
  "flash-bad-duration": {
    en: "{ $duration } is not a duration: use 30m, 2h or 1d (1 minute to 30 days).",
    "zh-CN": "{ $duration } 不是时长：请用 30m、2h 或 1d（1 分钟到 30 天）。",
  },
  "flash-unknown-sku": { en: "Unknown SKU { $sku }.", "zh-CN": "未知货号 { $sku }。" },
  "flash-unknown-window": { en: "No flash sale { $id }.", "zh-CN": "没有秒杀 { $id }。" },
  "flash-already-ended": { en: "Flash sale { $id } has already ended.", "zh-CN": "秒杀 { $id } 已经结束。" },
  "flash-will-start": {
    en: "Will start a flash sale on { $skus } until { $until }: split allocation across channels, each listing at most { $capPct }% of available.",
    "zh-CN": "将对 { $skus } 开启秒杀，至 { $until }：各渠道拆分分配，每个商品最多发布可售的 { $capPct }%。",
  },
  "flash-started": {
    en: "Flash sale { $id } on { $skus } until { $until } ({ $queued } pushes queued).",
    "zh-CN": "秒杀 { $id } 已开启：{ $skus }，至 { $until }（已排队 { $queued } 次推送）。",
  },
  "flash-will-end": {
    en: "Will end flash sale { $id } on { $skus } now and publish them with the normal policy.",
    "zh-CN": "将立即结束秒杀 { $id }（{ $skus }），并按常规策略重新发布。",
  },
  "flash-none": { en: "No flash sale is running.", "zh-CN": "当前没有进行中的秒杀。" },
  "flash-list-head": { en: "Flash sales running:", "zh-CN": "进行中的秒杀：" },
  "flash-list-line": {
    en: "{ $id }: { $skus } until { $until } (by { $who })",
    "zh-CN": "{ $id }：{ $skus }，至 { $until }（{ $who }）",
  },
  "flash-ended": {
    en: "Flash sale { $id } on { $skus } ended ({ $reason }); normal publishing is back ({ $queued } pushes queued).",
    "zh-CN": "秒杀 { $id }（{ $skus }）已结束（{ $reason }）；已恢复常规发布（已排队 { $queued } 次推送）。",
  },
  "flash-reason-time": { en: "its time is up", "zh-CN": "时间到" },
  "flash-reason-by": { en: "ended by { $who }", "zh-CN": "由 { $who } 结束" },
});
