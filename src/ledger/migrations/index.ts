import core from "./001-core.js";
import sync from "./002-sync.js";
import logistics from "./004-logistics.js";
import money from "./005-money.js";

/** Numbered schema migrations, applied in order inside one transaction each. Append only; never edit a shipped one. */
export const migrations: { version: number; name: string; sql: string }[] = [
  { version: 1, name: "core", sql: core },
  { version: 2, name: "sync", sql: sync },
  { version: 4, name: "logistics", sql: logistics },
  { version: 5, name: "money", sql: money },
];
