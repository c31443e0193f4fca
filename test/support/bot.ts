import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { startCli } from "./spawn-cli.js";

/** A `stockradar run` child process: its HTTP base URL once listening, its log lines, and how it ended. */
export interface BotProcess {
  child: ChildProcess;
  /** Resolves with the HTTP base URL when the bot logs "http listening"; rejects if it exits first. */
  listening: Promise<string>;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every JSON log line so far. */
  logs: { msg?: string; level?: number; [k: string]: unknown }[];
  /** Raw stderr (for diagnosing a failure). */
  stderr: () => string;
}

/** Writes `config` as YAML into `dir/stockradar.yaml` and returns the path. */
export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, "stockradar.yaml");
  writeFileSync(file, stringify(config));
  return file;
}

/** Spawns the real CLI, `node bin/stockradar.js run --config FILE`, exactly as systemd would. */
export function spawnBot(configFile: string, cwd: string): BotProcess {
  const child = startCli(["run", "--config", configFile], {
    cwd,
    env: { LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: BotProcess["logs"] = [];
  let raw = "";
  let partial = "";
  let onListen: ((url: string) => void) | undefined;
  let onFail: ((err: Error) => void) | undefined;
  const listening = new Promise<string>((resolve, reject) => {
    onListen = resolve;
    onFail = reject;
  });
  listening.catch(() => undefined);
  child.stderr!.on("data", (d: Buffer) => {
    raw += d.toString();
    partial += d.toString();
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      try {
        const entry = JSON.parse(line) as BotProcess["logs"][number];
        logs.push(entry);
        const address = entry.address as { address?: string; port?: number } | undefined;
        if (entry.msg === "http listening" && address?.port) onListen?.(`http://127.0.0.1:${address.port}`);
      } catch {
        // A line cut by SIGKILL is not JSON; nothing to read from it.
      }
    }
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      onFail?.(new Error(`bot exited (code ${code}, signal ${signal}) before listening:\n${raw.slice(-2000)}`));
      resolve({ code, signal });
    });
  });
  return { child, listening, exited, logs, stderr: () => raw };
}
