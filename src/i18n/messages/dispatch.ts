import { defineMessages } from "../define.js";

/** The dispatcher's own texts: unknown command, role refusal, usage header, internal failure. */
export const dispatchMessages = defineMessages({
  "dispatch-unknown-command": {
    en: "Unknown command /{ $name }. /help lists what you can run.",
    "zh-CN": "没有 /{ $name } 这个命令。发送 /help 查看你能用的命令。",
  },
  "dispatch-unknown-command-suggest": {
    en: "Unknown command /{ $name }. Did you mean { $suggestions }? /help lists what you can run.",
    "zh-CN": "没有 /{ $name } 这个命令。你是不是想用 { $suggestions }？发送 /help 查看你能用的命令。",
  },
  "dispatch-needs-role": {
    en: "/{ $command } needs the { $needs } role; you are { $has }. Ask an admin if you need it.",
    "zh-CN": "/{ $command } 需要{ $needs }权限，你目前是{ $has }。如需使用，请联系管理员。",
  },
  "dispatch-usage": {
    en: "Usage: { $usage }",
    "zh-CN": "用法：{ $usage }",
  },
  "dispatch-example": {
    en: "e.g. { $example }",
    "zh-CN": "例如：{ $example }",
  },
  "dispatch-failed": {
    en: "Something went wrong (ref { $ref }). The details are in the log.",
    "zh-CN": "出错了（编号 { $ref }），详情已记录在日志中。",
  },
  "dispatch-extra-args": {
    en: "{ $count ->\n  [one] unexpected extra argument\n *[other] unexpected extra arguments\n}: { $tokens }",
    "zh-CN": "多余的参数（{ $count } 个）：{ $tokens }",
  },
});
