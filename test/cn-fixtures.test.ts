import { afterEach, describe, expect, it } from "vitest";
import { createPinduoduoChannel, type PinduoduoConfig } from "../src/channels/pinduoduo.js";
import { createTaobaoChannel, type TaobaoConfig } from "../src/channels/taobao.js";
import { parseConfig } from "../src/config.js";
import { listen, type SandboxServer } from "../src/sandbox/http.js";
import { UpstreamError } from "../src/upstream/errors.js";
import { fixture } from "./support/channels.js";
import { cnChannelDeps } from "./support/cn.js";
import { sku, testLedger } from "./support/ledger.js";
import { failure } from "./support/outcomes.js";

// These replay the providers' documented response shapes byte for byte (no simulator logic), so the
// adapters are checked against the wire format itself and not only against our own simulators.

const never = new AbortController().signal;
let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function replay(body: string): Promise<string> {
  server = await listen(() => ({ body }));
  return server.url;
}

function taobao(apiBase: string, ledger: ReturnType<typeof testLedger>) {
  const config = parseConfig({
    channels: [{ id: "tb", kind: "taobao", appKey: "12345678", appSecret: "secret-1", session: "session-1", apiBase }],
  }).channels[0] as TaobaoConfig;
  return createTaobaoChannel({ ...cnChannelDeps("tb", ledger.clock), config, alerts: ledger.alerts });
}

function pinduoduo(apiBase: string, ledger: ReturnType<typeof testLedger>) {
  const config = parseConfig({
    channels: [
      { id: "pdd", kind: "pinduoduo", clientId: "c1", clientSecret: "secret-2", accessToken: "token-2", apiBase },
    ],
  }).channels[0] as PinduoduoConfig;
  return createPinduoduoChannel({ ...cnChannelDeps("pdd", ledger.clock), config, alerts: ledger.alerts });
}

describe("taobao documented responses", () => {
  it("reads a trades increment page with unsafe-integer tids and oids intact", async () => {
    const ledger = testLedger({ start: "2026-11-20T08:00:00Z" });
    const page = await taobao(await replay(fixture("taobao/trades-sold-increment-get.json")), ledger).fetchOrders(
      "2026-11-20T07:30:00.000Z",
      never,
    );
    expect(page.orders).toEqual([
      {
        orderId: "4070218227612345678",
        createdAt: new Date("2026-11-20T07:31:02Z"),
        updatedAt: new Date("2026-11-20T07:35:40Z"),
        total: { amountMinor: 5780, currency: "CNY" },
        lines: [
          {
            lineId: "4070218227612345679",
            sku: "MUG-BLUE-M",
            ref: "612345678901:4876543210124",
            qty: 2,
            status: "paid",
            price: { amountMinor: 3980, currency: "CNY" },
          },
          {
            lineId: "4070218227612345680",
            sku: "POT-1",
            ref: "612345678902",
            qty: 1,
            status: "cancelled",
            price: { amountMinor: 1800, currency: "CNY" },
          },
        ],
      },
      {
        orderId: "2231958349",
        createdAt: new Date("2026-11-20T07:20:00Z"),
        updatedAt: new Date("2026-11-20T07:33:00Z"),
        total: { amountMinor: 20007, currency: "CNY" },
        lines: [{ lineId: "2231958350", sku: null, ref: "612345678902", qty: 1, status: "cancelled" }],
      },
    ]);
    ledger.close();
  });

  it("reads a flow-control envelope as retryable with the ban's length", async () => {
    const ledger = testLedger();
    const out = failure(
      (
        await taobao(await replay(fixture("taobao/flow-control.json")), ledger).pushStock(
          [{ sku: sku("POT-1"), ref: "612345678902", quantity: 1 }],
          { idempotencyKey: "k", signal: never },
        )
      )[0],
    );
    expect(out).toMatchObject({
      retryable: true,
      error: {
        code: "upstream_throttled",
        providerCode: "accesscontrol.limited-by-app-api-access-count",
        retryAfterSeconds: 3,
      },
    });
    expect(out.error).toBeInstanceOf(UpstreamError);
    ledger.close();
  });

  it("reads an invalid-session envelope as a token problem and alerts once", async () => {
    const ledger = testLedger();
    await expect(
      taobao(await replay(fixture("taobao/invalid-session.json")), ledger).fetchOrders(null, never),
    ).rejects.toMatchObject({ code: "upstream_token_expired", retryable: false });
    expect(ledger.alerts.liveAlerts().map((a) => [a.kind, a.subject])).toEqual([["channel_token_expired", "tb"]]);
    ledger.close();
  });
});

describe("pinduoduo documented responses", () => {
  it("reads an order increment page, gifts included", async () => {
    const ledger = testLedger({ start: "2026-11-20T08:00:00Z" });
    const page = await pinduoduo(await replay(fixture("pinduoduo/order-sn-increment-get.json")), ledger).fetchOrders(
      "2026-11-20T07:30:00.000Z",
      never,
    );
    expect(page.orders).toEqual([
      {
        orderId: "261120-555000111222333",
        createdAt: new Date("2026-11-20T07:40:11Z"),
        updatedAt: new Date("2026-11-20T07:41:02Z"),
        total: { amountMinor: 2970, currency: "CNY" },
        lines: [
          { lineId: "123456789:987654321", sku: "MUG-BLUE-S", ref: "123456789:987654321", qty: 2, status: "paid" },
          { lineId: "gift:123456790:987650001", sku: "POT-1", ref: "123456790:987650001", qty: 1, status: "paid" },
        ],
      },
    ]);
    ledger.close();
  });

  it("reads error 10019 as an expired token and alerts with renewal steps", async () => {
    const ledger = testLedger();
    const out = failure(
      (
        await pinduoduo(await replay(fixture("pinduoduo/token-expired.json")), ledger).pushStock(
          [{ sku: sku("POT-1"), ref: "123456790:987650001", quantity: 1 }],
          { idempotencyKey: "k", signal: never },
        )
      )[0],
    );
    expect(out).toMatchObject({ retryable: false, error: { code: "upstream_token_expired" } });
    expect(ledger.alerts.liveAlerts()[0]!.text).toContain("pdd.pop.auth.token.refresh");
    ledger.close();
  });
});
