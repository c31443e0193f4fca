import { kdniaoDataSign } from "../couriers/kdniao.js";
import { formatBeijingTime } from "../couriers/time.js";
import { json, type SimServer, startSimServer } from "./courier-http.js";

// Wire format as in Kdniao's official demo (KdApiSearchMonitorDemo.cs, wannvmi/Kdniao.Core official-demo) and
// shared/reference/couriers.md §4: a form POST of RequestData (URL-encoded JSON), EBusinessID, RequestType,
// DataSign = URL-encoded base64(lowercase hex MD5(RequestData + AppKey)) and DataType=2; JSON answers.

/** One scan in the simulator: time, text, and its 8001 detail code (`Action`, e.g. "201", "301"). */
export interface SimKdniaoScan {
  at: Date;
  station: string;
  action: string;
  location?: string;
}

interface SimWaybill {
  shipper: string;
  code: string;
  /** Oldest first, like Kdniao. */
  scans: SimKdniaoScan[];
  queries: number;
}

/** Options of the Kdniao simulator. */
export interface KdniaoSimOptions {
  businessId: string;
  appKey: string;
  /** Clock of push times (ms); tests pass their manual clock. */
  now?: () => number;
}

/** The Kdniao simulator: instant queries (1002/8001), subscription (1008/8008), detection (2002) and signed pushes. */
export interface KdniaoSim extends SimServer {
  /** Adds a scan to a waybill (creating it). */
  addScan(shipper: string, code: string, scan: SimKdniaoScan): void;
  /** Waybills subscribed with 1008/8008, as "ShipperCode:LogisticCode". */
  subscriptions: Set<string>;
  /** The exact form body of a push (RequestType 101) for a waybill; `appKey` signs it with another key. */
  pushBody(shipper: string, code: string, opts?: { appKey?: string }): string;
  /** POSTs a push to `url` (Kdniao's console holds the push URL, not the request); returns our answer. */
  push(
    url: string,
    shipper: string,
    code: string,
    opts?: { appKey?: string },
  ): Promise<{ status: number; body: string }>;
  /** Instant queries answered per waybill number. */
  queryCount(code: string): number;
}

/** Carriers whose waybills Kdniao answers only with the phone's last 4 digits (`CustomerName`). */
const PHONE_CARRIERS = new Set(["SF", "ZTO"]);

/** `State` 0–4 (1002) from an 8001 detail code (couriers.md §4.3). */
const stateOf = (action: string | undefined): string => (action ? action.slice(0, 1) : "0");

/** Starts the Kdniao simulator on a local port. */
export async function startKdniaoSim(opts: KdniaoSimOptions): Promise<KdniaoSim> {
  const waybills = new Map<string, SimWaybill>();
  const subscriptions = new Set<string>();
  const now = opts.now ?? Date.now;
  const key = (shipper: string, code: string) => `${shipper}:${code}`;

  /** The query-shaped result of one waybill; `isValueAdded` adds StateEx, Location and per-trace Action (8001). */
  const resultOf = (w: SimWaybill, isValueAdded: boolean) => {
    const newest = w.scans[w.scans.length - 1];
    return {
      EBusinessID: opts.businessId,
      OrderCode: "",
      ShipperCode: w.shipper,
      LogisticCode: w.code,
      Success: true,
      State: stateOf(newest?.action),
      ...(isValueAdded ? { StateEx: newest?.action ?? "0", Location: newest?.location ?? "" } : {}),
      Traces: w.scans.map((s) => ({
        AcceptTime: formatBeijingTime(s.at),
        AcceptStation: s.station,
        ...(isValueAdded ? { Location: s.location ?? "", Action: s.action } : {}),
      })),
    };
  };

  const failure = (reason: string, extra: Record<string, unknown> = {}) =>
    json({ EBusinessID: opts.businessId, Success: false, Reason: reason, ...extra });

  const server = await startSimServer((req, url) => {
    const isQuery = url.pathname === "/Ebusiness/EbusinessOrderHandle.aspx";
    if (req.method !== "POST" || (!isQuery && url.pathname !== "/api/dist"))
      return json({ Success: false, Reason: "not found" }, 404);
    // One URL-decoding, as the server does: a DataSign sent without encoding loses its '+' to spaces here.
    const form = new URLSearchParams(req.body);
    const requestData = form.get("RequestData");
    const requestType = form.get("RequestType");
    const sign = form.get("DataSign");
    if (!requestData || !requestType || !sign || !form.get("EBusinessID") || form.get("DataType") !== "2")
      return failure("缺少必要参数");
    if (form.get("EBusinessID") !== opts.businessId) return failure("用户ID不存在或未通过审核");
    if (sign !== kdniaoDataSign(requestData, opts.appKey)) return failure("非法参数[DataSign验证失败]");
    let data: { ShipperCode?: string; LogisticCode?: string; CustomerName?: string };
    try {
      data = JSON.parse(requestData) as typeof data;
    } catch {
      return failure("非法参数[RequestData格式错误]");
    }
    const code = data.LogisticCode ?? "";
    if (isQuery && requestType === "2002") {
      const found = [...waybills.values()].filter((w) => w.code === code);
      if (!found.length) return failure("未识别到快递公司", { LogisticCode: code, Shippers: [] });
      return json({
        EBusinessID: opts.businessId,
        LogisticCode: code,
        Success: true,
        Shippers: found.map((w) => ({ ShipperCode: w.shipper, ShipperName: w.shipper })),
      });
    }
    const shipper = data.ShipperCode ?? "";
    if (!shipper || !code) return failure("非法参数[ShipperCode或LogisticCode为空]");
    if (PHONE_CARRIERS.has(shipper) && !data.CustomerName)
      return failure("顺丰、中通单号需传入CustomerName（手机号后四位）", {
        ShipperCode: shipper,
        LogisticCode: code,
        State: "0",
      });
    if (!isQuery) {
      if (requestType !== "1008" && requestType !== "8008") return failure("RequestType错误");
      subscriptions.add(key(shipper, code));
      return json({
        EBusinessID: opts.businessId,
        UpdateTime: formatBeijingTime(new Date(now())),
        Success: true,
        Reason: "",
        EstimatedDeliveryTime: "",
      });
    }
    if (requestType !== "1002" && requestType !== "8001") return failure("RequestType错误");
    const w = waybills.get(key(shipper, code));
    if (!w?.scans.length)
      return json({
        EBusinessID: opts.businessId,
        ShipperCode: shipper,
        LogisticCode: code,
        Success: false,
        Reason: "暂无轨迹信息",
        State: "0",
        Traces: [],
      });
    w.queries += 1;
    return json(resultOf(w, requestType === "8001"));
  });

  const pushBody = (shipper: string, code: string, o: { appKey?: string } = {}) => {
    const w = waybills.get(key(shipper, code));
    if (!w) throw new Error(`simulator has no waybill ${shipper}:${code}`);
    const requestData = JSON.stringify({
      EBusinessID: opts.businessId,
      PushTime: formatBeijingTime(new Date(now())),
      Count: "1",
      Data: [resultOf(w, true)],
    });
    return new URLSearchParams({
      RequestData: requestData,
      EBusinessID: opts.businessId,
      RequestType: "101",
      DataSign: kdniaoDataSign(requestData, o.appKey ?? opts.appKey),
      DataType: "2",
    }).toString();
  };

  return {
    ...server,
    subscriptions,
    addScan(shipper, code, scan) {
      const k = key(shipper, code);
      const w = waybills.get(k) ?? { shipper, code, scans: [], queries: 0 };
      w.scans.push(scan);
      w.scans.sort((a, b) => a.at.getTime() - b.at.getTime());
      waybills.set(k, w);
    },
    pushBody,
    async push(url, shipper, code, o) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
        body: pushBody(shipper, code, o),
      });
      return { status: res.status, body: await res.text() };
    },
    queryCount: (code) => [...waybills.values()].filter((w) => w.code === code).reduce((n, w) => n + w.queries, 0),
  };
}
