/** Config keys whose values are secrets (tokens, keys, passwords, salts, sessions). */
const SECRET_KEY = /token|secret|key|password|salt|session|refresh/i;
/**
 * Shorter values are ids or flags (`appKey: "1"`), and would redact ordinary numbers; `doctor` fails a
 * credential this short instead.
 */
const MIN_SECRET_LENGTH = 4;
/** Below this length a secret is replaced only where it stands alone (not inside a longer word or number). */
const SHORT_SECRET_LENGTH = 8;
/** Config keys that pair into HTTP Basic credentials (`base64(id:secret)`), e.g. WooCommerce's and eBay's. */
const BASIC_PAIRS: readonly [string, string][] = [
  ["consumerKey", "consumerSecret"],
  ["clientId", "clientSecret"],
  ["lwaClientId", "lwaClientSecret"],
  ["appKey", "appSecret"],
];
/** Credentials in Authorization-style text, whatever secret they were built from (Basic base64(key:secret)). */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{8,}/g;
/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** Replaces configured secrets in text and in everything an adapter returns or throws. */
export interface Redactor {
  /** The text with every secret (raw, URL-encoded, form-encoded or JSON-escaped) replaced. */
  text(s: string): string;
  /** A deep copy of a plain value with every string redacted. */
  value<T>(v: T): T;
  /** The same error, its message, code, userMessage, providerCode, details, i18n, stack and cause redacted in place. */
  error<E>(err: E): E;
  /** Adds secrets learned at run time (an access token just issued). */
  add(...secrets: (string | undefined)[]): void;
}

/** Every value under a secret-looking key anywhere in a config object (channels, couriers, chat, http); also what the logger scrubs. */
export function configSecrets(config: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === "string") {
      if (SECRET_KEY.test(key) && v.length >= MIN_SECRET_LENGTH) out.push(v);
    } else if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      for (const [id, secret] of BASIC_PAIRS) {
        const a = o[id];
        const b = o[secret];
        if (typeof a === "string" && typeof b === "string" && b.length >= MIN_SECRET_LENGTH)
          out.push(Buffer.from(`${a}:${b}`).toString("base64"));
      }
      for (const [k, x] of Object.entries(o)) walk(x, k);
    }
  };
  walk(config, "");
  return out;
}

/** The forms a secret takes on the wire and in error bodies that echo a request. */
function formsOf(secret: string): string[] {
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  const url = encodeURIComponent;
  const form = (s: string) => new URLSearchParams({ s }).toString().slice(2);
  const base = [secret, url(secret), form(secret), url(url(secret)), url(form(secret))];
  const forms = new Set<string>();
  for (const b of base) for (const f of [b, json(b), json(json(b))]) forms.add(f);
  return [...forms];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A short secret's forms as one pattern that matches them only where they stand alone: after the start, a
 * non-alphanumeric character or a percent escape (`%3D` in a URL-encoded echo), and before the end or a
 * non-alphanumeric character.
 */
function standalone(forms: readonly string[]): RegExp {
  const alternatives = forms.map(escapeRegExp).join("|");
  return new RegExp(`(?<=^|[^A-Za-z0-9]|%[0-9A-Fa-f]{2})(?:${alternatives})(?![A-Za-z0-9])`, "g");
}

/**
 * Builds the redactor from configured secrets (see {@link configSecrets}).
 *
 * @example
 * const redact = createRedactor(configSecrets(config));
 * log.warn({ reason: redact.text(String(err)) }, "call failed");
 */
export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  let forms: string[] = [];
  let short: string[] = [];
  let shortPattern: RegExp | undefined;
  const add = (...list: (string | undefined)[]): void => {
    for (const s of list) {
      if (!s || s.length < MIN_SECRET_LENGTH) continue;
      (s.length < SHORT_SECRET_LENGTH ? short : forms).push(...formsOf(s));
    }
    // Longest first, so a secret that contains another is replaced whole.
    forms = [...new Set(forms)].sort((a, b) => b.length - a.length);
    short = [...new Set(short)].sort((a, b) => b.length - a.length);
    shortPattern = short.length ? standalone(short) : undefined;
  };
  add(...secrets);
  const text = (s: string): string => {
    let out = s;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    if (shortPattern && short.some((f) => out.includes(f))) out = out.replace(shortPattern, REDACTED);
    return out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  };
  const value = <T>(v: T, seen = new WeakSet<object>()): T => {
    if (typeof v === "string") return text(v) as T;
    if (!v || typeof v !== "object" || v instanceof Date || Buffer.isBuffer(v)) return v;
    if (seen.has(v)) return v;
    seen.add(v);
    if (v instanceof Error) return error(v, seen) as T;
    if (Array.isArray(v)) return v.map((x) => value(x, seen)) as T;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x, seen)])) as T;
  };
  const error = <E>(err: E, seen = new WeakSet<object>()): E => {
    if (!(err instanceof Error)) return value(err, seen);
    seen.add(err);
    const e = err as unknown as Record<string, unknown>;
    for (const k of ["message", "stack", "code", "userMessage", "providerCode"]) {
      if (typeof e[k] === "string")
        Object.defineProperty(err, k, {
          value: text(e[k] as string),
          writable: true,
          configurable: true,
          enumerable: k !== "message" && k !== "stack",
        });
    }
    for (const k of ["details", "i18n"]) {
      if (e[k] && typeof e[k] === "object")
        Object.defineProperty(err, k, {
          value: value(e[k], seen),
          writable: true,
          configurable: true,
          enumerable: true,
        });
    }
    if (err.cause !== undefined)
      Object.defineProperty(err, "cause", {
        value: value(err.cause, seen),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    return err;
  };
  return { text, value: (v) => value(v), error: (e) => error(e), add };
}

/**
 * Wraps an adapter (a channel, a courier provider) so that nothing it throws or returns carries a secret:
 * thrown errors are redacted, and so is the `error` of every per-item outcome it returns. Other results
 * pass through untouched (catalogs and orders are large and carry no credentials).
 */
export function redactAdapter<T extends object>(adapter: T, redactor: Redactor): T {
  const clean = (r: unknown): unknown => {
    if (Array.isArray(r))
      for (const o of r)
        if (o && typeof o === "object" && "error" in o) redactor.error((o as { error: unknown }).error);
    return r;
  };
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        let r: unknown;
        try {
          r = (v as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          throw redactor.error(err);
        }
        if (r instanceof Promise) {
          return r.then(clean, (err: unknown) => {
            throw redactor.error(err);
          });
        }
        return clean(r);
      };
    },
  });
}
