import { defineMessages } from "../define.js";

/** /help, /lang, /confirm and the dispatcher's remaining texts; argument problems in the reader's language. */
export const chatMessages = defineMessages({
  "help-header": { en: "Commands for { $actor } ({ $role }):", "zh-CN": "{ $actor }（{ $role }）可用的命令：" },
  "help-no-such-command": {
    en: "No command /{ $name } for you. /help lists yours.",
    "zh-CN": "你没有 /{ $name } 这个命令。发送 /help 查看你能用的命令。",
  },
  "help-aliases": { en: "Also: { $aliases }", "zh-CN": "也可以输入：{ $aliases }" },
  "help-needs": { en: "Needs: { $role }", "zh-CN": "所需权限：{ $role }" },
  "help-needs-confirm": {
    en: "Needs: { $role }, asks for confirmation",
    "zh-CN": "所需权限：{ $role }，执行前需要确认",
  },
  "arg-language": { en: "LANGUAGE", "zh-CN": "语言" },
  "arg-language-help": {
    en: "zh, en, or auto to follow the chat",
    "zh-CN": "zh（中文）、en（英文）或 auto（跟随本群）",
  },
  "lang-name-en": { en: "English", "zh-CN": "英文" },
  "lang-name-zh": { en: "Chinese", "zh-CN": "中文" },
  "lang-current": {
    en: "I answer you in { $language }. /lang zh, /lang en, or /lang auto to follow the chat.",
    "zh-CN": "我用{ $language }回复你。发送 /lang en、/lang zh 或 /lang auto（跟随本群）更改。",
  },
  "lang-set": { en: "From now on I answer you in { $language }.", "zh-CN": "以后我用{ $language }回复你。" },
  "lang-reset": {
    en: "Your choice is cleared; I answer you in the chat's language ({ $language }).",
    "zh-CN": "已清除你的选择，我将使用本群的语言（{ $language }）回复你。",
  },
  "lang-unknown": {
    en: "I don't speak { $input }. Choose zh, en or auto.",
    "zh-CN": "不支持“{ $input }”。请选择 zh、en 或 auto。",
  },
  "confirm-command-gone": {
    en: "The confirmed command /{ $command } no longer exists.",
    "zh-CN": "要确认的命令 /{ $command } 已不存在。",
  },
  "dispatch-unknown-user": {
    en: "You are not on the access list ({ $user }). Ask an admin to add you under access in stockradar.yaml.",
    "zh-CN": "你不在访问名单中（{ $user }）。请联系管理员把你加到 stockradar.yaml 的 access 下。",
  },
  "dispatch-not-a-command": {
    en: "Commands start with /, e.g. /stock A-12. /help lists what you can run.",
    "zh-CN": "命令以 / 开头，例如 /stock A-12。发送 /help 查看你能用的命令。",
  },
  "dispatch-confirm-within": {
    en: "Confirm within { $minutes } min: /confirm { $token }",
    "zh-CN": "请在 { $minutes } 分钟内确认：/confirm { $token }",
  },
  "dispatch-button-expired": {
    en: "This button is not valid any more. Run the command again.",
    "zh-CN": "这个按钮已失效，请重新执行命令。",
  },
  "button-confirm": { en: "Confirm", "zh-CN": "确认" },
  "arg-issue": { en: "{ $arg } { $problem }", "zh-CN": "{ $arg }：{ $problem }" },
  "arg-issue-missing": { en: "{ $arg } is missing", "zh-CN": "缺少{ $arg }" },
  "arg-issue-whole-number": { en: "must be a whole number ≥ 0, e.g. 12", "zh-CN": "必须是不小于 0 的整数，例如 12" },
  "arg-issue-signed-number": {
    en: "must be a signed whole number such as +5 or -3",
    "zh-CN": "必须是带正负号的整数，例如 +5 或 -3",
  },
  "arg-issue-not-zero": { en: "must not be 0", "zh-CN": "不能为 0" },
  "arg-issue-between": { en: "must be between { $min } and { $max }", "zh-CN": "必须在 { $min } 到 { $max } 之间" },
  "arg-issue-max-chars": { en: "must be at most { $max } characters", "zh-CN": "最多 { $max } 个字符" },
  "arg-issue-at-most": { en: "must be at most { $max }", "zh-CN": "最多为 { $max }" },
  "arg-issue-at-least": { en: "must be at least { $min }", "zh-CN": "至少为 { $min }" },
  "arg-issue-number": { en: "must be a number such as 12", "zh-CN": "必须是数字，例如 12" },
  "arg-issue-duration": {
    en: "must be a duration such as 30m, 2h or 1d",
    "zh-CN": "必须是时长，例如 30m（分钟）、2h（小时）或 1d（天）",
  },
  "arg-issue-command-name": { en: "must be a command name such as stock", "zh-CN": "必须是命令名，例如 stock" },
  "arg-issue-token": {
    en: "must be the 6-character token from the preview",
    "zh-CN": "必须是预览中给出的 6 位口令",
  },
  "arg-issue-invalid": { en: "is not valid", "zh-CN": "无效" },
});
