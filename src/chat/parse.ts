import { z } from "zod";
import { argTextOf, textOf } from "../i18n/commands.js";
import type { Translator } from "../i18n/translator.js";
import { must } from "../internal-error.js";
import { isRest } from "./args.js";
import type { AnyCommand } from "./command.js";

/** A command line split into its name and argument tokens. */
export interface ParsedLine {
  /** Lower-case, `_` folded to `-`, any `@botname` suffix removed. */
  name: string;
  tokens: string[];
  /** The argument text as typed (for rest-of-line arguments). */
  rest: string;
}

/** Splits "/name@bot arg1 'two words' arg3" into name and tokens; undefined when the text is not a command. */
export function parseLine(text: string): ParsedLine | undefined {
  const trimmed = text.trim();
  const m = /^\/([A-Za-z][A-Za-z0-9_-]{0,31})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (!m) return undefined;
  const rest = (m[2] ?? "").trim();
  return { name: must(m[1], "command name group").toLowerCase().replace(/_/g, "-"), tokens: tokenize(rest), rest };
}

/** Whitespace tokenizer that keeps "double" or 'single' quoted text together (quotes removed). */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

const fields = (cmd: AnyCommand): [string, z.ZodType][] => Object.entries(cmd.args.shape as Record<string, z.ZodType>);
const isOptional = (s: z.ZodType): boolean => s.safeParse(undefined).success;
const argName = (key: string, s: z.ZodType): string => s.description ?? key.toUpperCase();

/** The generated usage line, e.g. "/set SKU QTY [REASON]". */
export function usageOf(cmd: AnyCommand): string {
  const parts = fields(cmd).map(([k, s]) => {
    const n = argName(k, s) + (isRest(s) ? "…" : "");
    return isOptional(s) ? `[${n}]` : n;
  });
  return [`/${cmd.name}`, ...parts].join(" ");
}

/** Maps tokens onto the command's argument keys in declaration order (a rest argument takes what is left). */
export function bindTokens(cmd: AnyCommand, tokens: string[]): { input: Record<string, unknown>; extra: string[] } {
  const input: Record<string, unknown> = {};
  const fs = fields(cmd);
  let i = 0;
  for (const [key, schema] of fs) {
    if (i >= tokens.length) break;
    if (isRest(schema)) {
      input[key] = tokens.slice(i).join(" ");
      i = tokens.length;
    } else {
      input[key] = tokens[i++];
    }
  }
  return { input, extra: tokens.slice(i) };
}

/**
 * Turns zod issues into short lines naming the argument in the reader's language, e.g.
 * "QTY must be a whole number ≥ 0" / "数量必须是不小于 0 的整数". Without a translator: English.
 */
export function describeIssues(cmd: AnyCommand, error: z.ZodError, tr?: Translator): string[] {
  const shape = cmd.args.shape as Record<string, z.ZodType>;
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "");
    const schema = shape[key];
    const ref = argTextOf(cmd, key)?.name;
    const label = tr && ref ? textOf(tr, ref) : schema ? argName(key, schema) : key.toUpperCase();
    if (!tr)
      return `${label} ${issue.code === "invalid_type" && issue.input === undefined ? "is missing" : issue.message}`;
    if (issue.code === "invalid_type" && issue.input === undefined) return tr.t("arg-issue-missing", { arg: label });
    return tr.t("arg-issue", { arg: label, problem: localizeIssue(issue, tr) });
  });
}

/** Our shared schemas' English messages (src/chat/args.ts) in the reader's language; zod's own through its locales. */
function localizeIssue(issue: z.core.$ZodIssue, tr: Translator): string {
  if (tr.locale === "en") return issue.message;
  const m = issue.message;
  const table: [RegExp, (x: RegExpExecArray) => string][] = [
    [/^must be a whole number ≥ 0/, () => tr.t("arg-issue-whole-number")],
    [/^must be a signed whole number/, () => tr.t("arg-issue-signed-number")],
    [/^must not be 0$/, () => tr.t("arg-issue-not-zero")],
    [/^must be between (-\S+) and (\+\S+)$/, (x) => tr.t("arg-issue-between", { min: x[1] ?? "", max: x[2] ?? "" })],
    [/^must be at most ([\d,]+) characters$/, (x) => tr.t("arg-issue-max-chars", { max: x[1] ?? "" })],
    [/^must be at most (\S+)$/, (x) => tr.t("arg-issue-at-most", { max: x[1] ?? "" })],
    [/^must be at least (\S+)$/, (x) => tr.t("arg-issue-at-least", { min: x[1] ?? "" })],
    [/^must be a number such as/, () => tr.t("arg-issue-number")],
    [/^must be a duration/, () => tr.t("arg-issue-duration")],
    [/^must be a command name/, () => tr.t("arg-issue-command-name")],
    [/^must be the 6-character token/, () => tr.t("arg-issue-token")],
    [/SKU|letters, digits/i, () => tr.t("arg-sku-help")],
  ];
  for (const [re, f] of table) {
    const x = re.exec(m);
    if (x) return f(x);
  }
  const zh = z.locales.zhCN().localeError as (i: unknown) => string | { message: string } | undefined;
  const out = zh(issue);
  return (typeof out === "string" ? out : out?.message) ?? tr.t("arg-issue-invalid");
}

/** Edit distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] ?? 0;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] ?? 0;
      dp[j] = Math.min(tmp + 1, (dp[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] ?? 0;
}

/** Up to three names close to `name` (prefix match or edit distance ≤ 2). */
export function suggest(name: string, names: string[]): string[] {
  return names
    .map((n) => ({ n, d: n.startsWith(name) || name.startsWith(n) ? 0.5 : editDistance(name, n) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
}
