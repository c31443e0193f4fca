import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { allCommands, commandTableZh, generate, jobTable, repoRoot } from "../scripts/gen-docs.js";

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchorsOf = (md: string): string[] =>
  [...md.matchAll(/^#{1,6} (.+)$/gm)].map((h) =>
    h[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-"),
  );

describe("generated docs", () => {
  it("the command and job tables match the declarations (run npm run docs if this fails)", () => {
    const files = generate();
    expect(files.map((f) => f.path).sort()).toEqual([
      "README.md",
      "README.zh-CN.md",
      "docs/commands.md",
      "docs/jobs.md",
    ]);
    for (const f of files) expect(f.current, `${f.path} is out of date: run npm run docs`).toBe(f.expected);
  });

  it("a changed declaration no longer matches the committed table", () => {
    const docs = readFileSync(join(repoRoot, "docs/jobs.md"), "utf8");
    expect(docs).toContain(jobTable(jobs));
    const changed = jobs.map((j) => (j.name === "stock-sync" ? { ...j, schedule: "*/11 * * * *" } : j));
    expect(docs).not.toContain(jobTable(changed));
  });

  it("README.zh-CN.md carries the Chinese command table from the same declarations, and the same sections", () => {
    const zh = readFileSync(join(repoRoot, "README.zh-CN.md"), "utf8");
    const cmds = allCommands();
    const table = commandTableZh(cmds);
    expect(zh).toContain(table);
    // one row per declaration, each summary in Chinese (a stale or English summary fails here)
    const rows = table.split("\n").slice(2);
    expect(rows).toHaveLength(cmds.length);
    for (const row of rows) expect(row.split("|")[4], row).toMatch(/\p{Script=Han}/u);
    // a changed declaration no longer matches the committed Chinese table
    const changed = cmds.map((c) => (c.name === "stock" ? { ...c, role: "admin" as const } : c));
    expect(zh).not.toContain(commandTableZh(changed));
    for (const h of ["## 快速开始", "## 第一天", "## 命令行", "## 命令", "## 目录结构", "## 文档"]) {
      expect(zh.split("\n"), h).toContain(h);
    }
    expect(zh).toContain("--lang");
  });

  it("the README stays a map: at most about 250 lines, and every relative link resolves", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
    for (const file of [
      "README.md",
      "README.zh-CN.md",
      ...[
        "commands",
        "jobs",
        "channels",
        "couriers",
        "chat",
        "money",
        "operations",
        "architecture",
        "dependencies",
        "configuration",
      ].map((n) => `docs/${n}.md`),
    ]) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      const dir = join(repoRoot, file.includes("/") ? "docs" : "");
      for (const m of text.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]*))?\)/g)) {
        const target = m[1] || file.slice(file.lastIndexOf("/") + 1);
        if (/^[a-z]+:/.test(target)) continue;
        const path = join(dir, target);
        expect(existsSync(path), `${file} links ${target}, which does not exist`).toBe(true);
        if (m[2]) expect(anchorsOf(readFileSync(path, "utf8")), `${file} links ${target}#${m[2]}`).toContain(m[2]);
      }
    }
  });

  it("docs/dependencies.md says what every npm dependency is for", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as Record<
      string,
      Record<string, string>
    >;
    const doc = readFileSync(join(repoRoot, "docs/dependencies.md"), "utf8");
    const listed = new Set(
      doc
        .split("\n")
        .filter((l) => l.startsWith("| "))
        .flatMap((l) =>
          l
            .split("|")[1]!
            .split(",")
            .map((n) => n.replace("(dev)", "").trim()),
        ),
    );
    const missing = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      (n) => !listed.has(n) && !(n.startsWith("@types/") && listed.has("@types/*")),
    );
    expect(missing).toEqual([]);
  });
});
