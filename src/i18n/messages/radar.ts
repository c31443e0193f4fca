import { defineMessages } from "../define.js";

/** Parcel radar refusals (bad tracking number, unknown carrier, unknown parcel) and Xianyu analytics texts. */
export const radarMessages = defineMessages({
  "err-bad-tracking-no": {
    en: 'Tracking number "{ $no }" is not valid: 6–40 letters or digits.',
    "zh-CN": "运单号“{ $no }”无效：应为 6–40 位字母或数字。",
  },
  "err-bad-carrier": {
    en: 'Carrier "{ $carrier }" is not one we know. Use a code such as sf, zto, yto, jd or ems.',
    "zh-CN": "不认识快递公司“{ $carrier }”。请用 sf、zto、yto、jd 或 ems 这样的代码。",
  },
  "err-bad-order-ref": { en: "An order reference is required.", "zh-CN": "需要填写订单号。" },
  "err-unknown-shipment": {
    en: "Parcel { $id } is not in the ledger.",
    "zh-CN": "账本里没有包裹 { $id }。",
  },
});
