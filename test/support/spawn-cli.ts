import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach } from "vitest";

/** The real CLI, as a seller runs it. */
export const BIN = join(import.meta.dirname, "..", "..", "bin", "stockradar.js");

/**
 * Every CLI process a test started and that has not ended. After each test (passed, failed or timed out) and when
 * the test worker exits, what is left is killed: a timed-out test once left five `cmd` processes running for an
 * hour. Importing this module registers the `afterEach` for the importing file.
 */
const running = new Set<ChildProcess>();

export function killStrayChildren(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  running.clear();
}

afterEach(killStrayChildren);
process.once("exit", killStrayChildren);

/** Starts `node bin/stockradar.js ARGS…` with `LOG_LEVEL` (default `error`) and tracks it until it ends. */
export function startCli(
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; stdio?: SpawnOptions["stdio"] },
): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, LOG_LEVEL: "error", ...opts.env },
    stdio: opts.stdio ?? "pipe",
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** What a finished CLI run printed, and its exit code (128 when a signal ended it). */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end. */
export function runCli(
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  const child = startCli(args, opts);
  return collect(child);
}

/** Collects a started child's output until it closes. */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })),
  );
}
