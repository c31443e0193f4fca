/**
 * Generates examples/stockradar.yaml from the zod ConfigSchema: every key, each with a comment (its JSDoc where the
 * schema has one, its type and default), every line commented out so the file as shipped means the built-in
 * defaults. Lines starting "## " are prose; lines starting "# " are YAML once the "# " is removed (test/first-day-example.test.ts
 * uncomments them and validates the result against the schema). `npx tsx scripts/gen-example-config.ts` rewrites it.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { ConfigSchema } from "../src/config.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the generated file lives. */
export const EXAMPLE_CONFIG = join(ROOT, "examples", "stockradar.yaml");

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definition is untyped across schema kinds.
type Def = any;
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under its wrappers, and the default the wrappers carry (if any). */
function peel(s: z.ZodType): { inner: z.ZodType; dflt?: unknown; isOptional: boolean } {
  let cur = s;
  let dflt: unknown;
  let isOptional = false;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    if (d.type === "default" || d.type === "prefault") {
      if (dflt === undefined) dflt = typeof d.defaultValue === "function" ? d.defaultValue() : d.defaultValue;
      cur = d.innerType;
    } else if (["optional", "nullable", "catch", "readonly", "nonoptional"].includes(d.type)) {
      if (d.type === "optional") isOptional = true;
      cur = d.innerType;
    } else if (d.type === "pipe") cur = d.in;
    else break;
  }
  return { inner: cur, dflt, isOptional };
}

/** JSDoc one-liners by file, then key name (the first declaration in a file wins). */
function jsdocByFile(): Map<string, Map<string, string>> {
  const files = [
    "config.ts",
    "config-fields.ts",
    "i18n/resolve.ts",
    ...readdirSync(join(ROOT, "src/channels")).map((f) => `channels/${f}`),
    ...readdirSync(join(ROOT, "src/couriers")).map((f) => `couriers/${f}`),
  ].filter((f) => f.endsWith(".ts"));
  const out = new Map<string, Map<string, string>>();
  for (const f of files) {
    const text = readFileSync(join(ROOT, "src", f), "utf8");
    const byKey = new Map<string, string>();
    for (const m of text.matchAll(/\/\*\*\s*((?:(?!\*\/)[\s\S])*?)\s*\*\/\s*\n\s*([A-Za-z]\w*)\??\s*:/g)) {
      const key = m[2] ?? "";
      const doc = (m[1] ?? "")
        .replace(/\n\s*\*\s?/g, " ")
        .replace(/\s+/g, " ")
        .trim();
      if (key && doc && !byKey.has(key)) byKey.set(key, doc);
    }
    out.set(f, byKey);
  }
  return out;
}

/** The files whose JSDoc describes a channel or courier kind's keys: its own adapter file, then the shared fields. */
const KIND_FILES: Record<string, string> = {
  shopify: "channels/shopify.ts",
  woocommerce: "channels/woocommerce.ts",
  amazon: "channels/amazon.ts",
  ebay: "channels/ebay.ts",
  taobao: "channels/taobao.ts",
  pinduoduo: "channels/pinduoduo.ts",
  xianyu: "channels/xianyu.ts",
  webhook: "channels/webhook.ts",
  kuaidi100: "couriers/kuaidi100.ts",
  "17track": "couriers/seventeentrack.ts",
  kdniao: "couriers/kdniao.ts",
};

/** Looks a key's doc up in `files`, in order. */
type Docs = (key: string) => string | undefined;
const docsFrom =
  (all: Map<string, Map<string, string>>, files: string[]): Docs =>
  (key) => {
    for (const f of files) {
      const d = all.get(f)?.get(key);
      if (d) return d;
    }
    return undefined;
  };

const ALL_DOCS = jsdocByFile();
/** A `${NAME}` reference, as the config writes environment variables. */
const envRef = (name: string): string => `$\{${name}}`;
const SECRETISH = /token|secret|key$|^key|session|salt|password|apiKey/i;
/** Values for required keys that have no default, chosen to pass validation. */
const EXAMPLES: Record<string, unknown> = {
  shop: "your-shop",
  locationId: "gid://shopify/Location/1",
  marketplaceIds: ["A1PA6795UKMFR9"],
  sellerId: "YOUR_SELLER_ID",
  chatId: -1001234567890,
  agentId: 1000002,
  corpId: { env: "WECOM_CORP_ID" },
  customer: { env: "KUAIDI100_CUSTOMER" },
  businessId: { env: "KDNIAO_BUSINESS_ID" },
  lwaClientId: { env: "LWA_CLIENT_ID" },
  clientId: { env: "CLIENT_ID" },
  itemUrl: "https://www.goofish.com/item?id=1",
  publicUrl: "https://stock.example.com",
  primaryLocation: "main",
  locations: ["main", "3pl"],
  currency: "CNY",
  language: "zh-CN",
};

function typeText(s: z.ZodType): string {
  const d = defOf(s);
  switch (d.type) {
    case "enum":
      return `one of ${Object.values(d.entries).join(", ")}`;
    case "literal":
      return `${(d.values as unknown[]).join(", ")}`;
    case "array":
      return `list of ${typeText(peel(d.element).inner)}`;
    case "union":
      return (d.options as z.ZodType[]).map((o) => typeText(peel(o).inner)).join(" or ");
    case "record":
      return "map";
    case "object":
      return "section";
    case "string":
      return d.format === "url" ? "URL" : "text";
    default:
      return String(d.type);
  }
}

function placeholder(key: string, s: z.ZodType, envPrefix: string): unknown {
  if (key in EXAMPLES) {
    const v = EXAMPLES[key];
    return v && typeof v === "object" && "env" in v ? envRef(`${envPrefix}${String(v.env)}`) : v;
  }
  const d = defOf(s);
  if (d.type === "string" && d.format !== "url" && SECRETISH.test(key))
    return envRef(`${envPrefix}${key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`);
  if (key === "encodingAesKey") return envRef("WECOM_AES_KEY");
  switch (d.type) {
    case "enum":
      return Object.values(d.entries)[0];
    case "number":
      return Math.max(1, Number(d.minimum ?? 1));
    case "boolean":
      return false;
    case "array":
      return [];
    case "string":
      return d.format === "url" ? "https://api.example.com" : "example";
    default:
      return "example";
  }
}

const yamlScalar = (v: unknown): string =>
  typeof v === "string"
    ? /^[A-Za-z0-9_./:@-]+$/.test(v) && !/^(true|false|null|yes|no|~|\d.*)$/i.test(v)
      ? v
      : JSON.stringify(v)
    : JSON.stringify(v);

/** Renders one object schema's keys at `indent`; `first` prefixes the first key (a list item's "- "). */
function renderObject(
  s: z.ZodType,
  indent: string,
  docs: Docs,
  envPrefix: string,
  lines: string[],
  opts: { listItem?: boolean; fixed?: Record<string, unknown> } = {},
): void {
  const shape = defOf(s).shape as Record<string, z.ZodType>;
  let isFirst = true;
  const keys = Object.keys(shape).sort((a, b) =>
    a === "id" ? -1 : b === "id" ? 1 : a === "kind" ? -1 : b === "kind" ? 1 : 0,
  );
  for (const key of keys) {
    const { inner, dflt, isOptional } = peel(shape[key] as z.ZodType);
    const d = defOf(inner);
    const lead = opts.listItem ? (isFirst ? `${indent}- ` : `${indent}  `) : indent;
    const inner2 = opts.listItem ? `${indent}    ` : `${indent}  `;
    isFirst = false;
    const doc = docs(key);
    const facts =
      d.type === "object"
        ? "section"
        : `${typeText(inner)}; ${dflt !== undefined ? `default ${JSON.stringify(dflt)}` : isOptional ? "optional" : "required"}`;
    const comment = doc ? `${doc} (${facts})` : facts;
    lines.push(`##${" ".repeat(Math.max(1, lead.length - 1))}${comment}`);
    if (opts.fixed && key in opts.fixed) {
      lines.push(`# ${lead}${key}: ${yamlScalar(opts.fixed[key])}`);
      continue;
    }
    if (d.type === "object") {
      const catchall = d.catchall && defOf(d.catchall).type !== "never";
      if (catchall && Object.keys(d.shape).length === 0) {
        lines.push(`# ${lead}${key}:`, `# ${inner2}stockSync: "*/5 * * * *"`);
        continue;
      }
      lines.push(`# ${lead}${key}:`);
      renderObject(inner, inner2, docs, envPrefix, lines);
      continue;
    }
    if (d.type === "record") {
      const value = peel(d.valueType).inner;
      const sampleKey =
        key === "languages"
          ? "telegram"
          : key === "currencies"
            ? "USD"
            : key === "chats"
              ? '"-1001234567890"'
              : "example";
      if (defOf(value).type === "object") {
        lines.push(`# ${lead}${key}:`, `# ${inner2}${sampleKey}:`);
        renderObject(value, `${inner2}  `, docs, envPrefix, lines);
      } else {
        const v = key === "chats" ? "zh-CN" : placeholder(key, value, envPrefix);
        lines.push(`# ${lead}${key}:`, `# ${inner2}${sampleKey}: ${yamlScalar(v)}`);
      }
      continue;
    }
    if (d.type === "array" && (key === "channels" || key === "couriers")) {
      lines.push(`# ${lead}${key}:`);
      const union = defOf(peel(d.element).inner);
      for (const option of union.options as z.ZodType[]) {
        const o = peel(option).inner;
        const kind = String((defOf(defOf(o).shape.kind).values as unknown[])[0]);
        lines.push(`##${" ".repeat(inner2.length - 1)}— ${kind} —`);
        const prefix = `${kind.replace(/\d/g, "").toUpperCase()}_`;
        const kindDocs = docsFrom(ALL_DOCS, [KIND_FILES[kind] ?? "", "config-fields.ts"]);
        renderObject(o, inner2, kindDocs, prefix, lines, {
          listItem: true,
          fixed: { kind, ...(defOf(o).shape.id ? { id: kind } : {}) },
        });
      }
      continue;
    }
    const value = dflt !== undefined ? dflt : placeholder(key, inner, envPrefix);
    lines.push(`# ${lead}${key}: ${Array.isArray(value) ? JSON.stringify(value) : yamlScalar(value)}`);
  }
}

/** The whole example file. */
export function renderExampleConfig(): string {
  const lines = [
    "## examples/stockradar.yaml — every configuration key with its default, generated from the schema",
    "## (scripts/gen-example-config.ts; test/first-day-example.test.ts fails when it drifts).",
    "## Lines starting with '## ' explain; lines starting with '# ' are the setting: remove the '# ' to use it.",
    "## As shipped everything is commented out, which means the built-in defaults. `stockradar init` writes a",
    "## shorter starting point for the channels and chat you name. Secrets are $VAR references in braces, read from the environment or .env.",
    "",
  ];
  const docs = docsFrom(ALL_DOCS, ["config.ts", "config-fields.ts", "i18n/resolve.ts"]);
  const shape = defOf(ConfigSchema).shape as Record<string, z.ZodType>;
  for (const key of Object.keys(shape)) {
    const part: string[] = [];
    renderObject(
      { _zod: { def: { type: "object", shape: { [key]: shape[key] } } } } as unknown as z.ZodType,
      "",
      docs,
      "",
      part,
    );
    lines.push(...part, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(EXAMPLE_CONFIG, renderExampleConfig());
  process.stdout.write(`wrote ${EXAMPLE_CONFIG}\n`);
}
