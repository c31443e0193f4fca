import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SkuSchema } from "../src/ids.js";
import { testApp } from "./support/app.js";

const access = { admins: ["tg:1"], approvers: ["tg:2"], operators: ["tg:3"], viewers: ["tg:4"] };
const channels = [
  { id: "shop1", kind: "xianyu" },
  { id: "woo", kind: "xianyu" },
];

describe("dispatcher and core commands", () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp({ access, channels });
    t.app.deps.ledger.stock.upsertSku(
      { sku: SkuSchema.parse("A-12"), title: "Red tee", onHand: 20 },
      { actor: "test", idempotencyKey: "seed" },
    );
  });
  afterEach(async () => t.close());

  it("answers /stock for a viewer with levels", async () => {
    const r = await t.run("/stock A-12", "tg:4");
    expect(r.outcome).toBe("ok");
    expect(r.reply.text).toContain("20 available = 20 on hand − 0 reserved");
  });

  it("refuses unknown users and audits the refusal", async () => {
    const r = await t.run("/stock A-12", "tg:999");
    expect(r.outcome).toBe("refused");
    expect(r.reply.text).toContain("not on the access list (tg:999)");
    expect(t.app.deps.ledger.audit.recentAudit({ limit: 1 })[0]).toMatchObject({ actor: "tg:999", outcome: "refused" });
  });

  it("refuses /set from a viewer and changes nothing", async () => {
    const r = await t.run("/set A-12 5", "tg:4");
    expect(r.outcome).toBe("refused");
    expect(r.reply.text).toBe("/set needs the operator role; you are viewer. Ask an admin if you need it.");
    expect(t.app.deps.ledger.stock.getLevel("A-12").onHand).toBe(20);
  });

  it("suggests close matches for an unknown command", async () => {
    const r = await t.run("/stok A-12", "tg:3");
    expect(r.outcome).toBe("usage");
    expect(r.reply.text).toContain("Did you mean /stock?");
  });

  it.each([
    ["/set", "SKU is missing; QTY is missing.\nUsage: /set SKU QTY [REASON…]"],
    ["/set A-12", "QTY is missing"],
    ["/set A-12 -4", "QTY must be a whole number ≥ 0"],
    ["/set A-12 12.5", "QTY must be a whole number ≥ 0"],
    ["/set A-12 99999999999", "QTY must be at most 1,000,000"],
    ['/set "A 12" 3', "SKU must be 1–64 letters"],
    ["/set A'12 3", "SKU must be 1–64 letters"],
    ["/adjust A-12 0", "±N must not be 0"],
    ["/adjust A-12 five", "±N must be a signed whole number"],
    ["/snooze 1 forever", "DURATION must be a duration such as 30m"],
    ["/history A-12 5 extra", "unexpected extra argument: extra"],
  ])("answers %s with a clear usage message", async (line, expected) => {
    const r = await t.run(line, "tg:3");
    expect(r.outcome).toBe("usage");
    expect(r.reply.text).toContain(expected);
    expect(t.app.deps.ledger.stock.getLevel("A-12").onHand).toBe(20);
  });

  it("refuses removing more than is available with the numbers and what to do", async () => {
    const r = await t.run("/adjust A-12 -25", "tg:3");
    expect(r.outcome).toBe("refused");
    expect(r.reply.text).toBe("SKU A-12: 20 available, 25 requested. Lower the quantity or restock.");
  });

  it("says so for a SKU that does not exist", async () => {
    const r = await t.run("/stock NOPE-1", "tg:4");
    expect(r.outcome).toBe("refused");
    expect(r.reply.text).toContain("SKU NOPE-1 is not in the ledger");
  });

  it("applies a redelivered chat message once", async () => {
    await t.run("/adjust A-12 -2 sample", "tg:3", "555");
    const again = await t.run("/adjust A-12 -2 sample", "tg:3", "555");
    expect(again.reply.text).toContain("Already applied");
    expect(t.app.deps.ledger.stock.getLevel("A-12").onHand).toBe(18);
  });

  it("lists in /help only what the asker may run", async () => {
    const viewer = (await t.run("/help", "tg:4")).reply.text;
    expect(viewer).toContain("/stock");
    expect(viewer).not.toContain("/set");
    const op = (await t.run("/help", "tg:3")).reply.text;
    expect(op).toContain("/set SKU QTY");
  });

  it("previews /delist and runs it only on /confirm by the same operator", async () => {
    await t.run("/link A-12 shop1 gid-1", "tg:3");
    await t.run("/link A-12 woo 77", "tg:3");
    const preview = await t.run("/delist A-12 all", "tg:3");
    expect(preview.reply.text).toContain("Will delist A-12 on shop1, woo");
    expect(t.app.deps.ledger.listings.skuListings("A-12").every((l) => !l.isDelisted)).toBe(true);
    const token = /\/confirm (\w+)/.exec(preview.reply.text)![1]!;
    const stranger = await t.run(`/confirm ${token}`, "tg:1");
    expect(stranger.outcome).toBe("refused");
    expect(stranger.reply.text).toContain("belongs to someone else");
    const ok = await t.run(`/confirm ${token}`, "tg:3");
    expect(ok.reply.text).toContain("Delisted A-12 on shop1, woo");
    expect(t.app.deps.ledger.listings.skuListings("A-12").every((l) => l.isDelisted)).toBe(true);
    expect((await t.run(`/confirm ${token}`, "tg:3")).reply.text).toContain("already used");
  });

  it("expires confirmation tokens", async () => {
    await t.run("/link A-12 shop1 gid-1", "tg:3");
    const token = /\/confirm (\w+)/.exec((await t.run("/delist A-12", "tg:3")).reply.text)![1]!;
    t.clock.advance(121_000);
    expect((await t.run(`/confirm ${token}`, "tg:3")).reply.text).toContain("expired");
  });

  it("refuses an unknown channel and names the configured ones", async () => {
    const r = await t.run("/link A-12 amz B00X", "tg:3");
    expect(r.reply.text).toBe("No channel amz. Configured: shop1, woo.");
  });

  it("explains the published quantity with /why", async () => {
    await t.run("/link A-12 shop1 gid-1", "tg:3");
    await t.run("/adjust A-12 -18", "tg:3");
    const r = await t.run("/why A-12", "tg:4");
    expect(r.reply.text).toContain("shop1 → 1");
    expect(r.reply.text).toContain("low stock (2 ≤ 3): cap 1 → 1");
  });

  it("acknowledges and snoozes alerts; a forged button id is refused", async () => {
    await t.run("/adjust A-12 -18", "tg:3");
    const alert = t.app.deps.ledger.alerts.liveAlerts()[0]!;
    expect(alert.kind).toBe("low_stock");
    const id = t.app.deps.ledger.jobs.storeButtonAction(`/ack ${alert.id}`);
    const pressed = await t.app.dispatcher.press({ transport: "test", chatId: "t", userId: "tg:3", actionId: id });
    expect(pressed.reply.text).toBe(`Alert #${alert.id} acknowledged by tg:3.`);
    const forged = await t.app.dispatcher.press({ transport: "test", chatId: "t", userId: "tg:3", actionId: "ZZZZZZ" });
    expect(forged.outcome).toBe("refused");
    expect(forged.reply.text).toContain("not valid any more");
    expect((await t.run(`/snooze ${alert.id} 2h`, "tg:3")).reply.text).toContain(
      "snoozed until Nov 20, 18:00 Beijing time",
    );
  });

  it("shows history newest first", async () => {
    await t.run("/adjust A-12 +5 delivery", "tg:3");
    const r = await t.run("/history A-12 2", "tg:4");
    expect(r.reply.text.split("\n")[1]).toMatch(/adjust by tg:3: on hand \+5 → 25 — delivery/);
  });
});
