import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../src/clock.js";
import type { CanonicalStatus } from "../src/couriers/status.js";
import { asCourierCode } from "../src/ids.js";
import { createRateLimiter, runCourierCheck } from "../src/radar/check.js";
import { ingestTracking } from "../src/radar/ingest.js";
import { startKuaidi100Sim } from "../src/sandbox/kuaidi100.js";
import { startSeventeenTrackSim } from "../src/sandbox/seventeentrack.js";
import { steppingSleep } from "./support/clock.js";
import { radarHarness } from "./support/radar.js";

const H = 3_600_000;
const KEY = "K100-KEY-123456";
const CUSTOMER = "K100CUSTOMER0001";
const SALT = "K100-SALT-abcdef";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** Rebuilds the harness config with the simulator's URL (config is immutable once parsed). */
async function withKuaidi100(extraCourier: Record<string, unknown> = {}, simOpts: Record<string, unknown> = {}) {
  const sim = await startKuaidi100Sim({ customer: CUSTOMER, key: KEY, ...simOpts });
  const t = await radarHarness(
    { couriers: [{ kind: "kuaidi100", customer: CUSTOMER, key: KEY, salt: SALT, apiBase: sim.url, ...extraCourier }] },
    { http: true },
  );
  cleanups.push(
    () => sim.close(),
    () => t.close(),
  );
  return { t, sim };
}

const countRows = (t: Awaited<ReturnType<typeof radarHarness>>, sql: string, ...args: unknown[]) =>
  (t.ledger.db.prepare(sql).get(...args) as { n: number }).n;
/**
 * One courier-check run. The runs of one harness share one limiter per provider (back-to-back runs on a manual
 * clock have no real time between them); the limiters space calls on their own manual clock, where a wait steps
 * that clock at once, so no test waits in real time and the harness's clock moves only when a test moves it.
 */
const limitersOf = new WeakMap<object, Map<string, ReturnType<typeof createRateLimiter>>>();
const check = (t: Awaited<ReturnType<typeof radarHarness>>, limiterClock = manualClock()) => {
  let limiters = limitersOf.get(t);
  if (!limiters) {
    const sleep = steppingSleep(limiterClock);
    limiters = new Map(
      t.deps.couriers
        .list()
        .map((a) => [a.kind, createRateLimiter(a.limits.ratePerSecond, { clock: limiterClock, sleep })]),
    );
    limitersOf.set(t, limiters);
  }
  return runCourierCheck(t.deps, { signal: new AbortController().signal, limiters });
};

describe("stalled parcels", () => {
  it("raises exactly one stalled alert for a 37-hour-old scan across many polls and pushes, and a new scan resolves it", async () => {
    const { t, sim } = await withKuaidi100();
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "1001",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT1234567890123",
      shippedAt: new Date(now - 56 * H),
      destination: { region: "广东" },
    });
    sim.addScan("yuantong", "YT1234567890123", {
      at: new Date(now - 54 * H),
      context: "【广州市】已揽收",
      statusCode: "103",
    });
    sim.addScan("yuantong", "YT1234567890123", {
      at: new Date(now - 37 * H),
      context: "【广州转运中心】已发出",
      statusCode: "1002",
    });

    const first = await check(t);
    expect(first.calls.kuaidi100).toBe(2); // one subscribe + one query
    expect(sim.subscriptions.get("yuantong:YT1234567890123")?.callbackurl).toBe(`${t.baseUrl}/couriers/kuaidi100/push`);
    const stalled = t.ledger.alerts.liveAlerts().filter((a) => a.kind === "parcel_stalled");
    expect(stalled).toHaveLength(1);
    expect(stalled[0]!.text).toContain("No new scan for 37 h");
    expect(stalled[0]!.text).toContain("亲，非常抱歉"); // ready-to-send apology for the buyer

    for (let i = 0; i < 5; i++) {
      expect((await sim.push("yuantong", "YT1234567890123")).status).toBe(200);
      t.clock.advance(3 * H);
      await check(t);
    }
    expect(sim.queryCount("YT1234567890123")).toBe(1); // pushes kept it fresh: no polling
    t.clock.advance(7 * H);
    await check(t);
    expect(sim.queryCount("YT1234567890123")).toBe(2); // pushes went quiet: polled again
    expect(countRows(t, "SELECT COUNT(*) AS n FROM alerts WHERE kind = 'parcel_stalled'")).toBe(1);
    expect(countRows(t, "SELECT COUNT(*) AS n FROM tracking_events")).toBe(2);

    sim.addScan("yuantong", "YT1234567890123", {
      at: new Date(t.clock.now().getTime() - H),
      context: "【深圳市】到达派件城市",
      statusCode: "1001",
    });
    await sim.push("yuantong", "YT1234567890123");
    expect(t.ledger.alerts.liveAlerts().filter((a) => a.kind === "parcel_stalled")).toHaveLength(0);
    expect(countRows(t, "SELECT COUNT(*) AS n FROM alerts WHERE kind = 'parcel_stalled' AND status = 'resolved'")).toBe(
      1,
    );
    const [s] = t.ledger.shipments.findShipments("1001");
    expect(s!.lastEventAt).toBe(new Date(t.clock.now().getTime() - H).toISOString());
  });

  it("measures stalls from the newest scan, not the last poll, and says data is stale when it cannot fetch", async () => {
    const { t, sim } = await withKuaidi100({ key: "WRONG-KEY-0000" });
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "1002",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT2234567890123",
      shippedAt: new Date(now - 60 * H),
    });
    sim.addScan("yuantong", "YT2234567890123", { at: new Date(now - 40 * H), context: "已发出", statusCode: "1002" });
    const r1 = await check(t);
    expect(r1.problems.join("\n")).toContain("signature");
    expect(t.ledger.shipments.findShipments("1002")[0]!.nextCheckAt).toBe(new Date(now + 15 * 60_000).toISOString());
    t.clock.advance(13 * H);
    await check(t);
    // Backoff doubles per consecutive failure.
    expect(t.ledger.shipments.findShipments("1002")[0]!.nextCheckAt).toBe(
      new Date(now + 13 * H + 30 * 60_000).toISOString(),
    );
    const kinds = t.ledger.alerts.liveAlerts().map((a) => a.kind);
    expect(kinds).toContain("parcel_stale");
    expect(kinds).not.toContain("parcel_stalled");
    const [s] = t.ledger.shipments.findShipments("1002");
    expect(s!.syncFailures).toBeGreaterThanOrEqual(1);
    expect(s!.lastSyncError).toContain("Check couriers.kuaidi100 key");
  });
});

describe("pushes", () => {
  it("refuses a push with a bad signature and changes nothing; the same valid push twice stores its events once", async () => {
    const { t, sim } = await withKuaidi100();
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "2001",
      carrier: asCourierCode("shentong"),
      trackingNo: "773456789012345",
      shippedAt: new Date(now - 10 * H),
    });
    sim.addScan("shentong", "773456789012345", { at: new Date(now - 8 * H), context: "已揽收", statusCode: "103" });
    sim.addScan("shentong", "773456789012345", { at: new Date(now - 2 * H), context: "派件中", statusCode: "5" });
    const before = t.ledger.shipments.findShipments("2001")[0]!;
    const url = `${t.baseUrl}/couriers/kuaidi100/push`;
    const post = (body: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });

    const forged = await post(sim.pushBody("shentong", "773456789012345", { salt: "not-the-salt" }));
    expect(forged.status).toBe(403);
    expect(JSON.parse(await forged.text())).toMatchObject({ result: false });
    expect(countRows(t, "SELECT COUNT(*) AS n FROM tracking_events")).toBe(0);
    expect(t.ledger.shipments.findShipments("2001")[0]).toEqual(before);

    const valid = sim.pushBody("shentong", "773456789012345", { salt: SALT });
    for (let i = 0; i < 2; i++) {
      const res = await post(valid);
      expect(res.status).toBe(200);
      expect(JSON.parse(await res.text())).toEqual({ result: true, returnCode: "200", message: "提交成功" });
    }
    expect(countRows(t, "SELECT COUNT(*) AS n FROM tracking_events")).toBe(2);
    expect(t.ledger.shipments.findShipments("2001")[0]).toMatchObject({
      status: "OUT_FOR_DELIVERY",
      firstScanAt: new Date(now - 8 * H).toISOString(),
    });
  });

  it("verifies 17TRACK webhooks on the raw body and answers Kdniao in its required format", async () => {
    const sim = await startSeventeenTrackSim({ apiKey: "17KEY-abcdef" });
    const t = await radarHarness(
      {
        couriers: [
          { kind: "17track", apiKey: "17KEY-abcdef", apiBase: sim.apiBase },
          { kind: "kdniao", businessId: "1237100", apiKey: "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17" },
        ],
      },
      { http: true },
    );
    cleanups.push(
      () => sim.close(),
      () => t.close(),
    );
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "3001",
      carrier: asCourierCode("ems"),
      trackingNo: "EA123456789CN",
      shippedAt: new Date(now - 30 * H),
    });
    sim.addEvent("EA123456789CN", {
      at: new Date(now - 20 * H),
      description: "Posting",
      subStatus: "InTransit_PickedUp",
    });
    sim.addEvent("EA123456789CN", {
      at: new Date(now - 4 * H),
      description: "Delivery attempt failed",
      subStatus: "DeliveryFailure_NoBody",
    });

    const bad = await sim.webhook("EA123456789CN", { key: "wrong", url: `${t.baseUrl}/couriers/17track/push` });
    expect(bad.status).toBe(403);
    expect(countRows(t, "SELECT COUNT(*) AS n FROM tracking_events")).toBe(0);
    for (let i = 0; i < 3; i++)
      expect((await sim.webhook("EA123456789CN", { url: `${t.baseUrl}/couriers/17track/push` })).status).toBe(200);
    expect(countRows(t, "SELECT COUNT(*) AS n FROM tracking_events")).toBe(2);
    expect(countRows(t, "SELECT COUNT(*) AS n FROM alerts WHERE kind = 'parcel_delivery_failed'")).toBe(1);

    const { kdniaoDataSign } = await import("../src/couriers/kdniao.js");
    const requestData = JSON.stringify({
      EBusinessID: "1237100",
      PushTime: "2026-11-20 16:00:00",
      Count: "1",
      Data: [
        {
          EBusinessID: "1237100",
          ShipperCode: "EMS",
          LogisticCode: "EA123456789CN",
          Success: true,
          State: "3",
          StateEx: "301",
          Traces: [{ AcceptTime: "2026-11-20 15:30:00", AcceptStation: "已签收", Action: "301" }],
        },
      ],
    });
    const post = (sign: string) =>
      fetch(`${t.baseUrl}/couriers/kdniao/push`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ RequestData: requestData, RequestType: "101", DataSign: sign }).toString(),
      });
    const refused = await post(kdniaoDataSign(requestData, "wrong-key"));
    expect(refused.status).toBe(403);
    expect(JSON.parse(await refused.text())).toMatchObject({ EBusinessID: "1237100", Success: false });
    const ok = await post(kdniaoDataSign(requestData, "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17"));
    expect(ok.status).toBe(200);
    expect(JSON.parse(await ok.text())).toMatchObject({ EBusinessID: "1237100", Success: true, Reason: "" });
    const s = t.ledger.shipments.findShipments("EA123456789CN")[0]!;
    expect(s).toMatchObject({ status: "DELIVERED", deliveredAt: "2026-11-20T07:30:00.000Z" });
    expect(s.endedAt).not.toBeNull();
    expect(t.ledger.alerts.liveAlerts().filter((a) => a.kind === "parcel_delivery_failed")).toHaveLength(0);
  });
});

describe("problem transitions", () => {
  it("raises one alert per transition into a problem status, whatever the number of re-polls", async () => {
    const t = await radarHarness({});
    cleanups.push(() => t.close());
    const now = t.clock.now().getTime();
    const { shipment } = t.ledger.shipments.recordShipment({
      orderRef: "6001",
      carrier: "yto",
      trackingNo: "YT6000000000001",
      shippedAt: new Date(now - 50 * H),
      destination: { country: "DE", region: "Berlin" },
    });
    const scans: { occurredAt: Date; status: CanonicalStatus; providerCode: string; description: string }[] = [];
    const step = (h: number, status: CanonicalStatus, description: string, repeats = 3) => {
      scans.push({ occurredAt: new Date(now - h * H), status, providerCode: "", description });
      for (let i = 0; i < repeats; i++) {
        const current = t.ledger.shipments.getShipment(shipment.id);
        ingestTracking(
          t.deps,
          current,
          { carrier: current.carrier, trackingNo: current.trackingNo, status, providerStatus: "", events: [...scans] },
          { source: "test", isPoll: true },
        );
      }
    };
    step(30, "PICKED_UP", "accepted");
    step(20, "REJECTED", "refused by recipient");
    step(10, "RETURNING", "return to sender");
    const rows = t.ledger.db.prepare("SELECT kind, status, severity, text FROM alerts ORDER BY id").all() as {
      kind: string;
      status: string;
      severity: string;
      text: string;
    }[];
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ["parcel_rejected", "resolved"],
      ["parcel_returning", "open"],
    ]);
    expect(rows[1]!.severity).toBe("critical");
    // A foreign destination gets the apology in English.
    expect(rows[1]!.text).toContain("We are sorry: your parcel is on its way back to us");
    step(1, "RETURNED", "returned to sender", 1);
    expect(t.ledger.alerts.liveAlerts().map((a) => a.kind)).toEqual(["parcel_returned"]);
    expect(t.ledger.shipments.getShipment(shipment.id).endedAt).not.toBeNull();
  });

  it("keeps a newer status when an older push arrives late", async () => {
    const t = await radarHarness({});
    cleanups.push(() => t.close());
    const now = t.clock.now().getTime();
    const { shipment } = t.ledger.shipments.recordShipment({
      orderRef: "6002",
      carrier: "sf",
      trackingNo: "SF6000000000002",
      shippedAt: new Date(now - 30 * H),
    });
    const picked = {
      occurredAt: new Date(now - 20 * H),
      status: "PICKED_UP" as const,
      providerCode: "103",
      description: "收件",
    };
    const out = {
      occurredAt: new Date(now - 2 * H),
      status: "OUT_FOR_DELIVERY" as const,
      providerCode: "5",
      description: "派件中",
    };
    t.ledger.shipments.applyTracking(
      shipment.id,
      {
        carrier: shipment.carrier,
        trackingNo: shipment.trackingNo,
        status: "OUT_FOR_DELIVERY",
        providerStatus: "5",
        events: [picked, out],
      },
      { source: "test" },
    );
    const late = t.ledger.shipments.applyTracking(
      shipment.id,
      {
        carrier: shipment.carrier,
        trackingNo: shipment.trackingNo,
        status: "PICKED_UP",
        providerStatus: "103",
        events: [picked],
      },
      { source: "test" },
    );
    expect(late.newEvents).toBe(0);
    expect(late.after.status).toBe("OUT_FOR_DELIVERY");
  });
});

describe("courier-check scheduling", () => {
  it("refreshes 2,000 active 17TRACK parcels with ceil(2000/40) calls under the rate limit", async () => {
    // The simulator counts requests per second on the clock the limiter spaces them by.
    const limiterClock = manualClock();
    const sim = await startSeventeenTrackSim({
      apiKey: "17KEY-abcdef",
      ratePerSecond: 30,
      quota: 5000,
      now: () => limiterClock.now().getTime(),
    });
    const t = await radarHarness({
      couriers: [{ kind: "17track", apiKey: "17KEY-abcdef", apiBase: sim.apiBase, ratePerSecond: 30 }],
    });
    cleanups.push(
      () => sim.close(),
      () => t.close(),
    );
    const now = t.clock.now().getTime();
    t.ledger.transaction(() => {
      for (let i = 0; i < 2000; i++) {
        const no = `YT${String(1_000_000_000_000 + i)}`;
        t.ledger.shipments.recordShipment({
          orderRef: `O-${i}`,
          carrier: asCourierCode("yuantong"),
          trackingNo: no,
          shippedAt: new Date(now - 20 * H),
        });
        sim.addEvent(no, { at: new Date(now - 18 * H), description: "Picked up", subStatus: "InTransit_PickedUp" });
      }
    });
    const first = await check(t, limiterClock);
    expect(sim.calls("register")).toBe(50);
    expect(sim.calls("gettrackinfo")).toBe(50);
    expect(first.changed).toBe(2000);

    t.clock.advance(7 * H); // past the freshness window: every parcel needs a refresh
    const second = await check(t);
    expect(second.calls["17track"]).toBe(Math.ceil(2000 / 40));
    expect(sim.calls("register")).toBe(50);
    expect(sim.calls("gettrackinfo")).toBe(100);
    expect(sim.throttled).toBe(0);
    expect(sim.maxPerSecond).toBeLessThanOrEqual(30);
  }, 180_000);

  it("stops polling a delivered parcel and respects the daily cap", async () => {
    const { t, sim } = await withKuaidi100({ push: false, dailyQueryCap: 2 });
    const now = t.clock.now().getTime();
    for (const [i, no] of ["YT3000000000001", "YT3000000000002", "YT3000000000003"].entries()) {
      t.ledger.shipments.recordShipment({
        orderRef: `40${i}`,
        carrier: asCourierCode("yuantong"),
        trackingNo: no,
        shippedAt: new Date(now - 10 * H),
      });
    }
    sim.addScan("yuantong", "YT3000000000001", { at: new Date(now - 2 * H), context: "已签收", statusCode: "301" });
    const r = await check(t);
    expect(r.calls.kuaidi100).toBe(2);
    expect(r.problems.join("\n")).toContain("daily cap of 2 calls reached");
    expect(sim.subscriptions.size).toBe(0); // push: false polls only
    const delivered = t.ledger.shipments.findShipments("YT3000000000001")[0]!;
    expect(delivered).toMatchObject({ status: "DELIVERED", nextCheckAt: null });
    expect(delivered.endedAt).not.toBeNull();

    t.clock.advance(30 * H);
    await check(t);
    expect(sim.queryCount("YT3000000000001")).toBe(1); // ended: never polled again
  });
});

describe("chat commands", () => {
  it("/ship records a parcel once, /track shows scans newest first, operators only", async () => {
    const { t } = await withKuaidi100();
    expect((await t.run("/ship 5001 sf SF1234567890123 广东", "tg:viewer")).outcome).toBe("refused");
    const first = await t.run("/ship 5001 sf SF1234567890123 广东 5678");
    expect(first.outcome).toBe("ok");
    expect(first.reply.text).toContain("Watching 顺丰速运 (shunfeng) SF1234567890123 for order 5001 → 广东");
    expect((await t.run("/ship 5001 sf SF1234567890123")).reply.text).toContain("already watched");
    const bad = await t.run("/ship 5002 pigeon-post!! SF1234567890123");
    expect(bad.outcome).not.toBe("ok");
    expect(bad.reply.text).toContain("Unknown carrier");
    const s = t.ledger.shipments.findShipments("5001");
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ phoneLast4: "5678", destination: { region: "广东" } });
    const now = t.clock.now();
    t.ledger.shipments.applyTracking(
      s[0]!.id,
      {
        carrier: asCourierCode("shunfeng"),
        trackingNo: "SF1234567890123",
        status: "IN_TRANSIT",
        providerStatus: "0",
        events: [
          {
            occurredAt: new Date(now.getTime() - 5 * H),
            status: "PICKED_UP",
            providerCode: "103",
            description: "顺丰已收取快件",
          },
          {
            occurredAt: new Date(now.getTime() - 2 * H),
            status: "IN_TRANSIT",
            providerCode: "0",
            description: "快件到达【深圳宝安中转场】",
          },
        ],
      },
      { source: "test" },
    );
    const tracked = await t.run("/track 5001", "tg:viewer");
    expect(tracked.reply.text.indexOf("深圳宝安中转场")).toBeLessThan(tracked.reply.text.indexOf("顺丰已收取快件"));
    expect((await t.run("/track NOPE000000", "tg:viewer")).reply.text).toContain("No parcel");

    // Carrier auto-detection asks the provider (Kuaidi100 autonumber) first.
    const auto = await t.run("/ship 5003 auto YT5555555555555");
    expect(auto.reply.text).toContain("Watching 圆通速递 (yuantong) YT5555555555555");
    // Channel imports pass the carrier as the marketplace spells it, and the same parcel twice is one parcel.
    const imported = t.ledger.shipments.recordShipment({
      orderRef: "shop-77",
      channelId: "shop1",
      carrier: "SF Express",
      trackingNo: "sf 1234 5678 90123",
      destination: { country: "CN", region: "浙江" },
    });
    expect(imported).toMatchObject({ isNew: false, shipment: { id: s[0]!.id, orderRefs: ["5001", "shop-77"] } });
    expect(t.ledger.shipments.findShipments("shop-77")[0]!.trackingNo).toBe("SF1234567890123");
  });

  it("/late lists stalled, no-pickup and failed parcels, oldest problem first", async () => {
    const { t } = await withKuaidi100();
    const now = t.clock.now().getTime();
    const ship = (order: string, no: string, shippedH: number) =>
      t.ledger.shipments.recordShipment({
        orderRef: order,
        carrier: asCourierCode("yuantong"),
        trackingNo: no,
        shippedAt: new Date(now - shippedH * H),
      }).shipment;
    const apply = (
      id: number,
      no: string,
      status: "IN_TRANSIT" | "DELIVERY_FAILED" | "NO_INFO",
      scans: [number, string][],
    ) =>
      t.ledger.shipments.applyTracking(
        id,
        {
          carrier: asCourierCode("yuantong"),
          trackingNo: no,
          status,
          providerStatus: "",
          events: scans.map(([h, d]) => ({
            occurredAt: new Date(now - h * H),
            status: status === "NO_INFO" ? "IN_TRANSIT" : status,
            providerCode: "",
            description: d,
          })),
        },
        { source: "test" },
      );
    apply(ship("A", "YT9000000000001", 80).id, "YT9000000000001", "IN_TRANSIT", [[70, "left hub"]]);
    apply(ship("B", "YT9000000000002", 60).id, "YT9000000000002", "NO_INFO", []);
    apply(ship("C", "YT9000000000003", 30).id, "YT9000000000003", "DELIVERY_FAILED", [[3, "无人签收"]]);
    apply(ship("D", "YT9000000000004", 20).id, "YT9000000000004", "IN_TRANSIT", [[2, "moving"]]);
    const late = await t.run("/late", "tg:viewer");
    const lines = late.reply.text.split("\n");
    expect(lines[0]).toBe("Late parcels (3), oldest problem first:");
    expect(lines[1]).toContain("YT9000000000001");
    expect(lines[1]).toContain("no scan for 70 h");
    expect(lines[2]).toContain("YT9000000000002");
    expect(lines[2]).toContain("no pickup 60 h after shipping");
    expect(lines[3]).toContain("YT9000000000003");
    expect(late.reply.text).not.toContain("YT9000000000004");
  });

  it("/carriers returns a table, a PNG chart and a costed recommendation", async () => {
    const t = await radarHarness({ radar: { minSample: 10, carrierCosts: { shunfeng: 1200, yuantong: 500 } } });
    cleanups.push(() => t.close());
    const now = t.clock.now().getTime();
    const deliver = (carrier: string, i: number, transitH: number, region: string) => {
      const no = `${carrier === "shunfeng" ? "SF" : "YT"}${String(1_000_000_000_000 + i)}`;
      const { shipment } = t.ledger.shipments.recordShipment({
        orderRef: `R${i}`,
        carrier: asCourierCode(carrier),
        trackingNo: no,
        shippedAt: new Date(now - (transitH + 30) * H),
        destination: { region },
      });
      t.ledger.shipments.applyTracking(
        shipment.id,
        {
          carrier: asCourierCode(carrier),
          trackingNo: no,
          status: "DELIVERED",
          providerStatus: "3",
          events: [
            {
              occurredAt: new Date(now - (transitH + 20) * H),
              status: "PICKED_UP",
              providerCode: "103",
              description: "揽收",
            },
            { occurredAt: new Date(now - 20 * H), status: "DELIVERED", providerCode: "301", description: "签收" },
          ],
        },
        { source: "test" },
      );
    };
    for (let i = 0; i < 20; i++) deliver("shunfeng", i, 24 + (i % 5), "广东");
    for (let i = 20; i < 60; i++) deliver("yuantong", i, 60 + (i % 10), "广东");
    for (let i = 60; i < 65; i++) deliver("yuantong", i, 40, "浙江");
    const res = await t.run("/carriers", "tg:viewer");
    expect(res.outcome).toBe("ok");
    expect(res.reply.text).toContain("广东 · yuantong: 40 parcels, 40 delivered, p50 64h, p90 68h");
    expect(res.reply.text).toContain("广东 · shunfeng: 20 parcels, 20 delivered, p50 26h, p90 28h");
    expect(res.reply.text).toContain("广东: shunfeng is faster than yuantong (p90 28 h vs 68 h");
    expect(res.reply.text).toContain("Cost +¥7.00/parcel, +¥280.00 over 40 parcels");
    const png = res.reply.image!.png;
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.length).toBeGreaterThan(5_000);
    const zj = await t.run("/carriers 浙江", "tg:viewer");
    expect(zj.reply.text).toContain("浙江 · yuantong: 5 parcels");
    expect(zj.reply.text).not.toContain("广东");
  });
});
