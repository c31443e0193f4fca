import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { tempDir } from "./support/app.js";
import { runMain } from "./support/cli.js";

const cli = (args: string[], cwd: string) => runMain(args, { cwd });

/** systemd's EnvironmentFile= reading: KEY=VALUE lines, # and ; comments, optional surrounding quotes. */
function systemdEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`systemd would reject: ${line}`);
    out[m[1]!] = m[2]!.replace(/^"(.*)"$|^'(.*)'$/, "$1$2");
  }
  return out;
}

/** What `set -a; . FILE; set +a` exports, as sh sees it (only the file's keys). */
function shellEnv(file: string, keys: string[]): Record<string, string> {
  const script = `set -a; . "${file}"; set +a; for k in ${keys.join(" ")}; do printf '%s=%s\\n' "$k" "$(printenv "$k")"; done`;
  const out = execFileSync("sh", ["-c", script], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } }).toString();
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe("stockradar init and the environment files (issue 12)", () => {
  it("writes a commented config and .env template for the named channels and chat that load once filled in", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const r = await cli(["init", "--channels", "shopify,woocommerce", "--chat", "telegram"], t.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `wrote ${join(t.dir, "stockradar.yaml")} and ${join(t.dir, ".env")}; fill in the secrets in ${join(t.dir, ".env")}, then run stockradar doctor\n`,
    );
    const envText = readFileSync(join(t.dir, ".env"), "utf8");
    const keys = Object.keys(systemdEnv(envText));
    expect(keys).toEqual([
      "TELEGRAM_BOT_TOKEN",
      "SHOPIFY_TOKEN",
      "SHOPIFY_WEBHOOK_SECRET",
      "WOO_CONSUMER_KEY",
      "WOO_CONSUMER_SECRET",
      "WOO_WEBHOOK_SECRET",
    ]);
    expect(readFileSync(join(t.dir, "stockradar.yaml"), "utf8")).toMatch(/^# stockradar\.yaml/);
    // Unfilled, the config says which secret is missing; filled, it loads.
    expect(() => loadConfig({ cwd: t.dir, env: systemdEnv(envText) })).toThrow(
      "environment variable TELEGRAM_BOT_TOKEN is not set",
    );
    const filled = envText.replace(/=$/gm, "=filled-in-secret");
    writeFileSync(join(t.dir, ".env"), filled);
    const { config } = loadConfig({ cwd: t.dir, env: systemdEnv(filled) });
    expect(config.channels.map((c) => [c.id, c.kind])).toEqual([
      ["shop1", "shopify"],
      ["woo", "woocommerce"],
    ]);
    expect(config.chat.telegram?.token).toBe("filled-in-secret");
    expect(shellEnv(join(t.dir, ".env"), keys)).toEqual(systemdEnv(filled));

    const again = await cli(["init"], t.dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      "stockradar.yaml, .env already exists; stockradar init never overwrites. Move it away or edit it.\n",
    );
    expect(readFileSync(join(t.dir, ".env"), "utf8")).toBe(filled);
  });

  it("refuses an unknown channel or chat with the known names (exit 2) and writes nothing", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const bad = await cli(["init", "--channels", "shopfy"], t.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "--channels shopfy is not one stockradar init knows; use shopify, woocommerce, amazon, ebay, taobao, pinduoduo, xianyu.\n",
    );
    const chat = await cli(["init", "--chat", "slack"], t.dir);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toBe("--chat slack is not one stockradar init knows; use telegram, wecom, console.\n");
    expect(existsSync(join(t.dir, "stockradar.yaml")) || existsSync(join(t.dir, ".env"))).toBe(false);
    const every = await cli(["init", "--channels", "amazon,ebay,taobao,pinduoduo,xianyu", "--chat", "wecom"], t.dir);
    expect(every.code).toBe(0);
    const env = systemdEnv(readFileSync(join(t.dir, ".env"), "utf8"));
    const { config } = loadConfig({
      cwd: t.dir,
      env: Object.fromEntries(
        Object.keys(env).map((k) => [k, k === "WECOM_AES_KEY" ? "a".repeat(43) : "x-secret-value"]),
      ),
    });
    expect(config.channels.map((c) => c.kind)).toEqual(["amazon", "ebay", "taobao", "pinduoduo", "xianyu"]);
    expect(config.chat.wecom?.agentId).toBe(1000002);
  });

  it("deploy/stockradar.env.example reads the same with systemd's EnvironmentFile= and with sh's set -a; .", () => {
    const file = join(import.meta.dirname, "..", "deploy", "stockradar.env.example");
    const text = readFileSync(file, "utf8");
    for (const line of text.split("\n").filter((l) => l.trim() && !l.startsWith("#")))
      expect(line, "plain KEY=VALUE, no quotes, spaces, $ or export").toMatch(/^[A-Z_][A-Z0-9_]*=[^\s'"`$\\]*$/);
    const sd = systemdEnv(text);
    expect(Object.keys(sd).length).toBeGreaterThan(0);
    expect(shellEnv(file, Object.keys(sd))).toEqual(sd);
  });
});
