import { vi } from "vitest";
import { main } from "../../src/main.js";

/** Runs the CLI's `main` in-process (in `cwd` when given); returns its exit code and what it printed. */
export async function runMain(
  argv: string[],
  opts: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  const before = process.cwd();
  if (opts.cwd) process.chdir(opts.cwd);
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    if (opts.cwd) process.chdir(before);
    out.mockRestore();
    err.mockRestore();
  }
}
