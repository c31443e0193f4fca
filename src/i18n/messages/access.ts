import { defineMessages } from "../define.js";

/** Role names as people read them (config keys stay English: viewer, operator, approver, admin). */
export const accessMessages = defineMessages({
  "role-viewer": { en: "viewer", "zh-CN": "查看者" },
  "role-operator": { en: "operator", "zh-CN": "操作员" },
  "role-approver": { en: "approver", "zh-CN": "审批人" },
  "role-admin": { en: "admin", "zh-CN": "管理员" },
});
