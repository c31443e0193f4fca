import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The rule: SQL lives only in store files. A file may prepare or run SQL when it is
//   - the ledger core (anything under src/ledger/, including its migration runner and src/ledger/migrations/),
//   - a feature store: named `store.ts`, `*-store.ts` or `channel-state.ts`,
//   - a feature's migrations: named `migrations.ts`.
// Everything else asks a store. The sandbox simulators (src/sandbox/) are fake providers with no ledger and
// are checked like any other file.

const root = join(import.meta.dirname, "..");
const dirs = ["src", "commands", "jobs"];

const isAllowed = (file: string): boolean => {
  const rel = relative(root, file).replaceAll("\\", "/");
  const name = basename(rel);
  return (
    rel.startsWith("src/ledger/") ||
    name === "store.ts" ||
    name.endsWith("-store.ts") ||
    name === "channel-state.ts" ||
    name === "migrations.ts"
  );
};

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });

// A prepared statement, a raw exec on a connection, or an SQL statement inside a string literal.
const SQL = [
  /\.prepare\s*[<(]/,
  /\b(?:db|ctx|conn|database|connection)\s*\.\s*exec\s*\(/,
  /["'`]\s*(?:SELECT\s[^"'`]*\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)/,
];

/** Lines of `src` that look like SQL, with their line numbers. */
function sqlLines(src: string): string[] {
  return src
    .split("\n")
    .flatMap((line, i) => (SQL.some((re) => re.test(line)) ? [`${i + 1}: ${line.trim().slice(0, 100)}`] : []));
}

describe("structure", () => {
  it("finds the SQL patterns it looks for (the check itself works)", () => {
    expect(sqlLines('const r = db.prepare("SELECT 1 FROM skus").get();')).toHaveLength(1);
    expect(sqlLines("db.exec(sql);")).toHaveLength(1);
    expect(sqlLines("const q = `INSERT INTO kv (key) VALUES (?)`;")).toHaveLength(1);
    expect(sqlLines('const q = "UPDATE outbox SET attempts = 1";')).toHaveLength(1);
    expect(sqlLines("const t = 'DELETE FROM alerts';")).toHaveLength(1);
    expect(sqlLines('say("Select a channel from the list");')).toHaveLength(0);
    expect(sqlLines("const m = BACKUP_NAME.exec(f);")).toHaveLength(0);
  });

  it("has no SQL outside the ledger core, store files and migration files", () => {
    const offenders = dirs
      .flatMap((d) => walk(join(root, d)))
      .filter((f) => !isAllowed(f))
      .flatMap((f) => sqlLines(readFileSync(f, "utf8")).map((l) => `${relative(root, f)}:${l}`));
    expect(offenders).toEqual([]);
  });

  it("loads fastify only when HTTP starts: no file but app.ts (dynamically) imports src/http/server.ts", () => {
    // A static import would put fastify and its validators back on every `cmd` start (a third of the code).
    const importsServer = /^import\s+(?!type\b)[^;]*from\s+"(?:\.\.?\/)+(?:http\/)?server\.js"/m;
    const offenders = dirs
      .flatMap((d) => walk(join(root, d)))
      .filter((f) => importsServer.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(importsServer.test('import { BODY_LIMITS } from "./server.js";')).toBe(true);
    expect(importsServer.test('import type { RouteModule } from "./server.js";')).toBe(false);
    expect(offenders).toEqual([]);
  });
});
