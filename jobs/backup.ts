import { backupDirOf, backupLedger } from "../src/backup.js";
import { translatorFor } from "../src/disk-full.js";
import { DiskFullError, isDiskFull } from "../src/errors.js";
import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "backup",
  scheduleKey: "backup",
  schedule: "30 3 * * *",
  summary: "Copy the ledger with SQLite's online backup API and keep the newest backup.keep copies",
  run: async (slot, deps) => {
    if (deps.config.database === ":memory:") return { changed: 0, skipped: 1, problems: [] };
    const dir = backupDirOf(deps.config);
    try {
      const r = await backupLedger(
        { backup: (file) => deps.ops.backupTo(file) },
        { dir, keep: deps.config.backup.keep, now: deps.clock.now() },
      );
      slot.log.info({ file: r.file, bytes: r.bytes, removed: r.removed.length }, "ledger backed up");
      return { changed: 1, skipped: 0, problems: [] };
    } catch (err) {
      // The copy's own disk is full (the ledger may be fine): say where, in one line; the partial copy is gone.
      if (isDiskFull(err) || (err as NodeJS.ErrnoException).code === "ENOSPC")
        throw new DiskFullError(translatorFor(deps.config, "cli").t("disk-full-backup", { dir }), { cause: err });
      throw err;
    }
  },
});
