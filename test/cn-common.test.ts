import { describe, expect, it } from "vitest";
import {
  formatBeijing,
  nextWindow,
  parseBeijing,
  parseJsonKeepingBigInts,
  pddSign,
  readPagesBackwards,
  signBaseString,
  type TopSignMethod,
  topSign,
  yuanToFen,
} from "../src/channels/cn-common.js";

// Vectors from shared/reference/channels-cn.md §4 (T1/T2/P1 published by their sources; the rest
// computed independently with Node and Python and kept as regression fixtures).
const t1 = {
  method: "taobao.item.seller.get",
  app_key: "12345678",
  session: "test",
  timestamp: "2016-01-01 12:00:00",
  format: "json",
  v: "2.0",
  fields: "num_iid,title,nick,price,num",
  num_iid: "11223344",
};
const t2 = {
  method: "taobao.item.seller.get",
  app_key: "12345678",
  session: "test",
  timestamp: "2020-01-01 12:00:00",
  format: "json",
  v: "2.0",
};
const t7 = {
  method: "taobao.item.quantity.update",
  app_key: "12345678",
  session: "test",
  timestamp: "2016-01-01 12:00:00",
  format: "json",
  v: "2.0",
  simplify: "true",
  num_iid: "11223344",
  sku_id: "5566778899",
  quantity: "7",
  type: "1",
};

describe("TOP signature", () => {
  const vectors: {
    name: string;
    params: Record<string, string>;
    secret: string;
    method: TopSignMethod;
    sign: string;
  }[] = [
    { name: "T1", params: t1, secret: "helloworld", method: "md5", sign: "66987CB115214E59E6EC978214934FB8" },
    { name: "T2", params: t2, secret: "secret", method: "md5", sign: "A599E42DFE311554D1F1922126AC87E5" },
    { name: "T3", params: t1, secret: "helloworld", method: "hmac", sign: "D56D7858309C31B6251083A874D48273" },
    {
      name: "T4",
      params: t1,
      secret: "helloworld",
      method: "hmac-sha256",
      sign: "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8",
    },
    { name: "T5", params: t2, secret: "secret", method: "hmac", sign: "5C7B008810D0A3E416820839E3EF5434" },
    {
      name: "T6",
      params: t2,
      secret: "secret",
      method: "hmac-sha256",
      sign: "C59642E8789B0C6086E944BE83EEAD14702857718D4F521A715F2EAB7F0E6A81",
    },
    { name: "T7 md5", params: t7, secret: "helloworld", method: "md5", sign: "97BDF6E17D8F3081E1866CA8A9A1ECE1" },
    { name: "T7 hmac", params: t7, secret: "helloworld", method: "hmac", sign: "3B428FD16F30250297D364B993CFF940" },
    {
      name: "T7 hmac-sha256",
      params: t7,
      secret: "helloworld",
      method: "hmac-sha256",
      sign: "934D1762BDF790F5D746F91DB82ACC5B4CFAA7019F1D4110A7FB1D10CD217E88",
    },
  ];
  for (const v of vectors) {
    it(`matches vector ${v.name} (${v.method})`, () => {
      // sign_method is itself a signed parameter.
      expect(topSign({ ...v.params, sign_method: v.method }, v.secret, v.method)).toBe(v.sign);
    });
  }

  it("builds the documented concatenation (sorted, no separators, values raw)", () => {
    expect(signBaseString({ ...t1, sign_method: "md5" })).toBe(
      "app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0",
    );
    expect(signBaseString({ foobar: "4", foo_bar: "3", bar: "2", foo: "1" })).toBe("bar2foo1foo_bar3foobar4");
  });

  it("leaves out sign and empty parameters", () => {
    const base = topSign({ ...t2, sign_method: "md5" }, "secret", "md5");
    expect(topSign({ ...t2, sign_method: "md5", sign: "XYZ", partner_id: "", extra: undefined }, "secret", "md5")).toBe(
      base,
    );
  });
});

describe("Pinduoduo signature", () => {
  it("matches the official vector P1", () => {
    const p1 = {
      access_token: "asd78172s8ds9a921j9qqwda12312w1w21211",
      client_id: "1",
      data_type: "XML",
      order_status: "1",
      page: "1",
      page_size: "10",
      timestamp: "1480411125",
      type: "pdd.order.number.list.get",
    };
    expect(signBaseString(p1)).toBe(
      "access_tokenasd78172s8ds9a921j9qqwda12312w1w21211client_id1data_typeXMLorder_status1page1page_size10timestamp1480411125typepdd.order.number.list.get",
    );
    expect(pddSign(p1, "testSecret")).toBe("E4DE3ED21002510DED352819E7AE6775");
  });

  it("matches the stock-push vector P2", () => {
    const p2 = {
      access_token: "asd78172s8ds9a921j9qqwda12312w1w21211",
      client_id: "1",
      data_type: "JSON",
      goods_id: "123456789",
      quantity: "7",
      sku_id: "987654321",
      timestamp: "1480411125",
      type: "pdd.goods.quantity.update",
      update_type: "1",
    };
    expect(pddSign(p2, "testSecret")).toBe("D4F7354AA8BE60C3E663F23B97C9FA81");
  });
});

describe("Beijing time", () => {
  it("formats an instant in GMT+8 whatever the host time zone", () => {
    expect(formatBeijing(new Date("2015-12-31T20:30:05Z"))).toBe("2016-01-01 04:30:05");
  });
  it("parses provider times without offset as Beijing time", () => {
    expect(parseBeijing("2016-01-01 04:30:05")?.toISOString()).toBe("2015-12-31T20:30:05.000Z");
    expect(parseBeijing("01/01/2016")).toBeUndefined();
  });
});

describe("big-int safe JSON", () => {
  it("keeps 19-digit ids exact and leaves ordinary numbers and strings alone", () => {
    const text =
      '{"tid":4070218227612345678,"oid":-4070218227612345679,"num":3,"price":"12.00","fee":1234567890123456.5,"note":"id 4070218227612345678 \\" x","n":[12345678901234567]}';
    expect(parseJsonKeepingBigInts(text)).toEqual({
      tid: "4070218227612345678",
      oid: "-4070218227612345679",
      num: 3,
      price: "12.00",
      fee: 1234567890123456.5,
      note: 'id 4070218227612345678 " x',
      n: ["12345678901234567"],
    });
    // Plain JSON.parse would have rounded it:
    expect(String((JSON.parse(text) as { tid: number }).tid)).not.toBe("4070218227612345678");
  });
});

describe("yuanToFen", () => {
  it("converts decimal yuan strings to integer fen", () => {
    expect(yuanToFen("12.5")).toBe(1250);
    expect(yuanToFen("0.07")).toBe(7);
    expect(yuanToFen("199")).toBe(19900);
    expect(yuanToFen(19.9)).toBe(1990);
    expect(yuanToFen("abc")).toBeUndefined();
  });
});

describe("polling windows", () => {
  const rules = {
    maxSpanMs: 30 * 60_000,
    lagMs: 60_000,
    overlapMs: 60_000,
    defaultLookbackMs: 86_400_000,
    maxLookbackMs: 90 * 86_400_000,
  };
  const now = new Date("2026-11-20T08:00:00Z");

  it("caps a window at the allowed span and ends it behind now", () => {
    const w = nextWindow("2026-11-17T08:00:00.000Z", now, rules);
    expect(w.start.toISOString()).toBe("2026-11-17T07:59:00.000Z");
    expect(w.end.getTime() - w.start.getTime()).toBe(30 * 60_000);
    expect(w.isCaughtUp).toBe(false);
    const last = nextWindow("2026-11-20T07:58:30.000Z", now, rules);
    expect(last.end.toISOString()).toBe("2026-11-20T07:59:00.000Z");
    expect(last.isCaughtUp).toBe(true);
  });

  it("clips a cursor older than the API serves and says so", () => {
    const w = nextWindow("2026-01-01T00:00:00.000Z", now, rules);
    expect(w.isClipped).toBe(true);
    expect(now.getTime() - w.start.getTime()).toBeLessThan(rules.maxLookbackMs);
  });

  it("starts from the default look-back without a cursor", () => {
    const w = nextWindow(null, now, rules);
    expect(w.start.toISOString()).toBe("2026-11-19T07:59:00.000Z");
  });
});

describe("readPagesBackwards", () => {
  it("reads the last page first and page 1 again at the end", async () => {
    const asked: number[] = [];
    const rows = Array.from({ length: 7 }, (_, i) => i);
    const items = await readPagesBackwards(3, async (p) => {
      asked.push(p);
      return { items: rows.slice((p - 1) * 3, p * 3), total: rows.length };
    });
    expect(asked).toEqual([1, 3, 2, 1]);
    expect(new Set(items)).toEqual(new Set(rows));
  });
});
