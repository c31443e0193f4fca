import { defineMessages } from "../define.js";

/** A full disk under the ledger (issue 19): the chat alert, refusals, job and doctor lines. */
export const diskMessages = defineMessages({
  "disk-full-alert": {
    en: "Disk full: the ledger under { $dir } cannot store anything, so stock changes, orders and holds are refused. Free disk space there; stockradar carries on by itself, no restart needed.",
    "zh-CN":
      "磁盘已满：{ $dir } 下的账本无法写入，库存变更、订单和预留都会被拒绝。请清理该磁盘的空间；空间恢复后 stockradar 会自动继续，无需重启。",
  },
  "disk-full-refused": {
    en: "The ledger's disk is full, so nothing was changed. Read-only commands such as /stock still work; free disk space and try again (ref { $ref }).",
    "zh-CN": "账本所在磁盘已满，未做任何更改。/stock 等只读命令仍可使用；请清理磁盘空间后重试（编号 { $ref }）。",
  },
  "disk-full-job": {
    en: "disk full: the ledger under { $dir } cannot store anything; free disk space there",
    "zh-CN": "磁盘已满：{ $dir } 下的账本无法写入；请清理该磁盘的空间",
  },
  "disk-full-backup": {
    en: "disk full: no room for the backup under { $dir }; free space there or point backup.dir at a larger disk",
    "zh-CN": "磁盘已满：{ $dir } 下没有空间存放备份；请清理该磁盘的空间，或把 backup.dir 指向更大的磁盘",
  },
  "doctor-write-ok": {
    en: "data: { $dir } is writable (a test write succeeded)",
    "zh-CN": "数据目录：{ $dir } 可写（试写成功）",
  },
  "doctor-write-failed": {
    en: "data: a test write to { $dir } failed ({ $reason }); free disk space there or fix its owner (chown -R stockradar: { $dir })",
    "zh-CN":
      "数据目录：向 { $dir } 试写失败（{ $reason }）；请清理该磁盘的空间或修正属主（chown -R stockradar: { $dir }）",
  },
});
