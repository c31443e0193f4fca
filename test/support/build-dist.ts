import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

/**
 * Global setup of the `cli` vitest project: the CLI tests spawn `bin/stockradar.js` about a hundred times, and
 * each start through tsx costs seconds of CPU, through the file-per-module `dist/` still about 2 s (most of it
 * resolving and compiling some thousand modules). So this bundles the CLI once per run (esbuild, type-stripping
 * only: `tsc --noEmit` already checks types) from src/main.ts into a few files (dynamic imports stay separate
 * chunks, so `cmd` never loads what only `run` or a chart needs; native and worker-thread packages stay in
 * node_modules) under the repo's ignored `tmp/`, so node_modules resolves and two suites running side by side
 * never overwrite each other's build, and points the CLI at it through STOCKRADAR_DIST. A start then costs
 * about 40 % less CPU. STOCKRADAR_DIST or STOCKRADAR_FROM_SOURCE set by the caller is left alone.
 */
const root = join(import.meta.dirname, "..", "..");
/** Packages loaded from node_modules as they are: native addons, and pino (its transports run worker files). */
const EXTERNAL = ["better-sqlite3", "@resvg/resvg-js", "pino", "thread-stream"];

/** Builds (or reuses) the compiled CLI; returns the teardown that removes a private build. */
export default async function setup(): Promise<() => void> {
  if (process.env.STOCKRADAR_FROM_SOURCE || process.env.STOCKRADAR_DIST) return () => undefined;
  const outdir = join(root, "tmp", `test-dist-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(root, "src", "main.ts")],
    outdir,
    outbase: root,
    bundle: true,
    splitting: true,
    external: EXTERNAL,
    format: "esm",
    platform: "node",
    target: "node20",
    // Bundled CommonJS packages call require(); ESM has none, so each chunk gets one.
    banner: {
      js: 'import { createRequire as __stockradarRequire } from "node:module"; const require = __stockradarRequire(import.meta.url);',
    },
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
