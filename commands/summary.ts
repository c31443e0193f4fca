import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { textRef } from "../src/i18n/ref.js";
import { buildSummary } from "../src/summary/build.js";
import { isValidDay, localDay } from "../src/summary/day.js";
import { renderSummary } from "../src/summary/render.js";
import { yesterdayOf } from "../src/summary/send.js";

export default defineCommand({
  name: "summary",
  summary: msg("cmd-summary-summary"),
  aliases: { "zh-CN": ["日报"] },
  role: "viewer",
  args: z.object({
    date: z
      .string()
      .regex(/^(\d{4}-\d{2}-\d{2}|today|yesterday)$/i, { message: "must be a date such as 2026-11-19, or today" })
      .optional()
      .describe("DATE"),
  }),
  examples: ["/summary", "/summary 2026-11-19"],
  run: async ({ date }, { deps, tr }) => {
    const now = deps.clock.now();
    const today = localDay(now, deps.config.timezone);
    const day =
      !date || date.toLowerCase() === "yesterday"
        ? yesterdayOf(deps, now)
        : date.toLowerCase() === "today"
          ? today
          : date;
    if (!isValidDay(day))
      throw localized(
        InvalidInputError,
        "bad_date",
        textRef("err-summary-bad-date", { date: date ?? day, example: yesterdayOf(deps, now) }),
      );
    if (day > today)
      throw localized(
        InvalidInputError,
        "future_date",
        textRef("err-summary-future-date", {
          day,
          zone: { byLocale: { en: deps.config.timezone, "zh-CN": tr.zone() } },
          example: yesterdayOf(deps, now),
        }),
      );
    return renderSummary(buildSummary(deps, day), { chart: deps.config.summary.chart }, tr);
  },
});
