import { defineMessages } from "../define.js";

/** A seller's first day (issue 12): CSV imports, /add and /count, /whoami in unknown chats, init, start-up. */
export const firstDayMessages = defineMessages({
  "first-csv-unreadable": {
    en: "{ $file } cannot be read as CSV at line { $line }: { $reason }",
    "zh-CN": "{ $file } 第 { $line } 行无法按 CSV 读取：{ $reason }",
  },
  "first-csv-missing": {
    en: "{ $file } cannot be opened ({ $reason }); check the path and that the file is readable.",
    "zh-CN": "无法打开 { $file }（{ $reason }）；请检查路径，并确认文件可读。",
  },
  "first-csv-empty": {
    en: "{ $file } is empty; its first line must be the header { $expected }.",
    "zh-CN": "{ $file } 是空文件；第一行应为表头 { $expected }。",
  },
  "first-csv-header": {
    en: "{ $file }: the header is { $header }, expected { $expected } (missing: { $missing }; unknown: { $unknown }).",
    "zh-CN": "{ $file }：表头是 { $header }，应为 { $expected }（缺少：{ $missing }；无法识别：{ $unknown }）。",
  },
  "first-csv-line": {
    en: "line { $line }: { $problem }",
    "zh-CN": "第 { $line } 行：{ $problem }",
  },
  "first-unknown-sku": {
    en: "SKU { $sku } is not in the ledger; add it with /add { $sku } QTY TITLE or import skus FILE.csv.",
    "zh-CN": "台账里没有 SKU { $sku }；用 /add { $sku } 数量 标题 添加，或用 import skus 文件.csv 导入。",
  },
  "first-import-usage": {
    en: "Usage: stockradar import skus FILE.csv [--set [--yes]] | listings FILE.csv | stocktake FILE.csv | bundles FILE.csv | prices FILE.csv",
    "zh-CN":
      "用法：stockradar import skus 文件.csv [--set [--yes]] | listings 文件.csv | stocktake 文件.csv | bundles 文件.csv | prices 文件.csv",
  },
  "first-import-summary": {
    en: "{ $what }: { $applied } applied, { $unchanged } unchanged, { $refused } refused",
    "zh-CN": "{ $what }：应用 { $applied } 行，未变 { $unchanged } 行，拒绝 { $refused } 行",
  },
  "first-import-kept": {
    en: `{ $count ->
  [one] 1 existing SKU kept its stock although the file differs (--set overwrites it).
 *[other] { $count } existing SKUs kept their stock although the file differs (--set overwrites them).
}`,
    "zh-CN": "{ $count } 个已有 SKU 保留了台账库存（与文件不同；加 --set 才会覆盖）。",
  },
  "first-import-set-preview": {
    en: `{ $count ->
  [one] --set would overwrite the stock of 1 SKU:
 *[other] --set would overwrite the stock of { $count } SKUs:
}`,
    "zh-CN": "--set 将覆盖 { $count } 个 SKU 的库存：",
  },
  "first-import-set-line": {
    en: "{ $sku }: ledger { $ledger } → file { $file }",
    "zh-CN": "{ $sku }：台账 { $ledger } → 文件 { $file }",
  },
  "first-import-set-confirm": {
    en: "Nothing was changed. Run again with --set --yes to overwrite.",
    "zh-CN": "没有做任何修改。确认覆盖请加 --set --yes 重新运行。",
  },
  "first-add-summary": {
    en: "Create a SKU with its on-hand units at the primary location",
    "zh-CN": "新建 SKU，并在主仓位记入现货数量",
  },
  "first-added": {
    en: "{ $sku } ({ $title }) added: { $onHand } on hand at { $location }.",
    "zh-CN": "已新增 { $sku }（{ $title }）：{ $location } 现货 { $onHand }。",
  },
  "first-add-exists": {
    en: "{ $sku } already exists ({ $onHand } on hand). Use /count { $sku } QTY for a count or /adjust { $sku } +N for a delivery.",
    "zh-CN": "{ $sku } 已存在（现货 { $onHand }）。盘点请用 /count { $sku } 数量，到货请用 /adjust { $sku } +数量。",
  },
  "first-add-duplicate": {
    en: "Already applied: { $sku } was added; { $onHand } on hand.",
    "zh-CN": "已处理过：{ $sku } 已新增，现货 { $onHand }。",
  },
  "first-count-summary": {
    en: "Record a counted quantity (a stock take) as an adjustment with reason count",
    "zh-CN": "记录盘点数量（按“盘点”原因调整库存）",
  },
  "first-counted": {
    en: "{ $sku }: counted { $after } at { $location } (was { $before }, { $difference }); { $onHand } on hand, { $available } available.",
    "zh-CN":
      "{ $sku }：{ $location } 盘点为 { $after }（原 { $before }，{ $difference }）；合计现货 { $onHand }，可售 { $available }。",
  },
  "first-count-duplicate": {
    en: "Already applied: { $sku } on hand is { $onHand }.",
    "zh-CN": "已处理过：{ $sku } 现货为 { $onHand }。",
  },
  "first-telegram-refused": {
    en: "telegram: the bot token was refused (401); get a new one from @BotFather and set TELEGRAM_BOT_TOKEN",
    "zh-CN": "telegram：机器人令牌被拒绝（401）；请向 @BotFather 重新获取，并设置 TELEGRAM_BOT_TOKEN",
  },
  "first-wecom-refused-40001": {
    en: "wecom: gettoken failed (errcode 40001); check chat.wecom.secret (the app's Secret)",
    "zh-CN": "wecom：gettoken 失败（errcode 40001）；请检查 chat.wecom.secret（应用的 Secret）",
  },
  "first-wecom-refused-40013": {
    en: "wecom: gettoken failed (errcode 40013); check chat.wecom.corpId",
    "zh-CN": "wecom：gettoken 失败（errcode 40013）；请检查 chat.wecom.corpId（企业 ID）",
  },
  "first-wecom-refused-60020": {
    en: "wecom: gettoken failed (errcode 60020); add this server's egress IP under 企业可信IP of the app",
    "zh-CN": "wecom：gettoken 失败（errcode 60020）；请把本服务器的出口 IP 加入该应用的“企业可信IP”",
  },
  "first-wecom-refused-other": {
    en: "wecom: gettoken failed (errcode { $errcode }); check chat.wecom.apiBase and the network",
    "zh-CN": "wecom：gettoken 失败（errcode { $errcode }）；请检查 chat.wecom.apiBase 和网络",
  },
  "first-wecom-down": {
    en: "WeCom could not be reached; the message was not sent (the connection is retried in the background).",
    "zh-CN": "无法连接企业微信；消息未发送（后台会继续重试连接）。",
  },
  "first-whoami-ids": {
    en: "Your user id is { $user }; this chat is { $chat } on { $transport }.",
    "zh-CN": "你的用户 ID 是 { $user }；本聊天在 { $transport } 上的 ID 是 { $chat }。",
  },
  "first-whoami-add-chat": {
    en: "The bot does not serve this chat yet. To make it the ops group, set in stockradar.yaml:",
    "zh-CN": "机器人还没有接管这个聊天。要把它设为运营群，请在 stockradar.yaml 中设置：",
  },
  "first-whoami-add-user": {
    en: "You are not on the access list yet. An admin adds you in stockradar.yaml (viewers, operators, approvers or admins):",
    "zh-CN": "你还不在访问名单中。请管理员在 stockradar.yaml 中加入你（viewers、operators、approvers 或 admins）：",
  },
  "first-whoami-known": {
    en: "You are { $user } ({ $role }) on { $transport }; this chat is { $chat }.",
    "zh-CN": "你是 { $user }（{ $role }），在 { $transport } 上；本聊天 ID 是 { $chat }。",
  },
  "first-doctor-unknown-chat": {
    en: "chat: { $transport } chat { $chat } (not configured) got { $messages } messages, the last from { $user } at { $at }; /whoami there shows the config lines",
    "zh-CN":
      "chat：{ $transport } 聊天 { $chat }（未配置）收到 { $messages } 条消息，最近一条来自 { $user }（{ $at }）；在那里发送 /whoami 可看到要添加的配置",
  },
  "first-doctor-unknown-user": {
    en: `chat: { $user } (not on the access list) wrote { $messages ->
  [one] once
 *[other] { $messages } times
} in { $transport } chat { $chat }, last at { $at }; add them under access`,
    "zh-CN":
      "chat：{ $user }（不在访问名单中）在 { $transport } 聊天 { $chat } 发了 { $messages } 条消息，最近一次 { $at }；请在 access 下添加",
  },
  "first-init-unknown": {
    en: "{ $what } { $given } is not one stockradar init knows; use { $known }.",
    "zh-CN": "stockradar init 不认识 { $what } { $given }；可用：{ $known }。",
  },
  "first-init-exists": {
    en: "{ $files } already exists; stockradar init never overwrites. Move it away or edit it.",
    "zh-CN": "{ $files } 已存在；stockradar init 不会覆盖。请移走或直接编辑它。",
  },
  "first-init-done": {
    en: "wrote { $yaml } and { $env }; fill in the secrets in { $env }, then run stockradar doctor",
    "zh-CN": "已写入 { $yaml } 和 { $env }；请在 { $env } 中填好密钥，然后运行 stockradar doctor",
  },
  "first-log-file": {
    en: "logs: { $file } (the console is the chat, so they stay out of the prompt)",
    "zh-CN": "日志：{ $file }（控制台就是聊天窗口，日志不显示在提示符里）",
  },
});
