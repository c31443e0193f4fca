import { describe, expect, it } from "vitest";
import reservationExpiry from "../jobs/reservation-expiry.js";
import { deliverDueAlerts } from "../src/chat/alert-sender.js";
import { runSlot } from "../src/scheduler.js";
import { testApp } from "./support/app.js";
import { seed, testLedger } from "./support/ledger.js";

describe("job slots", () => {
  it("runs a slot once, even when asked twice", async () => {
    const t = await testApp();
    try {
      const sku = seed(t.app.deps.ledger, "A-1", 5);
      t.app.deps.ledger.reservations.reserveHold({ sku, qty: 2, ttlSeconds: 60, actor: "api", idempotencyKey: "c1" });
      t.clock.advance(120_000);
      const at = t.clock.now();
      expect(await runSlot(reservationExpiry, t.app.deps, at)).toEqual({ changed: 1, skipped: 0, problems: [] });
      expect(await runSlot(reservationExpiry, t.app.deps, at)).toBeUndefined();
      expect(t.app.deps.ledger.stock.getLevel(sku).available).toBe(5);
    } finally {
      await t.close();
    }
  });
});

describe("alert centre", () => {
  it("de-duplicates by kind and subject", () => {
    const l = testLedger();
    const a = l.alerts.raiseAlert({ kind: "stalled", subject: "SF123", severity: "warning", text: "stalled 37h" });
    const b = l.alerts.raiseAlert({ kind: "stalled", subject: "SF123", severity: "warning", text: "stalled 40h" });
    expect(a.isNew).toBe(true);
    expect(b.isNew).toBe(false);
    expect(l.alerts.liveAlerts()).toHaveLength(1);
    expect(l.alerts.liveAlerts()[0]).toMatchObject({ raiseCount: 2, text: "stalled 40h" });
  });

  it("re-sends critical alerts until acknowledged, and snoozed ones when the snooze ends", () => {
    const l = testLedger();
    const crit = l.alerts.raiseAlert({ kind: "oversell", subject: "o1", severity: "critical", text: "oversold" }).alert;
    const warn = l.alerts.raiseAlert({ kind: "low_stock", subject: "A", severity: "warning", text: "low" }).alert;
    expect(l.alerts.dueAlerts(30).map((a) => a.id)).toEqual([crit.id, warn.id]);
    l.alerts.markAlertSent(crit.id);
    l.alerts.markAlertSent(warn.id);
    expect(l.alerts.dueAlerts(30)).toHaveLength(0);
    l.clock.advance(31 * 60_000);
    expect(l.alerts.dueAlerts(30).map((a) => a.id)).toEqual([crit.id]);
    l.alerts.snoozeAlert(warn.id, new Date(l.clock.now().getTime() + 3_600_000));
    l.alerts.ackAlert(crit.id, "tg:1");
    expect(l.alerts.dueAlerts(30)).toHaveLength(0);
    l.clock.advance(3_600_001);
    expect(l.alerts.dueAlerts(30).map((a) => a.id)).toEqual([warn.id]);
  });

  it("delivers due alerts to the group with Ack and Snooze buttons, once", async () => {
    const t = await testApp({}, { withConsole: true });
    try {
      seed(t.app.deps.ledger, "A-1", 10);
      t.app.deps.ledger.stock.adjustOnHand(seed(t.app.deps.ledger, "A-1", 10), -9, { actor: "t", idempotencyKey: "x" });
      expect(await deliverDueAlerts(t.app.deps)).toBe(1);
      expect(await deliverDueAlerts(t.app.deps)).toBe(0);
      expect(t.printed()).toContain("Low stock: A-1 has 1 available (threshold 3). Every channel now shows at most 1.");
      expect(t.printed()).toMatch(/\[Ack: \/ack \d+\] \[Snooze 2h: \/snooze \d+ 2h\]/);
    } finally {
      await t.close();
    }
  });

  it("resolves the low-stock alert when stock comes back", () => {
    const l = testLedger();
    const a = seed(l, "A-1", 10);
    l.stock.adjustOnHand(a, -8, { actor: "t", idempotencyKey: "down" });
    expect(l.alerts.liveAlerts()).toHaveLength(1);
    l.stock.adjustOnHand(a, +20, { actor: "t", idempotencyKey: "up" });
    expect(l.alerts.liveAlerts()).toHaveLength(0);
  });
});

describe("alert delivery passes", () => {
  it("posts each alert once when passes overlap", async () => {
    const t = await testApp({}, { withConsole: true });
    try {
      const l = t.app.deps.ledger;
      l.stock.adjustOnHand(seed(l, "A-1", 10), -9, { actor: "t", idempotencyKey: "x" });
      const counts = await Promise.all([
        deliverDueAlerts(t.app.deps),
        deliverDueAlerts(t.app.deps),
        deliverDueAlerts(t.app.deps),
      ]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
      expect(t.printed().match(/Low stock: A-1/g)).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
