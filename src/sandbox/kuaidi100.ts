import { detectCarrierLocally, toKuaidi100 } from "../couriers/carrier-codes.js";
import { kuaidi100PushSign, kuaidi100QuerySign } from "../couriers/kuaidi100.js";
import { formatBeijingTime } from "../couriers/time.js";
import { json, type SimServer, startSimServer } from "./courier-http.js";

/** One scan in the simulator: time, text and the resultv2=4 status code. */
export interface SimKuaidi100Scan {
  at: Date;
  context: string;
  statusCode: string;
  areaName?: string;
}

interface SimParcel {
  com: string;
  num: string;
  /** Newest first, like Kuaidi100. */
  scans: SimKuaidi100Scan[];
  state: string;
  queries: number[];
  /** What a locked number keeps answering (Kuaidi100 freezes data after 48 queries in 24 h). */
  frozen?: SimKuaidi100Scan[];
}

interface Subscription {
  callbackurl: string;
  salt: string | undefined;
  count: number;
}

/** Options of the Kuaidi100 simulator. */
export interface Kuaidi100SimOptions {
  customer: string;
  key: string;
  /** Queries per number per 24 h before the number is locked (real: 48). */
  lockAfter?: number;
  /** Total queries per day before returnCode 601 (no quota). */
  dailyQueryCap?: number;
  /** Simulator clock (ms); tests pass their manual clock. */
  now?: () => number;
}

/** The Kuaidi100 simulator: query (signed), subscribe, autonumber, and signed pushes to the subscriber. */
export interface Kuaidi100Sim extends SimServer {
  /** Adds a scan to a parcel (creating it); `state` becomes the scan's status code. */
  addScan(com: string, num: string, scan: SimKuaidi100Scan): void;
  /** Subscriptions by "com:num". */
  subscriptions: Map<string, Subscription>;
  /** Builds the exact form body of a push for a parcel (param + sign with the subscriber's salt). */
  pushBody(com: string, num: string, opts?: { status?: string; message?: string; salt?: string }): string;
  /** POSTs a push to the parcel's subscription callback; returns the HTTP status and body we answered. */
  push(
    com: string,
    num: string,
    opts?: { status?: string; message?: string; salt?: string },
  ): Promise<{ status: number; body: string }>;
  /** Queries answered per number. */
  queryCount(num: string): number;
}

const PHONE_CARRIERS = new Set(["shunfeng", "shunfengkuaiyun", "zhongtong"]);

/** Starts the Kuaidi100 simulator on a local port. */
export async function startKuaidi100Sim(opts: Kuaidi100SimOptions): Promise<Kuaidi100Sim> {
  const parcels = new Map<string, SimParcel>();
  const subscriptions = new Map<string, Subscription>();
  const now = opts.now ?? Date.now;
  const lockAfter = opts.lockAfter ?? 48;
  const dayQueries: number[] = [];
  const key = (com: string, num: string) => `${com}:${num}`;

  const resultOf = (p: SimParcel, scans: SimKuaidi100Scan[]) => ({
    message: "ok",
    nu: p.num,
    ischeck: p.state.startsWith("3") ? "1" : "0",
    condition: "F00",
    com: p.com,
    status: "200",
    state: scans[0]?.statusCode ?? p.state,
    data: scans.map((s) => ({
      time: formatBeijingTime(s.at),
      ftime: formatBeijingTime(s.at),
      context: s.context,
      location: "",
      areaName: s.areaName ?? null,
      status: "",
      statusCode: s.statusCode,
    })),
  });

  const pushBody = (com: string, num: string, o: { status?: string; message?: string; salt?: string } = {}) => {
    const p = parcels.get(key(com, num));
    if (!p) throw new Error(`simulator has no parcel ${com}:${num}`);
    const param = JSON.stringify({
      status: o.status ?? (p.state.startsWith("3") ? "shutdown" : "polling"),
      billstatus: "got",
      message: o.message ?? "",
      autoCheck: "0",
      comOld: "",
      comNew: "",
      lastResult: resultOf(p, p.scans),
    });
    const salt = o.salt ?? subscriptions.get(key(com, num))?.salt ?? "";
    return new URLSearchParams({ param, sign: kuaidi100PushSign(param, salt) }).toString();
  };

  const server = await startSimServer((req, url) => {
    const form = new URLSearchParams(req.body);
    if (url.pathname === "/poll/query.do") {
      const param = form.get("param") ?? "";
      if (form.get("customer") !== opts.customer)
        return json({ result: false, returnCode: "400", message: "找不到对应公司" });
      if (form.get("sign") !== kuaidi100QuerySign(param, opts.key, opts.customer))
        return json({ result: false, returnCode: "503", message: "验证签名失败" });
      const q = JSON.parse(param) as { com: string; num: string; phone?: string };
      const t = now();
      while ((dayQueries[0] ?? Number.POSITIVE_INFINITY) <= t - 86_400_000) dayQueries.shift();
      if (opts.dailyQueryCap !== undefined && dayQueries.length >= opts.dailyQueryCap)
        return json({ result: false, returnCode: "601", message: "没有可用单量" });
      dayQueries.push(t);
      if (PHONE_CARRIERS.has(q.com) && !q.phone)
        return json({ result: false, returnCode: "408", message: "验证码错误" });
      const p = parcels.get(key(q.com, q.num));
      if (!p) return json({ result: false, returnCode: "500", message: "查询无结果，请隔段时间再查" });
      p.queries = p.queries.filter((x) => x > t - 86_400_000);
      p.queries.push(t);
      if (p.queries.length > lockAfter && !p.frozen) p.frozen = [...p.scans];
      if (p.queries.length <= lockAfter) delete p.frozen;
      return json(resultOf(p, p.frozen ?? p.scans));
    }
    if (url.pathname === "/poll") {
      const raw = JSON.parse(form.get("param") ?? "{}") as {
        company: string;
        number: string;
        key: string;
        parameters?: { callbackurl?: string; salt?: string };
      };
      if (raw.key !== opts.key) return json({ result: false, returnCode: "600", message: "您不是合法的订阅者" });
      if (!raw.parameters?.callbackurl || !raw.number)
        return json({ result: false, returnCode: "700", message: "订阅数据错误" });
      const k = key(raw.company, raw.number);
      const existing = subscriptions.get(k);
      if (existing) {
        existing.count += 1;
        return json({ result: false, returnCode: "501", message: "重复订阅" });
      }
      subscriptions.set(k, { callbackurl: raw.parameters.callbackurl, salt: raw.parameters.salt, count: 1 });
      return json({ result: true, returnCode: "200", message: "提交成功" });
    }
    if (url.pathname === "/autonumber/auto") {
      if (url.searchParams.get("key") !== opts.key)
        return json({ result: false, returnCode: "701", message: "key缺失" });
      const num = url.searchParams.get("num") ?? "";
      const known = [...parcels.values()].filter((p) => p.num === num).map((p) => p.com);
      const guessed = detectCarrierLocally(num).map(toKuaidi100);
      const all = [...new Set([...known, ...guessed])];
      if (!all.length) return json({ result: false, returnCode: "201", message: "单号不符合规则" });
      return json(all.map((comCode) => ({ comCode, lengthPre: num.length, noPre: num.slice(0, 4), noCount: 1 })));
    }
    return json({ result: false, returnCode: "404", message: "not found" }, 404);
  });

  return {
    ...server,
    subscriptions,
    addScan(com, num, scan) {
      const k = key(com, num);
      const p = parcels.get(k) ?? { com, num, scans: [], state: "0", queries: [] };
      p.scans.unshift(scan);
      p.scans.sort((a, b) => b.at.getTime() - a.at.getTime());
      p.state = p.scans[0]?.statusCode ?? p.state;
      parcels.set(k, p);
    },
    pushBody,
    async push(com, num, o) {
      const sub = subscriptions.get(key(com, num));
      if (!sub) throw new Error(`no subscription for ${com}:${num}`);
      const res = await fetch(sub.callbackurl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: pushBody(com, num, o),
      });
      return { status: res.status, body: await res.text() };
    },
    queryCount: (num) => [...parcels.values()].filter((p) => p.num === num).reduce((n, p) => n + p.queries.length, 0),
  };
}
