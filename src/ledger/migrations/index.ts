import core from "./001-core.js";
import sync from "./002-sync.js";
import cnChannels from "./003-cn-channels.js";
import logistics from "./004-logistics.js";
import money from "./005-money.js";
import wecom from "./006-wecom.js";
import i18n from "./007-i18n.js";

/** Numbered schema migrations, applied in order inside one transaction each. Append only; never edit a shipped one. */
export const migrations: { version: number; name: string; sql: string }[] = [
  { version: 1, name: "core", sql: core },
  { version: 2, name: "sync", sql: sync },
  { version: 3, name: "cn-channels", sql: cnChannels },
  { version: 4, name: "logistics", sql: logistics },
  { version: 5, name: "money", sql: money },
  { version: 6, name: "wecom", sql: wecom },
  { version: 7, name: "i18n", sql: i18n },
];
