import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { testApp } from "./support/app.js";
import { shopifyEntry } from "./support/channels.js";

const fixture = (p: string) => readFileSync(join(import.meta.dirname, "fixtures", p), "utf8");

describe("channel refunds through the running app", () => {
  it("records a Shopify refunds/create webhook once, as executed, and audits it", async () => {
    const sim = await startShopifySim();
    const t = await testApp({
      http: { enabled: true, port: 0 },
      channels: [shopifyEntry("shop1", sim, { webhookSecret: "whsec-e2e-123456" })],
    });
    try {
      await t.app.start({ scheduler: false });
      const url = `http://127.0.0.1:${(t.app.http!.server.address() as { port: number }).port}/webhooks/shop1`;
      const payload = JSON.parse(fixture("shopify/refunds-create.json")) as unknown;
      const first = await sim.sendWebhook({
        url,
        topic: "refunds/create",
        payload,
        secret: "whsec-e2e-123456",
        webhookId: "refund-delivery-1",
      });
      const again = await sim.sendWebhook({
        url,
        topic: "refunds/create",
        payload,
        secret: "whsec-e2e-123456",
        webhookId: "refund-delivery-1",
      });
      const forged = await sim.sendWebhook({
        url,
        topic: "refunds/create",
        payload,
        secret: "not-the-secret",
        webhookId: "refund-delivery-2",
      });
      expect([first.status, again.status, forged.status]).toEqual([200, 200, 401]);
      // The webhook answered 200 only after the refund was recorded in the delivery's transaction.
      const refunds = t.app.deps.refunds.listRefunds();
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ state: "executed", channelId: "shop1", orderId: "5820011610221" });
      const audit = t.app.deps.ledger.audit.recentAudit({ action: "money.refund.execute" });
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]!.detail!)).toMatchObject({
        orderId: "5820011610221",
        amountMinor: 995,
        currency: "EUR",
        execution: "channel",
      });
    } finally {
      await t.close();
      await sim.close();
    }
  });
});
