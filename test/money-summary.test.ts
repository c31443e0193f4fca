import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import dailySummary from "../jobs/daily-summary.js";
import type { Sku } from "../src/ids.js";
import { onChannelRefund } from "../src/money/refund-flow.js";
import { runSlot } from "../src/scheduler.js";
import { buildSummary } from "../src/summary/build.js";
import { renderSummaryText } from "../src/summary/render.js";
import { sendDailySummary } from "../src/summary/send.js";
import { tempDir } from "./support/app.js";
import { seed } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";

type Stack = Awaited<ReturnType<typeof moneyStack>>;
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Seeds one Shanghai day (2026-11-19 = 2026-11-18T16:00Z … 2026-11-19T16:00Z) plus traffic around it. */
async function seedDay(s: Stack) {
  const l = s.ledger;
  const a = seed(l, "A-1", 50);
  const b = seed(l, "B-2", 10);
  const c = seed(l, "C-3", 3);
  const line = (at: string, channelId: string, orderId: string, lineId: string, sku: Sku, qty: number) => {
    s.clock.set(at);
    return l.reservations.recordOrderLine({ channelId, orderId, lineId, sku, qty, actor: channelId });
  };
  line("2026-11-01T02:00:00Z", "shop1", "900", "1", a, 1); // outside the rate window and the chart
  line("2026-11-12T02:00:00Z", "shop1", "950", "1", a, 4); // inside the 14-day rate window
  line("2026-11-18T17:00:00Z", "shop1", "1001", "1", a, 2); // 01:00 Shanghai on the 19th
  line("2026-11-18T17:00:00Z", "shop1", "1001", "2", b, 1);
  line("2026-11-19T03:00:00Z", "shop1", "1002", "1", a, 3);
  const cancelled = line("2026-11-19T05:00:00Z", "shop1", "1003", "1", a, 1);
  l.reservations.releaseReservation(cancelled.reservation.id, "shop1");
  line("2026-11-19T10:00:00Z", "woo", "W-1", "1", b, 6);
  line("2026-11-19T15:59:59Z", "woo", "W-2", "1", c, 5); // oversold by 2, one second before local midnight
  line("2026-11-19T16:00:00Z", "shop1", "1004", "1", a, 7); // the next local day

  const order = l.db.prepare("INSERT INTO channel_orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'webhook')");
  for (const [ch, id, at, total, cur] of [
    ["shop1", "1001", "2026-11-18T17:00:00Z", 3000, "EUR"],
    ["shop1", "1002", "2026-11-19T03:00:00Z", 4500, "EUR"],
    ["woo", "W-1", "2026-11-19T10:00:00Z", 6000, "USD"],
    ["woo", "W-2", "2026-11-19T15:59:59Z", 5000, "USD"],
    ["shop1", "1004", "2026-11-19T16:00:00Z", 9900, "EUR"],
  ] as const)
    order.run(ch, id, at, at, total, cur, at, at);
  const push = l.db.prepare(
    "INSERT INTO push_log (channel_id, sku, version, target_qty, is_listed, enqueued_at, first_enqueued_at, confirmed_at, latency_ms, attempts) VALUES (?, 'A-1', 1, 1, 1, ?, ?, ?, ?, 1)",
  );
  for (let i = 1; i <= 20; i++)
    push.run("shop1", "2026-11-19T06:00:00Z", "2026-11-19T06:00:00Z", "2026-11-19T06:00:01Z", i * 1000);
  push.run("woo", "2026-11-19T06:00:00Z", "2026-11-19T06:00:00Z", "2026-11-19T06:00:01Z", 500);
  push.run("woo", "2026-11-18T06:00:00Z", "2026-11-18T06:00:00Z", "2026-11-18T06:00:01Z", 99_000); // the day before

  const ship = l.db.prepare(
    `INSERT INTO shipments (order_ref, channel_id, carrier, tracking_no, shipped_at, status, status_since, delivered_at, created_at, updated_at)
     VALUES (?, 'shop1', 'shunfeng', ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [ref, no, shipped, status, since, delivered] of [
    ["1001", "SF1", "2026-11-19T02:00:00Z", "DELIVERED", "2026-11-19T09:00:00Z", "2026-11-19T09:00:00Z"],
    ["1002", "SF2", "2026-11-19T03:00:00Z", "IN_TRANSIT", "2026-11-19T05:00:00Z", null],
    ["W-1", "SF3", "2026-11-19T04:00:00Z", "EXCEPTION", "2026-11-19T08:00:00Z", null],
    ["800", "SF4", "2026-11-10T00:00:00Z", "IN_TRANSIT", "2026-11-11T00:00:00Z", null],
    ["801", "SF5", "2026-11-12T00:00:00Z", "DELIVERED", "2026-11-18T17:00:00Z", "2026-11-18T17:00:00Z"],
  ] as const)
    ship.run(ref, no, shipped, status, since, delivered, shipped, since);

  s.clock.set("2026-11-19T06:00:00Z");
  await onChannelRefund(s.deps, "shop1", {
    refundId: "77",
    orderId: "1001" as never,
    amount: { amountMinor: 1000, currency: "EUR" },
  });
  s.clock.set("2026-11-19T07:00:00Z");
  l.refunds.requestRefund(
    {
      channelId: "woo",
      orderId: "W-1",
      amount: { amountMinor: 2000, currency: "USD" },
      reason: "late",
      source: "chat",
      requestKey: "k1",
    },
    { actor: USERS.op1, transport: "test", requestId: "r1" },
  );
  s.clock.set("2026-11-20T01:00:00Z"); // 09:00 Shanghai, when the job fires
}

/** Width and height from a PNG's IHDR, after checking the signature and the closing IEND chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  expect(png.subarray(png.length - 8, png.length - 4).toString("latin1")).toBe("IEND");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("daily summary", () => {
  it("has the right numbers for a seeded day, checked against the ledger", async () => {
    stack = await moneyStack({
      extraChannels: [
        {
          id: "woo",
          kind: "woocommerce",
          apiBase: "http://127.0.0.1:9",
          consumerKey: "ck_test_123",
          consumerSecret: "cs_test_123",
        },
      ],
    });
    const s = stack;
    await seedDay(s);
    const sum = buildSummary(s.deps, "2026-11-19");

    expect(sum.from).toBe("2026-11-18T16:00:00.000Z");
    expect(sum.to).toBe("2026-11-19T16:00:00.000Z");
    expect(sum.sales).toEqual([
      { channelId: "woo", orders: 2, units: 11 },
      { channelId: "shop1", orders: 2, units: 6 },
    ]);
    // The same totals, straight from the ledger's reservations of the day's orders.
    const lines = ["1001", "1002", "1003", "W-1", "W-2"]
      .flatMap((o) => s.ledger.reservations.reservationsForOrder(o))
      .filter((r) => r.status !== "cancelled");
    expect(sum.totals).toEqual({
      orders: new Set(lines.map((r) => r.orderId)).size,
      units: lines.reduce((n, r) => n + r.requested, 0),
    });
    expect(sum.totals).toEqual({ orders: 4, units: 17 });
    expect(sum.revenue).toEqual([
      { amountMinor: 11_000, currency: "USD", orders: 2 },
      { amountMinor: 7_500, currency: "EUR", orders: 2 },
    ]);
    expect(sum.topSkus).toEqual([
      { sku: "B-2", units: 7 },
      { sku: "A-1", units: 5 },
      { sku: "C-3", units: 5 },
    ]);
    expect(sum.oversells).toEqual({ count: 1, shortfall: 2, unresolved: 1 });
    const levels = Object.fromEntries(
      ["A-1", "B-2", "C-3"].map((k) => [k, s.ledger.stock.getLevel(k as Sku).available]),
    );
    expect(levels).toEqual({ "A-1": 33, "B-2": 3, "C-3": 0 });
    expect(sum.lowStock).toEqual([
      { sku: "C-3", available: 0, perDay: 5 / 14, daysOfCover: 0 },
      { sku: "B-2", available: 3, perDay: 7 / 14, daysOfCover: 6 },
    ]);
    expect(sum.sync).toEqual([
      { channelId: "shop1", pushes: 20, failing: 0, p95Ms: 19_000 },
      { channelId: "woo", pushes: 1, failing: 0, p95Ms: 500 },
    ]);
    expect(sum.parcels).toEqual({ shipped: 3, delivered: 2, late: 1, exceptions: 1 });
    expect(sum.refunds).toEqual({
      requested: 1,
      executed: 1,
      rejected: 0,
      pending: 1,
      refunded: [{ amountMinor: 1000, currency: "EUR" }],
    });
    expect(sum.breaker).toEqual({ isOpen: false, openedAt: null, tripsInDay: 0 });
    expect(sum.salesSeries.days).toHaveLength(14);
    expect(sum.salesSeries.days[0]).toBe("2026-11-06");
    const shop1 = sum.salesSeries.channels.find((c) => c.channelId === "shop1")!.units;
    expect(shop1[6]).toBe(4);
    expect(shop1[13]).toBe(6);
    expect(shop1.reduce((x, y) => x + y, 0)).toBe(10);
    expect(sum.salesSeries.channels.find((c) => c.channelId === "woo")!.units[13]).toBe(11);

    const text = renderSummaryText(sum);
    expect(text.split("\n").length).toBeLessThanOrEqual(12);
    expect(text).toContain("4 orders, 17 units — woo 2/11 · shop1 2/6");
    expect(text).toContain("$110.00 · €75.00");
    expect(text).toContain("C-3 0 left (~0.0d) · B-2 3 left (~6.0d)");
    expect(text).toContain("shop1 20 pushes, p95 19.0s");
    expect(text).toContain("3 shipped, 2 delivered, 1 late, 1 exceptions");
  });

  it("posts once per day with a PNG chart, even when the job runs again after a restart", async () => {
    const { dir, cleanup } = tempDir();
    try {
      stack = await moneyStack({ path: join(dir, "ledger.db") });
      const s = stack;
      await seedDay(s);
      const first = await runSlot(dailySummary, s.deps, s.clock.now());
      expect(first).toMatchObject({ changed: 1, problems: [] });
      const again = await runSlot(dailySummary, s.deps, new Date(s.clock.now().getTime() + 60_000));
      expect(again).toMatchObject({ changed: 0, skipped: 1 });
      const posted = s.sent.filter((m) => m.text.startsWith("📊"));
      expect(posted).toHaveLength(1);
      expect(posted[0]!.text).toContain("📊 Thu 2026-11-19 (Asia/Shanghai)");
      const png = posted[0]!.image!.png;
      expect(pngSize(png)).toEqual({ width: 900, height: 520 });
      writeFileSync(join(dir, "summary.png"), png);

      const sim = s.sim;
      await s.ledger.close();
      stack = await moneyStack({ path: join(dir, "ledger.db"), sim, start: "2026-11-20T01:30:00Z" });
      expect(await sendDailySummary(stack.deps, "2026-11-19")).toEqual({ kind: "already_sent", day: "2026-11-19" });
      expect(stack.sent).toHaveLength(0);
      await sim.close();
    } finally {
      cleanup();
    }
  });

  it("gives the day back when posting fails everywhere, so the next run sends it", async () => {
    stack = await moneyStack();
    const s = stack;
    seed(s.ledger, "A-1", 5);
    const notify = s.deps.notify;
    s.deps.notify = async () => {
      throw new Error("telegram down");
    };
    expect(await sendDailySummary(s.deps, "2026-11-19")).toMatchObject({ kind: "failed" });
    s.deps.notify = notify;
    expect(await sendDailySummary(s.deps, "2026-11-19")).toEqual({ kind: "sent", day: "2026-11-19" });
    expect(s.sent.filter((m) => m.text.startsWith("📊"))).toHaveLength(1);
  });

  it("answers /summary for a date, and refuses nonsense dates", async () => {
    stack = await moneyStack();
    const s = stack;
    await seedDay(s);
    const r = await s.say(USERS.viewer, "/summary 2026-11-19");
    expect(r.outcome).toBe("ok");
    expect(r.reply.text).toContain("17 units");
    expect(r.reply.image?.png.length).toBeGreaterThan(1000);
    expect((await s.say(USERS.viewer, "/summary 2026-02-30")).reply.text).toContain("not a calendar date");
    expect((await s.say(USERS.viewer, "/summary 2027-01-01")).reply.text).toContain("has not happened yet");
    const bad = await s.say(USERS.viewer, "/summary 2026-13-45");
    expect(bad.outcome).toBe("refused");
    expect(bad.reply.text).toContain("2026-13-45 is not a calendar date");
    expect((await s.say(USERS.viewer, "/summary")).reply.text).toContain("2026-11-19");
  });
});
