import { seventeenTrackSign } from "../couriers/seventeentrack.js";
import { createRateMeter, json, type SimServer, startSimServer } from "./courier-http.js";

/** One scan in the simulator. */
export interface Sim17Event {
  at: Date;
  description: string;
  /** v2 sub-status of the event, e.g. "InTransit_Arrival". */
  subStatus?: string;
  stage?: string;
  location?: string;
}

interface SimNumber {
  number: string;
  carrier: number;
  isRegistered: boolean;
  /** Newest first, like 17TRACK. */
  events: Sim17Event[];
  latest: { status: string; sub_status: string };
}

/** Options of the 17TRACK simulator. */
export interface SeventeenTrackSimOptions {
  apiKey: string;
  /** Requests per second before HTTP 429 (real: 3). */
  ratePerSecond?: number;
  /** Registration quota (real free tier: 100 a month). */
  quota?: number;
  /** Where TRACKING_UPDATED webhooks go (the dashboard setting). */
  webhookUrl?: string;
  /** Clock the rate limit counts by (default real time); a test on a manual clock passes the same clock. */
  now?: () => number;
}

/** The 17TRACK v2 simulator: register / gettrackinfo (≤40, quota, rate limit) and signed webhooks. */
export interface SeventeenTrackSim extends SimServer {
  /** API root to configure as `apiBase` (version included). */
  apiBase: string;
  /** Adds a scan (creating the number if needed); `status` / `subStatus` become the latest status. */
  addEvent(number: string, event: Sim17Event, latest?: { status: string; subStatus: string }): void;
  /** Registers numbers directly (as if done earlier), without using the rate limit. */
  preRegister(numbers: string[], carrier?: number): void;
  /** Sends a signed TRACKING_UPDATED webhook for a number; returns our HTTP status. Pass `key` to sign with a wrong key. */
  webhook(number: string, opts?: { key?: string; url?: string }): Promise<{ status: number; body: string }>;
  /** The exact webhook body and its sign, for tests that post it themselves. */
  webhookPayload(number: string, key?: string): { body: string; sign: string };
  calls(endpoint: string): number;
  readonly maxPerSecond: number;
  readonly throttled: number;
  readonly quotaUsed: number;
}

/** Starts the 17TRACK simulator on a local port. */
export async function startSeventeenTrackSim(opts: SeventeenTrackSimOptions): Promise<SeventeenTrackSim> {
  const numbers = new Map<string, SimNumber>();
  const meter = createRateMeter(opts.ratePerSecond ?? 3);
  const quota = opts.quota ?? 100;
  let quotaUsed = 0;
  const counts = new Map<string, number>();

  const get = (n: string, carrier = 0): SimNumber => {
    let x = numbers.get(n);
    if (!x) {
      x = {
        number: n,
        carrier,
        isRegistered: false,
        events: [],
        latest: { status: "NotFound", sub_status: "NotFound_Other" },
      };
      numbers.set(n, x);
    }
    return x;
  };

  const trackInfo = (x: SimNumber) => ({
    number: x.number,
    carrier: x.carrier,
    param: null,
    tag: null,
    track_info: {
      shipping_info: { shipper_address: {}, recipient_address: {} },
      latest_status: { ...x.latest, sub_status_descr: null },
      latest_event: x.events[0] ? eventOf(x.events[0]) : null,
      time_metrics: {},
      milestone: [],
      misc_info: {},
      tracking: {
        providers_hash: 1,
        providers: [
          {
            provider: { key: x.carrier, name: "sim" },
            latest_sync_status: "Success",
            events_hash: x.events.length,
            events: x.events.map(eventOf),
          },
        ],
      },
    },
  });

  const server = await startSimServer((req, url) => {
    const endpoint = url.pathname.replace(/^\/track\/v2\.\d\//, "");
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
    if (!meter.admit(opts.now ? opts.now() : req.at)) return json({ code: 429, data: null }, 429);
    if (req.headers["17token"] !== opts.apiKey)
      return json({ code: -18010002, data: { errors: [{ code: -18010002, message: "invalid security key" }] } }, 401);
    let items: { number: string; carrier?: number }[];
    try {
      items = JSON.parse(req.body) as typeof items;
    } catch {
      return json({ code: -18010013, data: null });
    }
    if (!Array.isArray(items)) return json({ code: -18010013, data: null });
    if (items.length > 40) return json({ code: -18010014, data: null });
    const accepted: unknown[] = [];
    const rejected: unknown[] = [];
    const reject = (number: string, code: number, message: string) =>
      rejected.push({ number, error: { code, message } });
    if (endpoint === "register") {
      for (const i of items) {
        const x = get(i.number, i.carrier ?? 0);
        if (x.isRegistered) reject(i.number, -18019901, "already registered");
        else if (quotaUsed >= quota) reject(i.number, -18019908, "quota exhausted");
        else {
          x.isRegistered = true;
          if (i.carrier) x.carrier = i.carrier;
          quotaUsed += 1;
          accepted.push({ origin: 1, number: i.number, carrier: x.carrier });
        }
      }
      return json({ code: 0, data: { accepted, rejected } });
    }
    if (endpoint === "gettrackinfo") {
      for (const i of items) {
        const x = numbers.get(i.number);
        if (!x?.isRegistered) reject(i.number, -18019902, "not registered");
        else accepted.push(trackInfo(x));
      }
      return json({ code: 0, data: { accepted, rejected } });
    }
    return json({ code: -18010010, data: null }, 404);
  });

  const webhookPayload = (number: string, key = opts.apiKey) => {
    const x = numbers.get(number);
    if (!x) throw new Error(`simulator has no number ${number}`);
    const body = JSON.stringify({ event: "TRACKING_UPDATED", data: trackInfo(x) });
    return { body, sign: seventeenTrackSign(body, key) };
  };

  return {
    ...server,
    apiBase: `${server.url}/track/v2.2`,
    addEvent(number, event, latest) {
      const x = get(number);
      x.events.unshift(event);
      x.events.sort((a, b) => b.at.getTime() - a.at.getTime());
      if (latest) x.latest = { status: latest.status, sub_status: latest.subStatus };
      else if (event.subStatus)
        x.latest = { status: event.subStatus.split("_")[0] ?? event.subStatus, sub_status: event.subStatus };
    },
    preRegister(list, carrier = 0) {
      for (const n of list) {
        const x = get(n, carrier);
        if (!x.isRegistered) quotaUsed += 1;
        x.isRegistered = true;
      }
    },
    webhookPayload,
    async webhook(number, o = {}) {
      const url = o.url ?? opts.webhookUrl;
      if (!url) throw new Error("no webhook URL configured");
      const { body, sign } = webhookPayload(number, o.key);
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", sign }, body });
      return { status: res.status, body: await res.text() };
    },
    calls: (endpoint) => counts.get(endpoint) ?? 0,
    get maxPerSecond() {
      return meter.maxPerSecond;
    },
    get throttled() {
      return meter.throttled;
    },
    get quotaUsed() {
      return quotaUsed;
    },
  };
}

function eventOf(e: Sim17Event) {
  return {
    time_iso: new Date(e.at.getTime() + 8 * 3_600_000)
      .toISOString()
      .replace("Z", "+08:00")
      .replace(/\.\d{3}/, ""),
    time_utc: e.at.toISOString().replace(/\.\d{3}/, ""),
    time_raw: { date: null, time: null, timezone: null },
    description: e.description,
    description_translation: null,
    location: e.location ?? null,
    stage: e.stage ?? null,
    sub_status: e.subStatus ?? null,
    address: {},
  };
}
