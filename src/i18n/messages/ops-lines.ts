import { defineMessages } from "../define.js";

/** Operator lines outside chat (issue 15): the WeCom doctor checks and the config refusal lines. */
export const opsLineMessages = defineMessages({
  "doctor-wecom-token-ok": {
    en: "wecom: app token ok (corp { $corp }, agent { $agent })",
    "zh-CN": "wecom：应用令牌正常（企业 { $corp }，应用 { $agent }）",
  },
  "doctor-wecom-token-failed": {
    en: "wecom: gettoken failed; check chat.wecom.apiBase and the network",
    "zh-CN": "wecom：gettoken 失败；请检查 chat.wecom.apiBase 和网络",
  },
  "doctor-wecom-robot-ok": { en: "wecom: robot key accepted", "zh-CN": "wecom：群机器人 key 有效" },
  "doctor-wecom-robot-refused": {
    en: "wecom: robot key refused (93000); copy the webhook key again from the group robot's settings",
    "zh-CN": "wecom：群机器人 key 被拒绝（93000）；请从群机器人设置里重新复制 webhook key",
  },
  "doctor-wecom-robot-failed": {
    en: `{ $errcode ->
      [none] wecom: robot check failed; check chat.wecom.apiBase and the network
     *[other] wecom: robot check failed (errcode { $errcode }); check chat.wecom.apiBase and the network
    }`,
    "zh-CN": `{ $errcode ->
      [none] wecom：群机器人检查失败；请检查 chat.wecom.apiBase 和网络
     *[other] wecom：群机器人检查失败（errcode { $errcode }）；请检查 chat.wecom.apiBase 和网络
    }`,
  },
});
