// The courier check against a Kdniao simulator (issue 17 item 7). Wire format from Kdniao's official demo
// KdApiSearchMonitorDemo.cs (wannvmi/Kdniao.Core official-demo, RequestType 8001): form POST of RequestData (URL-encoded
// JSON), EBusinessID, RequestType, DataSign = UrlEncode(base64(md5hex(RequestData + AppKey))), DataType=2; answers
// with Success, Reason, State, StateEx, Location and Traces[{AcceptTime, AcceptStation, Location, Action}] oldest first.
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../src/clock.js";
import { kdniaoDataSign } from "../src/couriers/kdniao.js";
import { asCourierCode } from "../src/ids.js";
import { createRateLimiter, runCourierCheck } from "../src/radar/check.js";
import { startKdniaoSim } from "../src/sandbox/kdniao.js";
import { startKuaidi100Sim } from "../src/sandbox/kuaidi100.js";
import { startSeventeenTrackSim } from "../src/sandbox/seventeentrack.js";
import { steppingSleep } from "./support/clock.js";
import { radarHarness } from "./support/radar.js";

const H = 3_600_000;
const BUSINESS_ID = "1237100";
const APP_KEY = "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17";

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

type Harness = Awaited<ReturnType<typeof radarHarness>>;

const check = (t: Harness) => {
  const limiterClock = manualClock();
  const sleep = steppingSleep(limiterClock);
  const limiters = new Map(
    t.deps.couriers
      .list()
      .map((a) => [a.kind, createRateLimiter(a.limits.ratePerSecond, { clock: limiterClock, sleep })]),
  );
  return runCourierCheck(t.deps, { signal: new AbortController().signal, limiters });
};

async function withKdniao(courier: Record<string, unknown> = {}) {
  const sim = await startKdniaoSim({ businessId: BUSINESS_ID, appKey: APP_KEY });
  const t = await radarHarness(
    { couriers: [{ kind: "kdniao", businessId: BUSINESS_ID, apiKey: APP_KEY, apiBase: sim.url, ...courier }] },
    { http: true },
  );
  cleanups.push(
    () => sim.close(),
    () => t.close(),
  );
  return { t, sim };
}

describe("Kdniao simulator (official demo wire format)", () => {
  it("subscribes (1008) and queries (8001) with a DataSign the simulator verifies, and raises one stalled alert", async () => {
    const { t, sim } = await withKdniao();
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "K-1",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT9234567890123",
      shippedAt: new Date(now - 56 * H),
    });
    sim.addScan("YTO", "YT9234567890123", { at: new Date(now - 54 * H), station: "【广州市】已揽收", action: "1" });
    sim.addScan("YTO", "YT9234567890123", {
      at: new Date(now - 37 * H),
      station: "【广州转运中心】已发出",
      action: "204",
      location: "广州市",
    });
    const r = await check(t);
    expect(r.calls.kdniao).toBe(2);
    expect(sim.subscriptions.has("YTO:YT9234567890123")).toBe(true);
    const query = sim.requests.find((q) => q.path === "/Ebusiness/EbusinessOrderHandle.aspx")!;
    const form = new URLSearchParams(query.body);
    expect(Object.fromEntries(form)).toMatchObject({ EBusinessID: BUSINESS_ID, RequestType: "8001", DataType: "2" });
    expect(JSON.parse(form.get("RequestData")!)).toEqual({
      OrderCode: "",
      ShipperCode: "YTO",
      LogisticCode: "YT9234567890123",
    });
    // On the wire the base64 sign is URL-encoded once ('=' → %3D), as UrlEncode does in the demo.
    expect(query.body).toContain(`DataSign=${encodeURIComponent(kdniaoDataSign(form.get("RequestData")!, APP_KEY))}`);
    const [s] = t.ledger.shipments.findShipments("K-1");
    expect(s).toMatchObject({ status: "IN_TRANSIT", lastEventAt: new Date(now - 37 * H).toISOString() });
    expect(t.ledger.alerts.liveAlerts().filter((a) => a.kind === "parcel_stalled")).toHaveLength(1);
    await check(t);
    expect(t.ledger.alerts.liveAlerts().filter((a) => a.kind === "parcel_stalled")).toHaveLength(1);
  });

  it("a wrong AppKey gets Kdniao's failure answer; the parcel is marked stale, never updated", async () => {
    const { t, sim } = await withKdniao({ apiKey: "00000000-1111-2222-3333-444444444444", push: false });
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "K-2",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT9234567890124",
      shippedAt: new Date(now - 60 * H),
    });
    sim.addScan("YTO", "YT9234567890124", { at: new Date(now - 40 * H), station: "已发出", action: "2" });
    const r = await check(t);
    expect(r.problems.join("\n")).toContain("Kdniao refused");
    expect(sim.requests).toHaveLength(1);
    expect(sim.queryCount("YT9234567890124")).toBe(0);
    t.clock.advance(13 * H);
    await check(t);
    expect(t.ledger.alerts.liveAlerts().map((a) => a.kind)).toContain("parcel_stale");
    expect(t.ledger.shipments.findShipments("K-2")[0]).toMatchObject({ lastEventAt: null });
  });

  it("asks SF parcels with the phone's last 4 digits, and a delivered waybill is never polled again", async () => {
    const { t, sim } = await withKdniao({ push: false });
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "K-3",
      carrier: asCourierCode("shunfeng"),
      trackingNo: "SF1234567890123",
      shippedAt: new Date(now - 20 * H),
      phone: "13800001234",
    });
    sim.addScan("SF", "SF1234567890123", { at: new Date(now - 18 * H), station: "顺丰速运 已收取快件", action: "1" });
    sim.addScan("SF", "SF1234567890123", { at: new Date(now - 2 * H), station: "已签收", action: "301" });
    await check(t);
    const form = new URLSearchParams(sim.requests[0]!.body);
    expect(JSON.parse(form.get("RequestData")!)).toMatchObject({ ShipperCode: "SF", CustomerName: "1234" });
    const [s] = t.ledger.shipments.findShipments("K-3");
    expect(s).toMatchObject({ status: "DELIVERED", nextCheckAt: null });
    t.clock.advance(30 * H);
    await check(t);
    expect(sim.queryCount("SF1234567890123")).toBe(1);
  });

  it("takes the simulator's signed 101 push once, refuses a wrongly signed one with Kdniao's reply shape", async () => {
    const { t, sim } = await withKdniao();
    const now = t.clock.now().getTime();
    t.ledger.shipments.recordShipment({
      orderRef: "K-4",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT9234567890125",
      shippedAt: new Date(now - 10 * H),
    });
    sim.addScan("YTO", "YT9234567890125", { at: new Date(now - 8 * H), station: "已揽收", action: "1" });
    sim.addScan("YTO", "YT9234567890125", { at: new Date(now - H), station: "派件中", action: "202" });
    const url = `${t.baseUrl}/couriers/kdniao/push`;
    const bad = await sim.push(url, "YTO", "YT9234567890125", { appKey: "wrong" });
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.body)).toMatchObject({ EBusinessID: BUSINESS_ID, Success: false });
    for (let i = 0; i < 2; i++) {
      const ok = await sim.push(url, "YTO", "YT9234567890125");
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ EBusinessID: BUSINESS_ID, Success: true, Reason: "" });
    }
    const n = t.ledger.db.prepare("SELECT COUNT(*) AS n FROM tracking_events").get() as { n: number };
    expect(n.n).toBe(2);
    expect(t.ledger.shipments.findShipments("K-4")[0]).toMatchObject({ status: "OUT_FOR_DELIVERY" });
  });
});

/** The same delivered parcel through each provider's simulator: found delivered, then never polled again. (17TRACK
 * registers numbers before it tracks them, so it runs with its usual registration.) */
const providers = [
  {
    name: "kuaidi100",
    async start(now: number) {
      const sim = await startKuaidi100Sim({ customer: "K100CUSTOMER0001", key: "K100-KEY-123456" });
      sim.addScan("yuantong", "YT7000000000001", { at: new Date(now - 2 * H), context: "已签收", statusCode: "301" });
      return {
        close: sim.close,
        courier: {
          kind: "kuaidi100",
          customer: "K100CUSTOMER0001",
          key: "K100-KEY-123456",
          apiBase: sim.url,
          push: false,
        },
        polls: () => sim.queryCount("YT7000000000001"),
      };
    },
  },
  {
    name: "17track",
    async start(now: number) {
      const sim = await startSeventeenTrackSim({ apiKey: "17KEY-abcdef", ratePerSecond: 100 });
      sim.addEvent(
        "YT7000000000001",
        { at: new Date(now - 2 * H), description: "Delivered", subStatus: "Delivered_Other" },
        { status: "Delivered", subStatus: "Delivered_Other" },
      );
      return {
        close: sim.close,
        courier: { kind: "17track", apiKey: "17KEY-abcdef", apiBase: sim.apiBase },
        polls: () => sim.calls("gettrackinfo"),
      };
    },
  },
  {
    name: "kdniao",
    async start(now: number) {
      const sim = await startKdniaoSim({ businessId: BUSINESS_ID, appKey: APP_KEY });
      sim.addScan("YTO", "YT7000000000001", { at: new Date(now - 2 * H), station: "已签收", action: "301" });
      return {
        close: sim.close,
        courier: { kind: "kdniao", businessId: BUSINESS_ID, apiKey: APP_KEY, apiBase: sim.url, push: false },
        polls: () => sim.queryCount("YT7000000000001"),
      };
    },
  },
];

describe.each(providers)("courier check against the $name simulator", (p) => {
  it("finds the parcel delivered and stops polling it", async () => {
    const start = Date.parse("2026-11-20T08:00:00Z");
    const sim = await p.start(start);
    const t = await radarHarness({ couriers: [sim.courier] });
    cleanups.push(
      () => sim.close(),
      () => t.close(),
    );
    t.ledger.shipments.recordShipment({
      orderRef: "P-1",
      carrier: asCourierCode("yuantong"),
      trackingNo: "YT7000000000001",
      shippedAt: new Date(start - 10 * H),
    });
    await check(t);
    const [s] = t.ledger.shipments.findShipments("P-1");
    expect(s).toMatchObject({ status: "DELIVERED", nextCheckAt: null });
    expect(s!.endedAt).not.toBeNull();
    const polls = sim.polls();
    t.clock.advance(30 * H);
    await check(t);
    expect(sim.polls()).toBe(polls);
  });
});
