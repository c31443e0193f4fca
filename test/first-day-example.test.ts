import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { EXAMPLE_CONFIG, renderExampleConfig } from "../scripts/gen-example-config.js";
import { ConfigSchema, parseConfig } from "../src/config.js";

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definition is untyped across schema kinds.
const defOf = (s: z.ZodType): any => (s as unknown as { _zod: { def: unknown } })._zod.def;
function unwrap(s: z.ZodType): z.ZodType {
  let c = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(c);
    if (["optional", "default", "prefault", "nullable", "catch", "readonly", "nonoptional"].includes(d.type))
      c = d.innerType;
    else if (d.type === "pipe") c = d.in;
    else return c;
  }
  return c;
}
/** Every key path the schema knows: list items by kind (`channels.<shopify>.shop`), map values as `*`. */
function schemaPaths(s: z.ZodType, p = "", out: string[] = []): string[] {
  const d = defOf(unwrap(s));
  if (d.type === "object")
    for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) {
      out.push(`${p}${k}`);
      schemaPaths(v, `${p}${k}.`, out);
    }
  else if (d.type === "array") schemaPaths(d.element, p, out);
  else if (d.type === "record") schemaPaths(d.valueType, `${p}*.`, out);
  else if (d.type === "union" && d.discriminator)
    for (const o of d.options as z.ZodType[])
      schemaPaths(o, `${p}<${defOf(defOf(unwrap(o)).shape[d.discriminator]).values[0]}>`, out);
  return out;
}
/** The same paths as they occur in a parsed YAML value. */
function valuePaths(v: unknown, p = "", out: string[] = [], isMap = false): string[] {
  if (Array.isArray(v)) for (const item of v) valuePaths(item, `${p}<${(item as { kind?: string }).kind}>`, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      const key = isMap ? "*" : k;
      if (!isMap) out.push(`${p}${key}`);
      const childIsMap =
        ["languages", "chats", "currencies", "promiseHoursByRegion", "carrierCosts"].includes(k) && !isMap;
      valuePaths(x, `${p}${key}.`, out, childIsMap);
    }
  return out;
}

describe("examples/stockradar.yaml (issue 12)", () => {
  const text = readFileSync(EXAMPLE_CONFIG, "utf8");

  it("is what the schema generates (run npx tsx scripts/gen-example-config.ts if this fails)", () => {
    expect(text).toBe(renderExampleConfig());
  });

  it("as shipped means the built-in defaults; every line is either prose (##) or a commented setting (#)", () => {
    expect(parseYaml(text) ?? {}).toEqual({});
    expect(parseConfig(parseYaml(text) ?? {}, {})).toEqual(parseConfig({}, {}));
    for (const line of text.split("\n").filter(Boolean)) expect(line).toMatch(/^#/);
  });

  it("uncommented, it is a valid config that names every key of the schema, each with a comment above it", () => {
    const lines = text.split("\n");
    const settings = lines.filter((l) => l.startsWith("# ")).map((l) => l.slice(2));
    const raw = parseYaml(settings.join("\n")) as Record<string, unknown>;
    const vars = [...settings.join("\n").matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1] ?? "");
    const env = Object.fromEntries(vars.map((v) => [v, v.endsWith("AES_KEY") ? "a".repeat(43) : `value-of-${v}`]));
    expect(() => parseConfig(raw, env, "examples/stockradar.yaml")).not.toThrow();
    const have = new Set(valuePaths(raw));
    const missing = schemaPaths(ConfigSchema).filter((p) => !have.has(p));
    expect(missing).toEqual([]);
    lines.forEach((l, i) => {
      if (l.startsWith("# ") && /^\s*(- )?[A-Za-z"][\w"-]*:/.test(l.slice(2)) && !/^\s+["\w-]+: /.test(l.slice(2)))
        expect(lines[i - 1], `line ${i + 1} (${l}) has a comment above it`).toMatch(/^##|^# .*:$/);
    });
  });
});
