import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { parseConfig, secretValues } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { scheduleOf } from "../src/scheduler.js";

describe("config", () => {
  it("fills every default from an empty file", () => {
    const c = parseConfig({}, {});
    expect(c.database).toBe("./data/stockradar.db");
    expect(c.stock).toMatchObject({ lowStockThreshold: 3, lowStockAction: "cap", holdTtlMinutes: 15 });
    expect(c.schedule).toEqual({});
  });

  it("takes each job's schedule from its declaration; schedule.<scheduleKey> or schedule.<name> overrides it", () => {
    const byName = new Map(jobs.map((j) => [j.name, j]));
    const plain = parseConfig({}, {});
    expect(scheduleOf(byName.get("reservation-expiry")!, { config: plain })).toBe("* * * * *");
    expect(scheduleOf(byName.get("backup")!, { config: plain })).toBe("30 3 * * *");
    expect(scheduleOf(byName.get("stock-sync")!, { config: plain })).toBe("*/10 * * * *");
    const custom = parseConfig(
      { schedule: { stockSync: "*/2 * * * *", backup: "0 4 * * *", "daily-summary": "0 8 * * *" } },
      {},
    );
    expect(scheduleOf(byName.get("stock-sync")!, { config: custom })).toBe("*/2 * * * *");
    expect(scheduleOf(byName.get("backup")!, { config: custom })).toBe("0 4 * * *");
    expect(scheduleOf(byName.get("daily-summary")!, { config: custom })).toBe("0 8 * * *");
    expect(scheduleOf(byName.get("reconcile")!, { config: custom })).toBe("0 * * * *");
    expect(() => parseConfig({ schedule: { stockSync: "often" } }, {})).toThrow(ConfigError);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test name quotes the ${VAR} config syntax
  it("interpolates ${VAR} and ${VAR:-default} from the environment", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: literal ${VAR} references are the input under test
    const c = parseConfig({ chat: { telegram: { token: "${TG}", chatId: "${CHAT:--100}" } } }, { TG: "42:abcdefgh" });
    expect(c.chat.telegram).toMatchObject({ token: "42:abcdefgh", chatId: -100 });
  });

  it("reports one line per problem with the key path", () => {
    try {
      parseConfig({ http: { port: 70000 }, channels: [{ id: "Shop 1", kind: "shopify" }] }, {});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).details.problems as string[];
      expect(problems.some((p) => p.startsWith("http.port:"))).toBe(true);
      expect(problems.some((p) => p.startsWith("channels.0.id:"))).toBe(true);
      expect(problems.some((p) => p.startsWith("channels.0.accessToken:"))).toBe(true);
    }
  });

  it("scrubs configured secrets from every log line, whatever the field", () => {
    const c = parseConfig({ chat: { telegram: { token: "999:SECRET-TOKEN-VALUE", chatId: 1 } } }, {});
    let out = "";
    const dest = new Writable({
      write: (chunk, _e, cb) => {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger({ level: "info", secrets: secretValues(c), destination: dest });
    log.info({ url: "https://api.telegram.org/bot999:SECRET-TOKEN-VALUE/getMe", accessToken: "shpat_x" }, "calling");
    expect(out).not.toContain("SECRET-TOKEN-VALUE");
    expect(out).not.toContain("shpat_x");
    expect(out).toContain("[redacted]");
  });
});

describe("telegram webhook config", () => {
  it("refuses webhook mode without a secret token", () => {
    expect(() => parseConfig({ chat: { telegram: { token: "1:abcdefgh", chatId: -1, mode: "webhook" } } }, {})).toThrow(
      /chat\.telegram\.webhookSecret: webhook mode needs webhookSecret/,
    );
  });
});
