import { defineMessages } from "../define.js";

/** /alerts, /ack, /snooze and /whoami replies. */
export const alertCommandMessages = defineMessages({
  "alerts-none": { en: "No open alerts.", "zh-CN": "没有未处理的告警。" },
  "alerts-line": { en: "#{ $id } [{ $state }] { $text }", "zh-CN": "#{ $id } [{ $state }] { $text }" },
  "severity-critical": { en: "critical", "zh-CN": "严重" },
  "severity-warning": { en: "warning", "zh-CN": "警告" },
  "severity-info": { en: "info", "zh-CN": "提示" },
  "alerts-acked-by": { en: "acked by { $who }", "zh-CN": "{ $who } 已确认" },
  "alerts-snoozed": { en: "snoozed", "zh-CN": "静默中" },
  "ack-already": {
    en: "Alert #{ $id } was already acknowledged by { $who }.",
    "zh-CN": "告警 #{ $id } 已由 { $who } 确认过。",
  },
  "ack-done": { en: "Alert #{ $id } acknowledged by { $who }.", "zh-CN": "告警 #{ $id } 已由 { $who } 确认。" },
  "snooze-done": { en: "Alert #{ $id } snoozed until { $until }.", "zh-CN": "告警 #{ $id } 已静默至 { $until }。" },
  whoami: {
    en: "You are { $id } ({ $role }) on { $transport }.",
    "zh-CN": "你是 { $id }（{ $role }），通过 { $transport }。",
  },
});
