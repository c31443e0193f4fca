import { defineMessages } from "../define.js";

/** Call budgets (issue 18 item 7): the "out of budget" alert and the budget lines of /sync status. */
export const callBudgetMessages = defineMessages({
  "alert-call-budget-out": {
    en: "{ $channel } has used today's call budget ({ $used } of { $daily } calls): until the day ends only urgent stock changes go (to zero or near the low-stock line, delists, flash-sale SKUs); the others wait.",
    "zh-CN":
      "{ $channel } 今天的调用额度已用完（{ $used }/{ $daily } 次）：今天结束前只推送紧急的库存变化（清零或接近低库存线、下架、秒杀货号），其余的等待。",
  },
  "button-sync-status": { en: "Sync status", "zh-CN": "同步状态" },
  "sync-budget-line": {
    en: "{ $channel } call budget: { $used }/{ $daily } calls today, { $state } · { $waiting }",
    "zh-CN": "{ $channel } 调用额度：今天 { $used }/{ $daily } 次，{ $state } · { $waiting }",
  },
  "sync-budget-ok": { en: "ok", "zh-CN": "充足" },
  "sync-budget-tight": {
    en: "tight: changes under { $minChange } units wait up to { $minutes } min",
    "zh-CN": "紧张：小于 { $minChange } 件的变化最多等待 { $minutes } 分钟",
  },
  "sync-budget-out": {
    en: "used up: only urgent changes go until the day ends",
    "zh-CN": "已用完：今天结束前只推送紧急变化",
  },
  "sync-budget-waiting": {
    en: "{ $count } changes waiting (the oldest queued { $oldest })",
    "zh-CN": "{ $count } 个变化在等待（最早的排队于 { $oldest }）",
  },
  "sync-budget-none-waiting": { en: "no change waiting", "zh-CN": "没有等待的变化" },
});
