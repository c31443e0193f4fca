import { describe, expect, it } from "vitest";
import { manualClock } from "../src/clock.js";
import { createI18n } from "../src/i18n/translator.js";
import { openDatabase } from "../src/ledger/db.js";
import { MAX_RISK_BUFFER, poissonTail, riskBufferUnits } from "../src/policy/risk.js";
import { testApp } from "./support/app.js";
import { openTestLedger, seed, testSettings } from "./support/ledger.js";
import { trailOf } from "./support/trail.js";

describe("risk-based buffer model", () => {
  it("holds back the smallest B with P(Poisson(V·T) > B) ≤ the target risk", () => {
    // λ = 120/h × 30 s = 1 sale per push window: P(N>3) = 1.9 %, P(N>4) = 0.37 %.
    expect(poissonTail(1, 3)).toBeCloseTo(0.01899, 4);
    expect(riskBufferUnits({ salesPerHour: 120, latencyMs: 30_000, risk: 0.01 })).toBe(4);
    expect(riskBufferUnits({ salesPerHour: 120, latencyMs: 30_000, risk: 0.05 })).toBe(3);
    expect(riskBufferUnits({ salesPerHour: 0, latencyMs: 30_000, risk: 0.01 })).toBe(0);
    // A slow seller on a fast channel needs nothing; a fast one on a slow channel needs more.
    expect(riskBufferUnits({ salesPerHour: 2, latencyMs: 500, risk: 0.01 })).toBe(0);
    expect(riskBufferUnits({ salesPerHour: 600, latencyMs: 60_000, risk: 0.01 })).toBe(18);
    // Far out (λ = 700) the normal approximation takes over instead of e^−λ underflowing to "no risk"; the cap bounds it.
    expect(riskBufferUnits({ salesPerHour: 42_000, latencyMs: 60_000, risk: 0.01 })).toBe(806);
    expect(riskBufferUnits({ salesPerHour: 120_000, latencyMs: 60_000, risk: 0.01 })).toBe(MAX_RISK_BUFFER);
  });
});

describe("risk-based buffer on a channel", () => {
  it("is computed from the SKU's order rate on all channels and the channel's p95 push latency, and /why's trail shows both", () => {
    const clock = manualClock("2026-11-20T08:00:00Z");
    const ledger = openTestLedger(openDatabase(":memory:"), {
      clock,
      settings: { ...testSettings, oversellRisk: 0.01, riskWindowHours: 24 },
      channelPolicy: (id) => (id === "woo" ? { riskBuffer: true } : undefined),
    });
    const a = seed(ledger, "A-1", 500);
    ledger.listings.linkListing({ channelId: "shop1", sku: a, ref: "s-1" });
    ledger.listings.linkListing({ channelId: "woo", sku: a, ref: "11" });
    // Before any push was confirmed there is no latency to model: nothing held back, and the trail says why.
    const first = ledger.outbox.publicationsFor(a).find((p) => p.listing.channelId === "woo")!.publication;
    expect(first.quantity).toBe(500);
    expect(trailOf(first).join("\n")).toContain("no push latency measured");

    // 20 confirmed pushes to woo, each 30 s from enqueue to confirm (the engine's own log of them).
    for (let i = 0; i < 20; i++) {
      ledger.stock.adjustOnHand(a, 1, { actor: "test", idempotencyKey: `restock:${i}` });
      const row = ledger.outbox.allOutbox("woo")[0]!;
      clock.advance(30_000);
      expect(ledger.channelState.confirmAndLog(row, row.targetQty, true)).toBe(true);
    }
    ledger.stock.adjustOnHand(a, 3000, { actor: "test", idempotencyKey: "restock-big" });
    // 2,880 units ordered over the last day on shop1 and woo together: 120 an hour. An older order is outside the window.
    for (let i = 0; i < 48; i++)
      ledger.reservations.recordOrderLine({
        channelId: i % 2 ? "shop1" : "woo",
        orderId: `o-${i}`,
        lineId: "1",
        sku: a,
        qty: 60,
        actor: "test",
      });
    const pubs = ledger.outbox.publicationsFor(a);
    const woo = pubs.find((p) => p.listing.channelId === "woo")!.publication;
    const shop = pubs.find((p) => p.listing.channelId === "shop1")!.publication;
    const available = ledger.stock.getLevel(a).available;
    // λ = 120/h × 30 s = 1 → 4 units for a 1 % risk; shop1 has no risk buffer configured.
    expect(woo.quantity).toBe(available - 4);
    expect(shop.quantity).toBe(available);
    expect(trailOf(woo).join("\n")).toContain(
      "risk buffer 4 (sales 120.0/h on all channels × push p95 30,000 ms, oversell chance ≤ 1.0%)",
    );
    expect(ledger.outbox.allOutbox("woo")[0]?.targetQty).toBe(available - 4);

    // A day later the rate window holds no orders: the buffer drops to 0 (still shown).
    clock.advance(25 * 3_600_000);
    const later = ledger.outbox.publicationsFor(a).find((p) => p.listing.channelId === "woo")!.publication;
    expect(later.quantity).toBe(available);
    expect(trailOf(later).join("\n")).toContain("risk buffer 0 (sales 0.0/h");
  });
});

describe("risk-based buffer per listing (/link … risk|norisk) and /why", () => {
  it("a listing's own setting wins over its channel's either way, survives a re-link, and /why shows the inputs and the buffer", async () => {
    const t = await testApp({
      access: { operators: ["tg:3"], viewers: ["tg:4"] },
      channels: [
        { id: "shop1", kind: "xianyu" },
        { id: "woo", kind: "xianyu", riskBuffer: true },
      ],
      stock: { oversellRisk: 0.01 },
    });
    try {
      const { ledger, channelState } = t.app.deps;
      const a = seed(ledger, "A-1", 500);
      // shop1 has no risk buffer, so its listing turns it on; woo has one, so its listing turns it off.
      const on = await t.run("/link A-1 shop1 s-1 risk", "tg:3");
      expect(on.reply.text).toContain(
        "Risk buffer on for A-1 on shop1: /why A-1 shows the sales rate, push p95, target and the units held back.",
      );
      const off = await t.run("/link A-1 woo 11 norisk", "tg:3");
      expect(off.reply.text).toContain("Risk buffer off for A-1 on woo, whatever the channel's setting.");
      expect(ledger.listings.skuListings(a).map((l) => [l.channelId, l.riskBuffer])).toEqual([
        ["shop1", true],
        ["woo", false],
      ]);
      const bad = await t.run("/link A-1 shop1 s-1 maybe", "tg:3");
      expect(bad.outcome).not.toBe("ok");
      expect(bad.reply.text.split("\n")[0]).toMatch(/risk\|norisk/);

      // 20 confirmed pushes on each channel, 30 s from enqueue to confirm; then 120 units an hour ordered.
      for (let i = 0; i < 20; i++) {
        ledger.stock.adjustOnHand(a, 1, { actor: "test", idempotencyKey: `restock:${i}` });
        t.clock.advance(30_000);
        for (const row of ledger.outbox.allOutbox()) channelState.confirmAndLog(row, row.targetQty, true);
      }
      ledger.stock.adjustOnHand(a, 3000, { actor: "test", idempotencyKey: "restock-big" });
      for (let i = 0; i < 48; i++)
        ledger.reservations.recordOrderLine({
          channelId: i % 2 ? "shop1" : "woo",
          orderId: `o-${i}`,
          lineId: "1",
          sku: a,
          qty: 60,
          actor: "test",
        });
      const available = ledger.stock.getLevel(a).available;
      const qty = (c: string) =>
        ledger.outbox.publicationsFor(a).find((p) => p.listing.channelId === c)?.publication.quantity;
      // λ = 120/h × 30 s = 1 sale per push window → 4 units for a 1 % risk, on shop1 only.
      expect(qty("shop1")).toBe(available - 4);
      expect(qty("woo")).toBe(available);
      expect(ledger.outbox.allOutbox("shop1")[0]?.targetQty).toBe(available - 4);

      const why = (await t.run("/why A-1", "tg:4")).reply.text;
      const [shopPart, wooPart] = why.split(/\n(?=woo )/);
      expect(shopPart).toContain(
        "risk buffer 4 (sales 120.0/h on all channels × push p95 30,000 ms, oversell chance ≤ 1.0%)",
      );
      expect(wooPart).toBeDefined();
      expect(wooPart).not.toContain("risk buffer");

      // A re-link without the option keeps the listing's setting.
      await t.run("/link A-1 shop1 s-1", "tg:3");
      expect(ledger.listings.getListing("shop1", a).riskBuffer).toBe(true);
      expect(qty("shop1")).toBe(available - 4);

      // Both languages.
      const zh = createI18n({ timeZone: "UTC" }).translator("zh-CN");
      expect(zh.t("link-risk-on", { sku: "A-1", channel: "shop1" })).toContain("开启风险缓冲");
      expect(zh.t("link-risk-off", { sku: "A-1", channel: "woo" })).toContain("关闭风险缓冲");
    } finally {
      await t.close();
    }
  });
});
