import { z } from "zod";
import { checkChannel } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { ChannelIdSchema } from "../src/ids.js";
import { CATALOG_COLUMNS } from "../src/onboarding/catalog-csv.js";
import { importChannel, needsCatalogFile, QUANTITY_RULES } from "../src/onboarding/channel-import.js";
import { CHAT_CONFLICTS, describeImport } from "../src/onboarding/report.js";

export default defineCommand({
  name: "import",
  summary: msg("cmd-import-summary"),
  aliases: { "zh-CN": ["导入"] },
  role: "admin",
  confirm: "preview",
  args: z.object({
    channel: ChannelIdSchema.describe("CHANNEL"),
    rule: z.enum(QUANTITY_RULES).optional().describe("channel|min|max|keep"),
  }),
  examples: ["/import shop1", "/import woo min"],
  run: async ({ channel, rule }, { deps, actor, dryRun, tr }) => {
    checkChannel(deps, channel);
    if (needsCatalogFile(deps, channel))
      throw new InvalidInputError("needs_file", tr.t("import-needs-file", { channel, columns: CATALOG_COLUMNS }));
    const report = await importChannel(deps, {
      channelId: channel,
      rule,
      dryRun,
      actor: actor.id,
      signal: AbortSignal.timeout(30 * 60_000),
    });
    return { text: describeImport(report, tr, { maxConflicts: CHAT_CONFLICTS }) };
  },
});
