import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { closestKey } from "../src/config-strict.js";

function problemsOf(raw: unknown, env: NodeJS.ProcessEnv = {}, optionalEnv: string[] = []): string[] {
  try {
    parseConfig(raw, env, "stockradar.yaml", { optionalEnv });
    return [];
  } catch (err) {
    return (err as { details?: { problems?: string[] } }).details?.problems ?? [String(err)];
  }
}

describe("config typos are errors with did-you-mean", () => {
  it("htp:, lowStockTreshold: and telegarm: are each named with the key meant", () => {
    const p = problemsOf({ htp: { port: 1 }, stock: { lowStockTreshold: 2 }, chat: { telegarm: {} } });
    expect(p).toEqual([
      'htp: unknown key (did you mean "http"?)',
      'stock.lowStockTreshold: unknown key (did you mean "lowStockThreshold"?)',
      'chat.telegarm: unknown key (did you mean "telegram"?)',
    ]);
  });

  it("a typo inside a channel entry is found through its kind", () => {
    const p = problemsOf({ channels: [{ kind: "xianyu", id: "xy", buferUnits: 1 }] });
    expect(p.some((l) => l.startsWith('channels.0.buferUnits: unknown key (did you mean "bufferUnits"?)'))).toBe(true);
  });

  it("schedule overrides stay free-form; a valid file passes", () => {
    expect(problemsOf({ schedule: { stockSync: "*/5 * * * *" }, http: { port: 0 } })).toEqual([]);
    expect(closestKey("zzzzzz", ["http"])).toBeUndefined();
  });
});

describe("env vars only where used", () => {
  const raw = { chat: { telegram: { token: `$${"{"}TELEGRAM_BOT_TOKEN}`, chatId: -1 } } };
  it("run demands TELEGRAM_BOT_TOKEN", () => {
    expect(problemsOf(raw)).toEqual(["chat.telegram.token: environment variable TELEGRAM_BOT_TOKEN is not set"]);
  });
  it("cmd/import drop the unused chat block instead", () => {
    expect(problemsOf(raw, {}, ["chat.telegram", "chat.wecom"])).toEqual([]);
    const c = parseConfig(raw, {}, "x", { optionalEnv: ["chat.telegram"] });
    expect(c.chat.telegram).toBeUndefined();
  });
});
