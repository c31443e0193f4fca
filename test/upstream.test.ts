import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GrammyError, HttpError } from "grammy";
import ky from "ky";
import { afterEach, describe, expect, it } from "vitest";
import { buildChannels } from "../src/channels/registry.js";
import type { PushOutcome, SalesChannel } from "../src/channels/types.js";
import { createWecomApi } from "../src/chat/wecom/api-client.js";
import { InvalidInputError } from "../src/errors.js";
import { asChannelId } from "../src/ids.js";
import { createLogger, silentLogger as makeSilentLogger } from "../src/log.js";
import { createDrainer } from "../src/sync/drainer.js";
import { kindOfStatus, shouldRetry, UPSTREAM_KINDS, UpstreamError, type UpstreamKind } from "../src/upstream/errors.js";
import { configSecrets, createRedactor } from "../src/upstream/redact.js";
import { MAX_RETRY_AFTER_SECONDS, parseRetryAfter } from "../src/upstream/retry-after.js";
import { telegramError } from "../src/upstream/telegram.js";

const silentLogger = makeSilentLogger();

import { manualClock } from "../src/clock.js";
import { seed, testLedger } from "./support/ledger.js";

/** A fake provider that answers every request with an error body echoing the whole request (headers, URL, body). */
async function startEchoServer(answer: (echo: string, req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () =>
      answer(
        JSON.stringify({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }),
        req,
        res,
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Every string anywhere in an error: own fields, details, cause, stack. */
function stringsOf(v: unknown, seen = new Set<unknown>()): string[] {
  if (typeof v === "string") return [v];
  if (typeof v === "number") return [String(v)];
  if (!v || typeof v !== "object" || seen.has(v)) return [];
  seen.add(v);
  const keys = new Set([...Object.keys(v), ...(v instanceof Error ? ["message", "stack", "cause"] : [])]);
  return [...keys].flatMap((k) => stringsOf((v as Record<string, unknown>)[k], seen));
}

/** A secret in each form it takes on the wire. */
const formsOf = (s: string) => [
  s,
  encodeURIComponent(s),
  new URLSearchParams({ s }).toString().slice(2),
  JSON.stringify(s).slice(1, -1),
];

function expectNoSecret(err: unknown, secrets: string[]): void {
  const text = stringsOf(err).join("\n");
  for (const s of secrets) for (const f of formsOf(s)) expect(text, `leaks ${f}`).not.toContain(f);
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

describe("the upstream retry rule", () => {
  const err = (kind: UpstreamKind) => new UpstreamError({ provider: "Test", kind, message: "x" });

  it("derives retryability from the kind alone", () => {
    expect(Object.fromEntries(UPSTREAM_KINDS.map((k) => [k, err(k).retryable]))).toEqual({
      rejected: false,
      auth: false,
      throttled: true,
      timeout: true,
      network: true,
      malformed: true,
    });
  });

  it("retries a non-idempotent call only when throttled, and never retries our own errors", () => {
    expect(UPSTREAM_KINDS.filter((k) => shouldRetry(err(k), false))).toEqual(["throttled"]);
    expect(UPSTREAM_KINDS.filter((k) => shouldRetry(err(k), true))).toEqual([
      "throttled",
      "timeout",
      "network",
      "malformed",
    ]);
    expect(shouldRetry(new TypeError("x is undefined"), true)).toBe(false);
    expect(shouldRetry(new InvalidInputError("bad", "bad"), true)).toBe(false);
  });

  it("maps HTTP statuses to kinds and gives each kind one code", () => {
    expect([400, 401, 403, 404, 408, 429, 500, 503, 504].map(kindOfStatus)).toEqual([
      "rejected",
      "auth",
      "auth",
      "rejected",
      "timeout",
      "throttled",
      "network",
      "network",
      "timeout",
    ]);
    expect(UPSTREAM_KINDS.map((k) => err(k).code)).toEqual([
      "upstream_rejected",
      "upstream_auth",
      "upstream_throttled",
      "upstream_timeout",
      "upstream_unreachable",
      "upstream_malformed",
    ]);
  });
});

describe("Telegram errors", () => {
  it("maps GrammyError and HttpError to the one upstream error", () => {
    const limited = telegramError(
      new GrammyError(
        "x",
        { ok: false, error_code: 429, description: "Too Many Requests: retry after 5", parameters: { retry_after: 5 } },
        "sendMessage",
        {},
      ),
    );
    expect(limited).toMatchObject({
      provider: "telegram",
      kind: "throttled",
      retryable: true,
      retryAfterSeconds: 5,
      providerCode: "429",
      code: "upstream_throttled",
    });
    const blocked = telegramError(
      new GrammyError(
        "x",
        { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
        "sendMessage",
        {},
      ),
    );
    expect(blocked).toMatchObject({ kind: "rejected", retryable: false });
    const badToken = telegramError(
      new GrammyError("x", { ok: false, error_code: 401, description: "Unauthorized" }, "getMe", {}),
    );
    expect(badToken).toMatchObject({ kind: "auth" });
    expect(telegramError(new HttpError("Network request failed", new Error("ECONNRESET")))).toMatchObject({
      kind: "network",
      retryable: true,
    });
    const bug = new TypeError("x is undefined");
    expect(telegramError(bug)).toBe(bug);
  });
});

describe("the Retry-After parser", () => {
  const now = new Date("2026-12-01T10:00:00Z");

  it("reads delay-seconds and HTTP dates, bounded to [0, max]", () => {
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter(2.5, now)).toBe(2.5);
    expect(parseRetryAfter("Tue, 01 Dec 2026 10:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Tue, 01 Dec 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("99999999", now)).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(parseRetryAfter("-5", now)).toBe(0);
    expect(parseRetryAfter("30", now, 10)).toBe(10);
  });

  it("answers undefined for absent or unreadable values", () => {
    expect([undefined, null, "", "  ", "soon", "1e999x"].map((v) => parseRetryAfter(v, now))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("secret redaction", () => {
  it("collects every secret-looking config value, skipping short ids", () => {
    expect(
      configSecrets([
        { id: "w", kind: "woocommerce", consumerKey: "ck_123456", consumerSecret: "cs_abcdef", apiBase: "http://x" },
        { appKey: "1" },
      ]),
    ).toEqual([Buffer.from("ck_123456:cs_abcdef").toString("base64"), "ck_123456", "cs_abcdef"]);
    const r = createRedactor(["1", "s3cr/t+v=1&x"]);
    expect(r.text(`a=1&k=${encodeURIComponent("s3cr/t+v=1&x")}&j=${JSON.stringify({ s: "s3cr/t+v=1&x" })}`)).toBe(
      'a=1&k=[redacted]&j={"s":"[redacted]"}',
    );
  });

  it("redacts a short secret (4–7 characters) where it stands alone, in every form, but not inside other words", () => {
    const r = createRedactor(["q7#Z!", "Ab12"]);
    const echo = "GET /x?consumer_secret=q7%23Z%21&key=Ab12 Ab123 xAb12";
    expect(r.text(echo)).toBe("GET /x?consumer_secret=[redacted]&key=[redacted] Ab123 xAb12");
    expect(r.text(encodeURIComponent(echo))).not.toMatch(/q7|Ab12%/);
    expect(r.text(JSON.stringify({ s: "q7#Z!" }))).toBe('{"s":"[redacted]"}');
    expect(r.text("HTTP 401 after 3 tries")).toBe("HTTP 401 after 3 tries");
  });

  it("keeps WooCommerce keys out of every field of an error whose body echoes the request", async () => {
    const consumerKey = "ck_live_7f3a9b2c/4d+e=";
    const consumerSecret = 'cs_live_"quoted"&amp;8e1d';
    const fake = await startEchoServer((echo, req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      // The provider quotes our query string as its error code and the whole request in its message.
      res.end(JSON.stringify({ code: `bad_key:${req.url}`, message: echo, data: { status: 401, echo } }));
    });
    closers.push(fake.close);
    for (const queryStringAuth of [true, false]) {
      const config = {
        id: "woo",
        kind: "woocommerce" as const,
        apiBase: fake.url,
        consumerKey,
        consumerSecret,
        queryStringAuth,
        batchSize: 100,
        requestsPerSecond: 1000,
        timeoutMs: 2000,
        bufferUnits: 0,
        failureAlertAfter: 5,
        unhealthyAfterMinutes: 15,
      };
      const { channels } = buildChannels([config], {
        makeHttp: (o) => ky.create(o),
        log: silentLogger,
        clock: manualClock("2026-12-01T10:00:00Z"),
      });
      const woo = channels.get(asChannelId("woo"))!;
      const err = await woo.fetchOrders(null, new AbortController().signal).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err).toMatchObject({ kind: "auth", retryable: false });
      expect(stringsOf(err).join("\n")).toContain("[redacted]");
      expectNoSecret(err, [consumerKey, consumerSecret]);
      // Header auth sends base64(key:secret): no configured string, so the Authorization scheme itself is redacted.
      expect(stringsOf(err).join("\n")).not.toContain(
        Buffer.from(`${consumerKey}:${consumerSecret}`).toString("base64"),
      );
      const [outcome] = await woo.pushStock([{ sku: seed(testLedger(), "A-1", 1), ref: "11", quantity: 1 }], {
        idempotencyKey: "k",
        signal: new AbortController().signal,
      });
      expect(outcome?.ok).toBe(false);
      expectNoSecret(outcome, [consumerKey, consumerSecret]);
    }
  });

  it("keeps the WeCom secret and robot key out of errors whose errmsg echoes the URL", async () => {
    const secret = "wecom-secret-Zx9/8+7==";
    const robotKey = "robot-key-0b1c2d3e";
    const fake = await startEchoServer((echo, _req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ errcode: 40001, errmsg: `invalid credential, hint: ${echo}` }));
    });
    closers.push(fake.close);
    const api = createWecomApi({
      http: ky.create({ retry: 0 }),
      apiBase: fake.url,
      corpId: "ww123",
      secret,
      agentId: 1,
      clock: manualClock("2026-12-01T10:00:00Z"),
      log: silentLogger,
    });
    const tokenErr = await api.accessToken().catch((e: unknown) => e);
    expect(tokenErr).toMatchObject({ provider: "wecom", kind: "auth", providerCode: "40001" });
    expectNoSecret(tokenErr, [secret]);
    const robotErr = await api
      .robotSend(robotKey, { msgtype: "text", text: { content: "hi" } })
      .catch((e: unknown) => e);
    expect(robotErr).toBeInstanceOf(UpstreamError);
    expectNoSecret(robotErr, [robotKey]);
  });
});

describe("our own bugs in a channel adapter", () => {
  /** A real adapter whose push has a bug: it reads a property of undefined. */
  function buggyChannel(): SalesChannel & { pushes: number } {
    const state = { pushes: 0 };
    return {
      id: asChannelId("shop1"),
      kind: "test",
      maxBatch: 10,
      get pushes() {
        return state.pushes;
      },
      listCatalog: async () => [],
      fetchStock: async () => [],
      async pushStock(items): Promise<PushOutcome[]> {
        state.pushes += 1;
        const byRef = new Map<string, { quantity: number }>();
        return items.map((i) => ({ sku: i.sku, ok: true, quantity: byRef.get(i.ref)!.quantity }));
      },
      setListed: async () => undefined,
      fetchOrders: async () => ({ orders: [], nextCursor: "", hasMore: false }),
    };
  }

  it("logs a TypeError with its stack, raises one internal_error alert with a ref, and leaves the channel's health alone", async () => {
    const ledger = testLedger();
    const lines: string[] = [];
    const log = createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(l) } });
    const a = seed(ledger, "A-1", 5);
    const b = seed(ledger, "B-2", 3);
    ledger.listings.linkListing({ channelId: "shop1", sku: a, ref: "r-a" });
    ledger.listings.linkListing({ channelId: "shop1", sku: b, ref: "r-b" });
    const channel = buggyChannel();
    const drainer = createDrainer({
      channel,
      ledger,
      clock: ledger.clock,
      log,
      retry: { baseMs: 10, maxMs: 100, random: () => 0.5 },
      failureAlertAfter: 1,
    });

    for (let pass = 0; pass < 3; pass++) {
      const report = await drainer.drain({ signal: new AbortController().signal });
      expect(report.deferred).toBe(2);
      expect(report.problems.join(" ")).toContain("internal error");
      ledger.clock.advance(60_000);
    }

    expect(channel.pushes).toBe(3);
    const health = ledger.channelState.channelHealth("shop1");
    expect(health.consecutiveFailures).toBe(0);
    const alerts = ledger.alerts.liveAlerts();
    expect(alerts.map((x) => x.kind)).toEqual(["internal_error"]);
    expect(alerts[0]!.subject).toBe("sync:shop1");
    expect(alerts[0]!.text).not.toMatch(/stock push failed/);
    const ref = /ref ([0-9a-f]{6})/.exec(alerts[0]!.text)?.[1];
    expect(ref).toBeDefined();
    const records = lines.map(
      (l) => JSON.parse(l) as { level: number; msg: string; ref?: string; err?: { type?: string; stack?: string } },
    );
    const internal = records.filter((r) => r.msg === "internal error");
    expect(internal).toHaveLength(3);
    expect(
      internal.every((r) => r.level === 50 && r.err?.type === "TypeError" && r.err.stack?.includes("pushStock")),
    ).toBe(true);
    expect(internal.map((r) => r.ref)).toContain(ref);
    expect(records.some((r) => r.msg === "stock push failed")).toBe(false);
    // The rows stay queued for the fixed code to push.
    expect(
      ledger.outbox
        .allOutbox()
        .map((r) => r.sku)
        .sort(),
    ).toEqual([a, b]);
  });
});
