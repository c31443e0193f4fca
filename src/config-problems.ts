import type { z } from "zod";
import type { UnknownKey } from "./config-strict.js";
import type { MessageId } from "./i18n/catalog.js";
import { english } from "./i18n/errors.js";
import { renderRef, type TextRef, textRef } from "./i18n/ref.js";
import { sharedI18n, type Translator } from "./i18n/translator.js";

const zh = () => sharedI18n("UTC").translator("zh-CN");

/** The config's own refinement texts (English, as zod reports them) and their catalog message. */
const CUSTOM: Record<string, MessageId> = {
  "expected a cron expression such as */10 * * * *": "cfg-cron",
  "expected an ISO 4217 currency code such as USD or CNY": "cfg-currency",
  'expected a user key such as "tg:111" or "wecom:zhangsan"': "cfg-user-key",
  "expected an IANA time zone such as Asia/Shanghai": "cfg-time-zone",
  "headersTimeoutMs must not exceed requestTimeoutMs": "cfg-headers-timeout",
  "webhook mode needs webhookSecret (1–256 of A-Z a-z 0-9 _ -), the same secret_token you give setWebhook":
    "cfg-webhook-secret",
  "expected the 43-character EncodingAESKey": "cfg-aes-key",
  "channel ids must be unique": "cfg-unique-ids",
  "expected an absolute URL such as https://example.com": "cfg-url",
  "expected a non-empty secret (use ${VAR} to read it from the environment)": "cfg-secret",
  "expected 1–32 lowercase letters, digits, _ or - (a location)": "cfg-location",
  "expected 1–32 lowercase letters, digits, _ or -": "cfg-id",
  "expected one of en, zh-CN": "cfg-locale",
  "expected a Shopify location id such as gid://shopify/Location/1": "cfg-shopify-location",
  'expected locationId, or a locations mapping such as { home: "gid://shopify/Location/1" }':
    "cfg-shopify-location-needed",
  "must be 1–64 letters, digits or . _ - / # (no spaces or quotes), e.g. A-12": "cfg-sku",
  "channel id must be 1–32 lowercase letters, digits, _ or -, e.g. shop1": "cfg-channel-id",
};

/** The Chinese text of one zod issue: the config's own texts from the catalog, zod's built-in kinds by code. */
function chineseDetail(issue: z.core.$ZodIssue): string {
  const tr = zh();
  const custom = CUSTOM[issue.message];
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${VAR} config syntax
  if (custom === "cfg-secret") return tr.t("cfg-secret", { syntax: "${VAR}" });
  if (custom) return tr.t(custom as "cfg-cron");
  switch (issue.code) {
    case "invalid_type":
      return / received undefined$/.test(issue.message)
        ? tr.t("cfg-required")
        : tr.t("cfg-expected-type", { expected: String(issue.expected) });
    case "too_small":
      return tr.t("cfg-too-small", {
        bound: String(issue.minimum),
        inclusive: issue.inclusive === false ? "no" : "yes",
      });
    case "too_big":
      return tr.t("cfg-too-big", { bound: String(issue.maximum), inclusive: issue.inclusive === false ? "no" : "yes" });
    case "invalid_value":
      return tr.t("cfg-one-of", { values: issue.values.map((v) => String(v)).join(", ") });
    case "invalid_format":
      return tr.t("cfg-bad-format", { format: String(issue.format) });
    case "invalid_union":
      return tr.t("cfg-no-variant");
    default:
      return tr.t("cfg-invalid", { detail: issue.message });
  }
}

/** One zod issue in `tr`'s language: zod's own English, or the Chinese {@link chineseDetail} (CSV rows, config). */
export function issueText(tr: Translator, issue: z.core.$ZodIssue): string {
  return tr.locale === "zh-CN" ? chineseDetail(issue) : issue.message;
}

/** One zod issue as a config problem line: `path: what is wrong`, zod's English beside our Chinese. */
export function issueProblem(path: string, issue: z.core.$ZodIssue): TextRef {
  return textRef("cfg-problem", { path, detail: { byLocale: { en: issue.message, "zh-CN": chineseDetail(issue) } } });
}

/** An unknown key as a config problem line, with its "did you mean". */
export function unknownKeyProblem(u: UnknownKey): TextRef {
  return u.near
    ? textRef("cfg-unknown-key-near", { path: u.path, near: u.near })
    : textRef("cfg-unknown-key", { path: u.path, known: u.known.join(", ") });
}

/** An unset `${VAR}` as a config problem line (from {@link interpolate}'s "path: environment variable X is not set"). */
export function missingEnvProblem(line: string): TextRef {
  const m = /^(.*): environment variable (\S+) is not set$/.exec(line);
  return m ? textRef("cfg-env-unset", { path: m[1] ?? "", name: m[2] ?? "" }) : textRef("cfg-raw", { line });
}

/** The `config_invalid` text: a heading and one line per problem, in both languages. */
export function invalidConfigRef(source: string, problems: readonly TextRef[]): TextRef {
  const lines = (render: (r: TextRef) => string) => problems.map((p) => `  - ${render(p)}`).join("\n");
  return textRef("cfg-invalid-heading", {
    source,
    problems: { byLocale: { en: lines(english), "zh-CN": lines((r) => renderRef(zh(), r)) } },
  });
}
