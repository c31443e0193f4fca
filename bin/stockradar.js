#!/usr/bin/env node
// Runs the compiled build in dist/ (made by `npm install` through the `prepare` script) when it is at least as
// new as every source file; otherwise the TypeScript sources through tsx, so a fresh checkout, a machine
// without the dev tools, or a just-edited source always runs what is on disk. STOCKRADAR_FROM_SOURCE=1 forces tsx.
// STOCKRADAR_DIST=DIR runs a build in DIR instead (the CLI tests build one per run, see test/support/build-dist.ts).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// A reader that went away (`stockradar cmd /stock | head -1`, a parent that died): stop at once and quietly, never
// a stack trace for a closed pipe, and never keep running with nobody to read the answer.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });

const root = join(import.meta.dirname, "..");
const stamp = join(root, "dist", ".build-stamp");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const isBuilt = () =>
  existsSync(stamp) &&
  statSync(stamp).mtimeMs >= Math.max(...["src", "commands", "jobs"].map((d) => newestSource(join(root, d))));

let main;
if (process.env.STOCKRADAR_DIST && !process.env.STOCKRADAR_FROM_SOURCE) {
  ({ main } = await import(pathToFileURL(join(process.env.STOCKRADAR_DIST, "src", "main.js")).href));
} else if (!process.env.STOCKRADAR_FROM_SOURCE && isBuilt()) {
  ({ main } = await import("../dist/src/main.js"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
