import { defineMessages } from "../define.js";

/** Every command's one-line summary for /help, the docs and the Telegram menu. */
export const commandMessages = defineMessages({
  "cmd-help-summary": {
    en: "List the commands you may run, or explain one",
    "zh-CN": "列出你能用的命令，或解释其中一个",
  },
  "cmd-confirm-summary": {
    en: "Confirm a previewed destructive command with its token",
    "zh-CN": "用预览给出的口令确认一个有风险的命令",
  },
  "cmd-lang-summary": {
    en: "Choose your reply language: zh, en, or auto (the chat's)",
    "zh-CN": "选择回复语言：zh、en 或 auto（跟随本群）",
  },
  "cmd-ack-summary": { en: "Acknowledge an alert so it stops being re-sent", "zh-CN": "确认收到一条告警，不再重发" },
  "cmd-adjust-summary": {
    en: "Add or remove on-hand units (receiving, damage, samples)",
    "zh-CN": "增减在手库存（入库、损坏、样品）",
  },
  "cmd-alerts-summary": {
    en: "List open and acknowledged alerts, critical first",
    "zh-CN": "列出未处理和已确认的告警，严重的在前",
  },
  "cmd-approve-refund-summary": {
    en: "Approve a refund someone else asked for; it is executed at once",
    "zh-CN": "批准他人申请的退款，立即执行",
  },
  "cmd-breaker-summary": {
    en: "Show the refund breaker (state, window total, history); admins: /breaker reset REASON",
    "zh-CN": "查看退款熔断器（状态、窗口内总额、历史）；管理员可用 /breaker reset 原因",
  },
  "cmd-carriers-summary": {
    en: "Carrier performance per destination region (transit p50/p90, on-time, exceptions, losses) with a chart",
    "zh-CN": "各目的地区的快递表现（运输时长 p50/p90、准时率、异常、丢件），附图表",
  },
  "cmd-delist-summary": {
    en: "Take a SKU off one channel or all channels (publishes 0 and unlists)",
    "zh-CN": "在一个或全部渠道下架货号（推送 0 并下架）",
  },
  "cmd-history-summary": {
    en: "Show the newest stock movements of a SKU (default 10, at most 50)",
    "zh-CN": "查看货号最近的库存变动（默认 10 条，最多 50 条）",
  },
  "cmd-late-summary": {
    en: "List stalled, not-picked-up and failed parcels, oldest problem first",
    "zh-CN": "列出停滞、未揽收和失败的包裹，问题最久的在前",
  },
  "cmd-orders-summary": {
    en: "Show the newest channel orders and what they did to stock",
    "zh-CN": "查看最新的渠道订单及其对库存的影响",
  },
  "cmd-pause-summary": {
    en: "Stop automated stock pushes to a channel (orders still import; changes queue up)",
    "zh-CN": "暂停向某渠道自动推送库存（订单照常导入，变动排队）",
  },
  "cmd-move-summary": {
    en: "Move on-hand units of a SKU from one location to another",
    "zh-CN": "把货号的现货从一个库位调到另一个库位",
  },
  "cmd-price-summary": {
    en: "Set a SKU's price on every channel (checked by the price guard, previewed, then pushed)",
    "zh-CN": "设置货号在各渠道的价格（经价格保护检查，先预览，再推送）",
  },
  "cmd-refund-done-summary": {
    en: "Mark a hand-made refund (channel without refund API) as paid out",
    "zh-CN": "标记手工退款（无退款接口的渠道）已付款",
  },
  "cmd-refund-summary": {
    en: "Ask for a refund on an order; someone else approves it",
    "zh-CN": "为订单申请退款，由他人批准",
  },
  "cmd-refunds-summary": {
    en: "List refunds: open ones by default, or pending / executed / rejected / failed / all",
    "zh-CN": "列出退款：默认未完成的，或 pending / executed / rejected / failed / all",
  },
  "cmd-reject-refund-summary": {
    en: "Reject a pending refund, with the reason",
    "zh-CN": "驳回一笔待批准的退款，并写明原因",
  },
  "cmd-relist-summary": {
    en: "Put a delisted SKU back on one channel or all",
    "zh-CN": "把已下架的货号重新上架到一个或全部渠道",
  },
  "cmd-resume-summary": {
    en: "Resume automated stock pushes to a paused channel and push what queued meanwhile",
    "zh-CN": "恢复向已暂停渠道自动推送库存，并推送期间排队的变动",
  },
  "cmd-set-summary": { en: "Set on-hand units after a stock take", "zh-CN": "盘点后设置在手库存" },
  "cmd-snooze-summary": {
    en: "Silence an alert for a while (30m, 2h, 1d); it comes back if still open",
    "zh-CN": "让告警静默一段时间（30m、2h、1d）；届时仍未解决会再提醒",
  },
  "cmd-stock-summary": {
    en: "Show stock for a SKU, the low-stock list (low), or an overview",
    "zh-CN": "查看货号库存、低库存列表（low）或总览",
  },
  "cmd-summary-summary": {
    en: "The daily summary for yesterday, or for DATE (YYYY-MM-DD), with its chart",
    "zh-CN": "昨天或指定日期（YYYY-MM-DD）的日报，附图表",
  },
  "cmd-sync-summary": {
    en: "Push stock now: everything changed, one SKU everywhere, or a full sync of one channel; or show sync status",
    "zh-CN": "立即推送库存：全部变动、单个货号到所有渠道，或某渠道全量同步；或查看同步状态",
  },
  "cmd-todos-summary": {
    en: "List open Xianyu to-dos (listings to change by hand)",
    "zh-CN": "列出闲鱼待办（需手工修改的商品）",
  },
  "cmd-track-summary": {
    en: "Show a parcel's status and scans, newest first, by order or tracking number",
    "zh-CN": "按订单号或运单号查看包裹状态和轨迹，最新的在前",
  },
  "cmd-whoami-summary": { en: "Show your user id and role", "zh-CN": "查看你的用户 ID 和角色" },
  "cmd-why-summary": {
    en: "Explain the quantity each channel shows for a SKU, rule by rule",
    "zh-CN": "逐条规则解释某货号在各渠道显示的数量",
  },
  "cmd-xianyu-done-summary": {
    en: "Mark a Xianyu to-do as done (you changed the listing by hand)",
    "zh-CN": "标记闲鱼待办已完成（你已手工修改商品）",
  },
  "cmd-link-summary": {
    en: "Link a SKU to a channel item (REF is the channel's own id for it), or `auto` to map a channel's catalog by SKU",
    "zh-CN": "把货号关联到渠道商品（REF 是该渠道自己的商品编号），或用 auto 按货号自动匹配整个渠道目录",
  },
  "cmd-ship-summary": {
    en: 'Record a shipped parcel so the radar watches it (carrier "auto" detects it from the number)',
    "zh-CN": "登记已发出的包裹，由雷达跟踪（快递填 auto 时按单号自动识别）",
  },
});
