import { afterEach, describe, expect, it } from "vitest";
import type { CanonicalStatus, SubStatus } from "../src/couriers/status.js";
import { renderRef } from "../src/i18n/ref.js";
import { createI18n } from "../src/i18n/translator.js";
import { asCourierCode } from "../src/ids.js";
import { runCourierCheck } from "../src/radar/check.js";
import { ingestTracking } from "../src/radar/ingest.js";
import { learnLanes, provinceOf } from "../src/radar/lanes.js";
import { radarHarness } from "./support/radar.js";

// Learned stall thresholds (issue 18 item 4): per carrier × lane from the seller's own delivered parcels. A lane
// with 12 delivered parcels uses its p90 scan-to-scan gap; a lane with 5 keeps alerts.stalledHours (36 h).
const H = 3_600_000;
const ZTO = asCourierCode("zhongtong");
const zh = createI18n({ timeZone: "Asia/Shanghai" }).translator("zh-CN");

type Harness = Awaited<ReturnType<typeof radarHarness>>;
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

let serial = 0;
/** One parcel with its scans (hours before now, oldest first) as a provider would report them. */
function parcel(
  t: Harness,
  o: {
    to: string;
    scans: { hoursAgo: number; place: string; status?: CanonicalStatus; subStatus?: SubStatus }[];
    status: CanonicalStatus;
    subStatus?: SubStatus;
  },
) {
  const now = t.clock.now().getTime();
  const trackingNo = `73${String(++serial).padStart(10, "0")}`;
  const { shipment } = t.ledger.shipments.recordShipment({
    orderRef: `O-${serial}`,
    carrier: ZTO,
    trackingNo,
    shippedAt: new Date(now - (o.scans[0]?.hoursAgo ?? 0) * H - H),
    destination: { region: o.to },
  });
  ingestTracking(
    t.deps,
    shipment,
    {
      carrier: ZTO,
      trackingNo,
      status: o.status,
      subStatus: o.subStatus,
      providerStatus: "test",
      events: o.scans.map((s, i) => ({
        occurredAt: new Date(now - s.hoursAgo * H),
        status: s.status ?? (i === 0 ? "PICKED_UP" : "IN_TRANSIT"),
        subStatus: s.subStatus,
        providerCode: String(i),
        description: `【${s.place}】${i === 0 ? "已揽收" : "已发出"}`,
      })),
    },
    { source: "test", isPoll: true },
  );
  return trackingNo;
}

/** A delivered parcel whose gaps are 6, 12, 20 and 30 h (p90 over many such parcels: 30 h), ending `endedAgo` h ago. */
const delivered = (t: Harness, to: string, endedAgo: number) => {
  const gaps = [6, 12, 20, 30];
  let at = endedAgo + gaps.reduce((a, b) => a + b, 0);
  const scans = [{ hoursAgo: at, place: "杭州市" }];
  for (const [i, g] of gaps.entries()) {
    at -= g;
    scans.push({ hoursAgo: at, place: i === gaps.length - 1 ? `${to}市` : "杭州转运中心" });
  }
  const last = scans[scans.length - 1];
  if (last) Object.assign(last, { status: "DELIVERED" });
  return parcel(t, { to, scans, status: "DELIVERED" });
};

async function radarWithHistory() {
  const t = await radarHarness({ alerts: { stalledHours: 36 } });
  cleanups.push(() => t.close());
  // 12 delivered parcels Zhejiang → Liaoning, 5 Zhejiang → Sichuan, all within the last weeks.
  for (let i = 0; i < 12; i++) delivered(t, "辽宁省", 24 * (i + 1));
  for (let i = 0; i < 5; i++) delivered(t, "四川省", 24 * (i + 1));
  return t;
}

const check = (t: Harness) => runCourierCheck(t.deps, { signal: new AbortController().signal });
const liveKinds = (t: Harness) => t.ledger.alerts.liveAlerts().map((a) => a.kind);

describe("learned stall thresholds (issue 18)", () => {
  it("a lane with 12 delivered parcels uses its learned p90 (30 h); one with 5 uses the configured 36 h", async () => {
    const t = await radarWithHistory();
    // Both in transit, last scan 32 h ago: past Liaoning's usual 30 h, within the configured 36 h.
    const toLiaoning = parcel(t, {
      to: "辽宁省",
      status: "IN_TRANSIT",
      scans: [
        { hoursAgo: 40, place: "杭州市" },
        { hoursAgo: 32, place: "杭州转运中心" },
      ],
    });
    const toSichuan = parcel(t, {
      to: "四川省",
      status: "IN_TRANSIT",
      scans: [
        { hoursAgo: 40, place: "杭州市" },
        { hoursAgo: 32, place: "杭州转运中心" },
      ],
    });
    await check(t);
    const stalled = t.ledger.alerts.liveAlerts().filter((a) => a.kind === "parcel_stalled");
    expect(stalled.map((a) => a.subject)).toEqual([`zhongtong:${toLiaoning}`]);
    expect(stalled[0]?.text).toContain(
      "ZTO Express Zhejiang→Liaoning usually scans within 30 h; this one has been 32 h",
    );
    expect(renderRef(zh, stalled[0]!.message!)).toContain("中通快递 浙江→辽宁 通常 30 小时内有扫描；这一件已 32 小时");

    // /late says what was usual, in the asker's language.
    const late = await t.run("/late");
    expect(late.reply.text).toContain(
      "ZTO Express Zhejiang→Liaoning usually scans within 30 h; this one has been 32 h",
    );
    expect(late.reply.text).not.toContain(toSichuan);

    // Five more hours: the Sichuan parcel passes the configured 36 h and gets the plain stalled text.
    t.clock.advance(5 * H);
    // (fresh data: a poll with nothing new keeps the parcel's tracking current)
    for (const no of [toSichuan]) {
      const s = t.ledger.shipments.findShipments(no)[0]!;
      ingestTracking(
        t.deps,
        s,
        { carrier: ZTO, trackingNo: no, status: "IN_TRANSIT", providerStatus: "test", events: [] },
        { source: "test", isPoll: true },
      );
    }
    const sichuan = t.ledger.alerts.liveAlerts().find((a) => a.subject === `zhongtong:${toSichuan}`);
    expect(sichuan?.kind).toBe("parcel_stalled");
    expect(sichuan?.text).toContain("No new scan for 37 h");
  });

  it("never goes below the floor, and 'label created, never scanned' and 'customs needs information' are their own cases", async () => {
    const t = await radarHarness({ alerts: { noPickupHours: 48 }, radar: { learnedStall: { floorHours: 24 } } });
    cleanups.push(() => t.close());
    // Gaps of 2 h on every parcel: p90 2 h, floored to 24 h.
    for (let i = 0; i < 10; i++)
      parcel(t, {
        to: "上海",
        status: "DELIVERED",
        scans: [
          { hoursAgo: 30 + i, place: "杭州市" },
          { hoursAgo: 28 + i, place: "嘉兴" },
          { hoursAgo: 26 + i, place: "上海市", status: "DELIVERED" },
        ],
      });
    const quiet = parcel(t, {
      to: "上海",
      status: "IN_TRANSIT",
      scans: [
        { hoursAgo: 30, place: "杭州市" },
        { hoursAgo: 20, place: "杭州转运中心" },
      ],
    });
    const label = parcel(t, { to: "上海", status: "INFO_RECEIVED", scans: [] });
    const customs = parcel(t, {
      to: "上海",
      status: "IN_TRANSIT",
      subStatus: "CUSTOMS_ACTION",
      scans: [
        { hoursAgo: 80, place: "杭州市" },
        { hoursAgo: 70, place: "上海海关", subStatus: "CUSTOMS_ACTION" },
      ],
    });
    t.clock.advance(49 * H);
    for (const no of [quiet, label, customs]) {
      const s = t.ledger.shipments.findShipments(no)[0]!;
      ingestTracking(
        t.deps,
        s,
        {
          carrier: ZTO,
          trackingNo: no,
          status: s.status,
          subStatus: s.subStatus as SubStatus | undefined,
          providerStatus: "test",
          events: [],
        },
        { source: "test", isPoll: true },
      );
    }
    const byParcel = new Map(t.ledger.alerts.liveAlerts().map((a) => [a.subject.split(":")[1], a]));
    // 69 h since the last scan, above the 24 h floor: stalled, with the usual threshold said.
    expect(byParcel.get(quiet)?.text).toContain("Zhejiang→Shanghai usually scans within 24 h; this one has been 69 h");
    expect(byParcel.get(label)?.kind).toBe("parcel_label_only");
    expect(byParcel.get(label)?.text).toContain("Label created 50 h ago but never scanned");
    expect(byParcel.get(customs)?.kind).toBe("parcel_customs_action");
    expect(byParcel.get(customs)?.text).toContain("Customs needs information since");
    expect(liveKinds(t)).not.toContain("parcel_no_pickup");
    const late = (await t.run("/late")).reply.text;
    expect(late).toContain("label created 50 h ago, never scanned");
    expect(late).toContain("customs needs information since");
  });

  it("finds a lane's ends in scan texts and orders (provinces, big cities, English names, countries)", () => {
    expect(provinceOf("【杭州转运中心】已发出")).toBe("浙江");
    expect(provinceOf("辽宁省沈阳市")).toBe("辽宁");
    expect(provinceOf("Zhejiang")).toBe("浙江");
    expect(provinceOf("unknown")).toBeUndefined();
    const lanes = learnLanes("zhongtong", [
      { shipmentId: 1, destCountry: "US", destRegion: "CA", occurredAt: "2026-11-01T00:00:00Z", place: "义乌市" },
      { shipmentId: 1, destCountry: "US", destRegion: "CA", occurredAt: "2026-11-02T00:00:00Z", place: "LA" },
      { shipmentId: 2, destCountry: null, destRegion: null, occurredAt: "2026-11-01T00:00:00Z", place: "somewhere" },
      { shipmentId: 2, destCountry: null, destRegion: null, occurredAt: "2026-11-01T10:00:00Z", place: "else" },
    ]);
    expect(lanes.get("zhongtong:浙江>US")).toMatchObject({ parcels: 1, p90Hours: 24 });
    // Parcels of an unknown lane, and every parcel besides, teach the carrier-wide lane.
    expect(lanes.get("zhongtong")).toMatchObject({ parcels: 2, p90Hours: 24 });
  });
});
