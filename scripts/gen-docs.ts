/**
 * Generates the command and job tables in the docs from their declarations (commands/index.ts, jobs/index.ts,
 * plus the dispatcher's built-in /help and /confirm). Each table sits between marker comments:
 *   <!-- generated:NAME -->  …  <!-- /generated:NAME -->
 * `npm run docs` rewrites them; `npm run docs -- --check` (and test/docs.test.ts) fails when they are stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commands } from "../commands/index.js";
import { jobs } from "../jobs/index.js";
import type { AnyCommand } from "../src/chat/command.js";
import { createDispatcher } from "../src/chat/dispatch.js";
import { usageOf } from "../src/chat/parse.js";
import type { Deps } from "../src/deps.js";
import { localizedUsage, textOf } from "../src/i18n/commands.js";
import { createI18n } from "../src/i18n/translator.js";
import type { JobSpec } from "../src/scheduler.js";

const ROLE_ORDER = ["viewer", "operator", "approver", "admin"];
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Every command the dispatcher serves, built-ins first, then by role (weakest first) and name. */
export function allCommands(): AnyCommand[] {
  // Building a dispatcher only indexes the declarations; deps are used when a command runs, never here.
  const d = createDispatcher({ commands, deps: {} as Deps });
  const builtin = new Set(["help", "confirm"]);
  const rank = (c: AnyCommand) => (builtin.has(c.name) ? -1 : ROLE_ORDER.indexOf(c.role));
  return d.commands().sort((a, b) => rank(a) - rank(b) || (builtin.has(a.name) ? 0 : a.name.localeCompare(b.name)));
}

/** The markdown table of chat commands: usage, minimum role, summary. */
export function commandTable(cmds: readonly AnyCommand[]): string {
  const rows = cmds.map((c) => {
    const what =
      textOf(createI18n({ timeZone: "UTC" }).translator("en"), c.summary) +
      (c.confirm ? " (previews, then `/confirm`)" : "");
    const alias = c.name.includes("-") ? ` (Telegram: \`/${c.name.replace(/-/g, "_")}\`)` : "";
    return `| \`${cell(usageOf(c))}\`${alias} | ${c.role} | ${cell(what)} |`;
  });
  return ["| command | role | what it does |", "| --- | --- | --- |", ...rows].join("\n");
}

/** The Chinese command table for README.zh-CN.md: usage in Chinese, Chinese names, role and summary, from the same declarations. */
export function commandTableZh(cmds: readonly AnyCommand[]): string {
  const tr = createI18n({ timeZone: "Asia/Shanghai" }).translator("zh-CN");
  const rows = cmds.map((c) => {
    const names = (c.aliases?.["zh-CN"] ?? []).map((a) => `\`${a}\``).join("、") || "—";
    const what = textOf(tr, c.summary) + (c.confirm ? "（先预览，再用 `/confirm` 确认）" : "");
    return `| \`${cell(localizedUsage(c, tr))}\` | ${names} | ${tr.t(`role-${c.role}`)} | ${cell(what)} |`;
  });
  return ["| 命令 | 中文名 | 最低权限 | 说明 |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** The short list for the README: command names per role. */
export function commandList(cmds: readonly AnyCommand[]): string {
  return ROLE_ORDER.filter((r) => cmds.some((c) => c.role === r))
    .map(
      (r) =>
        `- **${r}**: ${cmds
          .filter((c) => c.role === r)
          .map((c) => `\`/${c.name}\``)
          .join(", ")}`,
    )
    .join("\n");
}

/** The markdown table of jobs: name, config key, default schedule, summary. */
export function jobTable(js: readonly JobSpec[]): string {
  const rows = [...js]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((j) => `| \`${j.name}\` | \`schedule.${j.scheduleKey ?? j.name}\` | \`${j.schedule}\` | ${cell(j.summary)} |`);
  return ["| job | override key | default schedule | what it does |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; throws if the markers are missing. */
export function fillMarkers(text: string, name: string, content: string): string {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a < 0 || b < a) throw new Error(`markers ${open} … ${close} not found`);
  return `${text.slice(0, a + open.length)}\n${content}\n${text.slice(b)}`;
}

/** The repository root (this file lives in scripts/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every generated file: path (relative to the root) → its current text and the text it should have. */
export function generate(root = repoRoot): { path: string; current: string; expected: string }[] {
  const cmds = allCommands();
  const blocks: Record<string, Record<string, string>> = {
    "docs/commands.md": { commands: commandTable(cmds) },
    "docs/jobs.md": { jobs: jobTable(jobs) },
    "README.md": { "command-list": commandList(cmds) },
    "README.zh-CN.md": { "commands-zh": commandTableZh(cmds) },
  };
  return Object.entries(blocks).map(([path, parts]) => {
    const current = readFileSync(join(root, path), "utf8");
    const expected = Object.entries(parts).reduce((t, [name, content]) => fillMarkers(t, name, content), current);
    return { path, current, expected };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes("--check");
  const stale = generate().filter((f) => f.current !== f.expected);
  if (check) {
    for (const f of stale) console.error(`${f.path} is out of date: run npm run docs`);
    process.exitCode = stale.length ? 1 : 0;
  } else {
    for (const f of stale) writeFileSync(join(repoRoot, f.path), f.expected);
    console.log(stale.length ? `updated ${stale.map((f) => f.path).join(", ")}` : "docs are up to date");
  }
}
