import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { allCommands, repoRoot } from "../scripts/gen-docs.js";

/**
 * Every reply, alert, button action and example in src/, commands/ and jobs/ that names a `/command` must
 * name a registered one (or its Telegram spelling with `_`). The scan reads every string and template
 * literal. A `/name` token counts as a command when:
 *  1. it starts the text or follows whitespace or an opening bracket / quote (so `a/b`, `${base}/poll`,
 *     `)/parcel` are not commands; the start of a template part after `${…}` counts as following it), and
 *  2. it is not followed by `/`, `.`, a letter, digit, `-` or `_` that would make it a path or file
 *     (`/api/v1/reservations`, `/webhooks/<id>`, `/getMe`), and
 *  3. a literal that is nothing but `/name` counts only as a property value or array element
 *     (`action: "/alerts"`, `examples: ["/refunds"]`); elsewhere — a route (`app.get("/healthz")`), a
 *     comparison (`pathname === "/poll"`), a call argument — it is an HTTP path.
 */
const TOKEN = /(?:^|[\s([{"'`“«（：:，])\/([a-z][a-z0-9_-]*)(?![A-Za-z0-9_/.-])/g;

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) out.push(p);
    }
  };
  for (const d of ["src", "commands", "jobs"]) walk(join(repoRoot, d));
  return out;
}

/** Every `/name` mention in the literals of one file, with its line. */
function mentionsIn(file: string, code: string): { name: string; line: number; text: string }[] {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const found: { name: string; line: number; text: string }[] = [];
  const visit = (n: ts.Node) => {
    const isPlain = ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n);
    const isPart = ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n);
    if (isPlain || isPart) {
      const text = (n as ts.LiteralLikeNode).text;
      const barePath = isPlain && /^\/[a-z][a-z0-9_-]*$/.test(text);
      const asData = ts.isPropertyAssignment(n.parent) || ts.isArrayLiteralExpression(n.parent);
      if (!barePath || asData) {
        // A template part after `${…}` does not start a text: its first `/name` continues a built path.
        const scanned = ts.isTemplateMiddle(n) || ts.isTemplateTail(n) ? `}${text}` : text;
        for (const m of scanned.matchAll(TOKEN)) {
          found.push({
            name: m[1]!,
            line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1,
            text: text.slice(0, 80),
          });
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("command names in texts", () => {
  const registered = new Set(allCommands().flatMap((c) => [c.name, c.name.replace(/-/g, "_")]));

  it("every /command named in a reply, alert, button or example is registered", () => {
    const unknown: string[] = [];
    let seen = 0;
    for (const file of sourceFiles()) {
      for (const m of mentionsIn(file, readFileSync(file, "utf8"))) {
        seen++;
        if (!registered.has(m.name))
          unknown.push(`${relative(repoRoot, file)}:${m.line}: /${m.name} in ${JSON.stringify(m.text)}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(seen).toBeGreaterThan(100);
  });

  it("the rules find commands in texts and leave paths alone", () => {
    const code = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text under test contains template literals
      "const a = `It will be retried; fix it or /unlink ${sku}.`;",
      'const b = { action: "/alerts" };',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text under test contains template literals
      'const c = [`/why ${sku}`, "see (/refunds)"];',
      'app.get("/healthz", h); if (p === "/poll") {}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text under test contains template literals
      'const u = `${base}/poll`; const v = `/products/${id}/variations`; const w = "/api/v1/reservations";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text under test contains template literals
      "const x = `${root}/bot${token}/getMe`; const y = `${cost}/parcel, more`;",
    ].join("\n");
    expect(mentionsIn("x.ts", code).map((m) => m.name)).toEqual(["unlink", "alerts", "why", "refunds"]);
  });
});
