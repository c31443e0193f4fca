import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { detectCarrierLocally, normalizeCarrier, toKdniao, toSeventeen } from "../src/couriers/carrier-codes.js";
import { kdniaoDataSign } from "../src/couriers/kdniao.js";
import { kuaidi100PushSign, kuaidi100QuerySign } from "../src/couriers/kuaidi100.js";
import { seventeenTrackSign } from "../src/couriers/seventeentrack.js";
import { mapProviderStatus } from "../src/couriers/status.js";
import { parseProviderTime } from "../src/couriers/time.js";
import { createLogger } from "../src/log.js";

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  });
  return { log: createLogger({ level: "warn", destination }), lines };
}

describe("canonical status model", () => {
  it("maps each provider's codes through its own table", () => {
    expect(mapProviderStatus("kuaidi100", "304", { fallback: "IN_TRANSIT" })).toMatchObject({
      status: "DELIVERED",
      subStatus: "LOCKER",
      isKnown: true,
    });
    expect(mapProviderStatus("kuaidi100", "14", { fallback: "IN_TRANSIT" }).status).toBe("REJECTED");
    expect(mapProviderStatus("kuaidi100", "204", { fallback: "IN_TRANSIT" }).status).toBe("DELIVERY_FAILED");
    expect(mapProviderStatus("17track", "Exception_Returning", { fallback: "IN_TRANSIT" }).status).toBe("RETURNING");
    expect(mapProviderStatus("17track", "DeliveryFailure_Rejected", { fallback: "IN_TRANSIT" }).status).toBe(
      "REJECTED",
    );
    expect(mapProviderStatus("kdniao", "407", { fallback: "IN_TRANSIT" }).status).toBe("RETURNING");
    expect(mapProviderStatus("kdniao", "211", { fallback: "IN_TRANSIT" }).status).toBe("AVAILABLE_FOR_PICKUP");
  });

  it("maps an unknown code to the safe fallback with a warning instead of throwing", () => {
    const { log, lines } = capturingLogger();
    expect(mapProviderStatus("17track", "Teleported_Other", { log, fallback: "IN_TRANSIT" })).toMatchObject({
      status: "IN_TRANSIT",
      isKnown: false,
    });
    expect(mapProviderStatus("kdniao", "999", { log, fallback: "IN_TRANSIT" }).status).toBe("IN_TRANSIT");
    // Kuaidi100 codes we have never seen fall back by family (3xx delivered, 2xx problem).
    expect(mapProviderStatus("kuaidi100", "305", { log, fallback: "IN_TRANSIT" })).toMatchObject({
      status: "DELIVERED",
      isKnown: false,
    });
    expect(lines.map((l) => [l.msg, l.providerCode])).toEqual([
      ["unknown courier status code", "Teleported_Other"],
      ["unknown courier status code", "999"],
      ["unknown courier status code", "305"],
    ]);
  });
});

describe("provider times", () => {
  it("reads offset-less times as Beijing time whatever the server zone", () => {
    expect(parseProviderTime("2026-03-02 18:47:03")?.toISOString()).toBe("2026-03-02T10:47:03.000Z");
    expect(parseProviderTime("2026/3/2 18:47")?.toISOString()).toBe("2026-03-02T10:47:00.000Z");
  });
  it("keeps an explicit offset or Z", () => {
    expect(parseProviderTime("2026-03-02T18:47:03+02:00")?.toISOString()).toBe("2026-03-02T16:47:03.000Z");
    expect(parseProviderTime("2026-03-02T18:47:03Z")?.toISOString()).toBe("2026-03-02T18:47:03.000Z");
  });
  it("returns undefined for text that is not a time", () => {
    expect(parseProviderTime("yesterday")).toBeUndefined();
    expect(parseProviderTime(null)).toBeUndefined();
  });
});

describe("signatures (shared/reference/couriers.md §9 vectors)", () => {
  it("signs a Kuaidi100 query as UPPER(MD5(param + key + customer))", () => {
    const param = '{"com":"zhongtong","num":"78000000000001","phone":"1234","resultv2":"4","show":"0","order":"desc"}';
    expect(kuaidi100QuerySign(param, "TESTKEY123", "TESTCUSTOMER0000000000000000ABCD")).toBe(
      "475225A0236A2E345D9D365BD92E1625",
    );
  });
  it("computes Kdniao DataSign as base64 of the hex digest (documented example)", () => {
    expect(
      kdniaoDataSign(
        "{'OrderCode':'','ShipperCode':'SF','LogisticCode':'118954907573'}",
        "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17",
      ),
    ).toBe("OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE=");
    expect(
      kdniaoDataSign(
        '{"OrderCode":"","ShipperCode":"ZTO","LogisticCode":"78000000000001","CustomerName":"1234"}',
        "00000000-1111-2222-3333-444444444444",
      ),
    ).toBe("YjMwMjgzZjk5M2RlYjZhMWYyYjE5MTUzMjBlNjRkMmI=");
  });
  it("signs a 17TRACK webhook as sha256(rawBody + '/' + key)", () => {
    const body = '{"event":"TRACKING_UPDATED","data":{"number":"RR123456789CN","carrier":3011,"tag":null}}';
    expect(seventeenTrackSign(body, "123456ABCDEF")).toBe(
      "45acb4a6f4a194a6ac1f0f712182c4e314b1ae9399941ea086987408f3166994",
    );
    expect(seventeenTrackSign(body.replace("3011", "3012"), "123456ABCDEF")).not.toBe(
      "45acb4a6f4a194a6ac1f0f712182c4e314b1ae9399941ea086987408f3166994",
    );
  });
  it("makes the Kuaidi100 push sign depend on the salt", () => {
    expect(kuaidi100PushSign("{}", "123")).not.toBe(kuaidi100PushSign("{}", ""));
  });
});

describe("carrier codes", () => {
  it("resolves what operators type and maps between providers", () => {
    expect(normalizeCarrier("SF")).toBe("shunfeng");
    expect(normalizeCarrier("顺丰")).toBe("shunfeng");
    expect(normalizeCarrier("J&T")).toBe("jtexpress");
    expect(normalizeCarrier("zto")).toBe("zhongtong");
    expect(toKdniao(normalizeCarrier("zto")!)).toBe("ZTO");
    expect(toSeventeen(normalizeCarrier("yto")!)).toBe(190157);
  });
  it("guesses carriers from number shapes", () => {
    expect(detectCarrierLocally("SF1234567890123")).toEqual(["shunfeng"]);
    expect(detectCarrierLocally("YT1234567890123")).toEqual(["yuantong"]);
    expect(detectCarrierLocally("1Z999AA10123456784")).toEqual(["ups"]);
    expect(detectCarrierLocally("hello")).toEqual([]);
  });
});
