import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

/**
 * Global setup of the `cli` vitest project: the CLI tests spawn `bin/stockradar.js` dozens of times, and each
 * start through tsx costs seconds of CPU. When `dist/` is fresh (the bin's own rule) they run it; otherwise this
 * compiles src/, commands/ and jobs/ once per run (esbuild, type-stripping only: `tsc --noEmit` already checks
 * types) into a private folder under the repo's ignored `tmp/`, so node_modules resolves and two suites running
 * side by side never overwrite each other's build, and points the CLI at it through STOCKRADAR_DIST.
 */
const root = join(import.meta.dirname, "..", "..");
const SOURCES = ["src", "commands", "jobs"];

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

function isDistFresh(): boolean {
  const stamp = join(root, "dist", ".build-stamp");
  if (!existsSync(stamp)) return false;
  const newest = Math.max(...SOURCES.flatMap((d) => tsFiles(join(root, d))).map((f) => statSync(f).mtimeMs));
  return statSync(stamp).mtimeMs >= newest;
}

/** Builds (or reuses) the compiled CLI; returns the teardown that removes a private build. */
export default async function setup(): Promise<() => void> {
  if (process.env.STOCKRADAR_FROM_SOURCE || process.env.STOCKRADAR_DIST || isDistFresh()) return () => undefined;
  const outdir = join(root, "tmp", `test-dist-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: SOURCES.flatMap((d) => tsFiles(join(root, d))),
    outdir,
    outbase: root,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    logLevel: "warning",
  });
  writeFileSync(join(outdir, ".build-stamp"), new Date().toISOString());
  process.env.STOCKRADAR_DIST = outdir;
  return () => {
    delete process.env.STOCKRADAR_DIST;
    rmSync(outdir, { recursive: true, force: true });
  };
}
