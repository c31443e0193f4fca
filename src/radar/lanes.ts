import type { Stores } from "../stores.js";
import type { DeliveredScan } from "./lane-store.js";
import type { Shipment } from "./store.js";

/** China's provincial-level divisions: the Chinese short name and the English one. */
const PROVINCES: readonly (readonly [string, string])[] = [
  ["北京", "Beijing"],
  ["天津", "Tianjin"],
  ["河北", "Hebei"],
  ["山西", "Shanxi"],
  ["内蒙古", "Inner Mongolia"],
  ["辽宁", "Liaoning"],
  ["吉林", "Jilin"],
  ["黑龙江", "Heilongjiang"],
  ["上海", "Shanghai"],
  ["江苏", "Jiangsu"],
  ["浙江", "Zhejiang"],
  ["安徽", "Anhui"],
  ["福建", "Fujian"],
  ["江西", "Jiangxi"],
  ["山东", "Shandong"],
  ["河南", "Henan"],
  ["湖北", "Hubei"],
  ["湖南", "Hunan"],
  ["广东", "Guangdong"],
  ["广西", "Guangxi"],
  ["海南", "Hainan"],
  ["重庆", "Chongqing"],
  ["四川", "Sichuan"],
  ["贵州", "Guizhou"],
  ["云南", "Yunnan"],
  ["西藏", "Tibet"],
  ["陕西", "Shaanxi"],
  ["甘肃", "Gansu"],
  ["青海", "Qinghai"],
  ["宁夏", "Ningxia"],
  ["新疆", "Xinjiang"],
  ["台湾", "Taiwan"],
  ["香港", "Hong Kong"],
  ["澳门", "Macau"],
];

/** Cities that scan texts name without their province ("【杭州转运中心】"), with that province. */
const CITIES: Record<string, string> = {
  杭州: "浙江",
  宁波: "浙江",
  温州: "浙江",
  金华: "浙江",
  义乌: "浙江",
  绍兴: "浙江",
  嘉兴: "浙江",
  湖州: "浙江",
  台州: "浙江",
  广州: "广东",
  深圳: "广东",
  东莞: "广东",
  佛山: "广东",
  汕头: "广东",
  中山: "广东",
  惠州: "广东",
  揭阳: "广东",
  南京: "江苏",
  苏州: "江苏",
  无锡: "江苏",
  常州: "江苏",
  南通: "江苏",
  徐州: "江苏",
  沈阳: "辽宁",
  大连: "辽宁",
  鞍山: "辽宁",
  长春: "吉林",
  哈尔滨: "黑龙江",
  成都: "四川",
  武汉: "湖北",
  长沙: "湖南",
  郑州: "河南",
  济南: "山东",
  青岛: "山东",
  临沂: "山东",
  西安: "陕西",
  合肥: "安徽",
  福州: "福建",
  厦门: "福建",
  泉州: "福建",
  莆田: "福建",
  南昌: "江西",
  石家庄: "河北",
  保定: "河北",
  廊坊: "河北",
  太原: "山西",
  呼和浩特: "内蒙古",
  昆明: "云南",
  贵阳: "贵州",
  南宁: "广西",
  海口: "海南",
  兰州: "甘肃",
  西宁: "青海",
  银川: "宁夏",
  乌鲁木齐: "新疆",
  拉萨: "西藏",
};

const ENGLISH = new Map(PROVINCES.map(([zh, en]) => [zh, en]));

/** The province a place text names (Chinese or English, or one of its big cities), earliest mention first. */
export function provinceOf(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const lower = text.toLowerCase();
  let best: { at: number; province: string } | undefined;
  const consider = (at: number, province: string) => {
    if (at >= 0 && (!best || at < best.at)) best = { at, province };
  };
  for (const [zh, en] of PROVINCES) {
    consider(text.indexOf(zh), zh);
    consider(lower.indexOf(en.toLowerCase()), zh);
  }
  for (const [city, province] of Object.entries(CITIES)) consider(text.indexOf(city), province);
  return best?.province;
}

const isChina = (country: string | null | undefined): boolean =>
  !country || /^(cn|chn|china|中国)$/i.test(country.trim());

/** Where a parcel goes, as a lane end: its province, else (abroad) its country; undefined when unknown. */
export function destinationOf(
  d: { country?: string | null | undefined; region?: string | null | undefined },
  lastPlace?: string,
): string | undefined {
  const fromRegion = provinceOf(d.region);
  if (fromRegion) return fromRegion;
  if (!isChina(d.country)) return d.country?.trim().toUpperCase();
  return provinceOf(lastPlace) ?? (d.region?.trim() || undefined);
}

/** A lane: carrier × origin → destination; without both ends, the carrier alone. */
export interface Lane {
  carrier: string;
  origin?: string | undefined;
  destination?: string | undefined;
}

/** The lane's key: "zhongtong:浙江>辽宁", or "zhongtong" for the carrier alone. */
export const laneKey = (l: Lane): string =>
  l.origin && l.destination ? `${l.carrier}:${l.origin}>${l.destination}` : l.carrier;

/** "浙江→辽宁" / "Zhejiang→Liaoning"; the carrier alone reads "all lanes". */
export const laneName = (l: Lane): { byLocale: { en: string; "zh-CN": string } } =>
  l.origin && l.destination
    ? {
        byLocale: {
          en: `${ENGLISH.get(l.origin) ?? l.origin}→${ENGLISH.get(l.destination) ?? l.destination}`,
          "zh-CN": `${l.origin}→${l.destination}`,
        },
      }
    : { byLocale: { en: "all lanes", "zh-CN": "全部线路" } };

/** What the seller's own deliveries say about one lane. */
export interface LearnedLane extends Lane {
  parcels: number;
  /** p90 of the scan-to-scan gaps of its delivered parcels, in hours. */
  p90Hours: number;
}

/** Settings of the learned thresholds (config `radar.learnedStall`). */
export interface LaneSettings {
  enabled: boolean;
  /** Delivered parcels a lane needs before its own p90 replaces `alerts.stalledHours`. */
  minParcels: number;
  /** The learned threshold is never below this many hours. */
  floorHours: number;
  /** Delivered parcels of the last this many days are learned from. */
  windowDays: number;
}

/** The p-th percentile (0–100) of sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/**
 * Learns every lane of a carrier from its delivered parcels' scans: each parcel's lane (origin: the province of
 * its first scan that names one; destination: its order's province or country, else its last scan's province),
 * its scan-to-scan gaps, and per lane the p90 of all gaps. Parcels without both lane ends count for the carrier alone.
 */
export function learnLanes(carrier: string, scans: readonly DeliveredScan[]): Map<string, LearnedLane> {
  const byParcel = new Map<number, DeliveredScan[]>();
  for (const s of scans) {
    const list = byParcel.get(s.shipmentId) ?? [];
    list.push(s);
    byParcel.set(s.shipmentId, list);
  }
  const gaps = new Map<string, { lane: Lane; parcels: number; gaps: number[] }>();
  const add = (lane: Lane, parcelGaps: number[]) => {
    const key = laneKey(lane);
    const g = gaps.get(key) ?? { lane, parcels: 0, gaps: [] };
    g.parcels += 1;
    g.gaps.push(...parcelGaps);
    gaps.set(key, g);
  };
  for (const list of byParcel.values()) {
    if (list.length < 2) continue;
    const first = list[0];
    const last = list[list.length - 1];
    if (!first || !last) continue;
    const origin = list.map((s) => provinceOf(s.place)).find((p) => p !== undefined);
    const destination = destinationOf({ country: first.destCountry, region: first.destRegion }, last.place);
    const parcelGaps: number[] = [];
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1];
      const b = list[i];
      if (a && b) parcelGaps.push((Date.parse(b.occurredAt) - Date.parse(a.occurredAt)) / 3_600_000);
    }
    const lane: Lane = { carrier, origin, destination };
    add(lane, parcelGaps);
    // Every parcel also teaches the carrier-wide lane, which parcels of an unknown lane compare with.
    if (laneKey(lane) !== carrier) add({ carrier }, parcelGaps);
  }
  const out = new Map<string, LearnedLane>();
  for (const [key, g] of gaps) {
    const sorted = [...g.gaps].sort((x, y) => x - y);
    out.set(key, { ...g.lane, parcels: g.parcels, p90Hours: percentile(sorted, 90) });
  }
  return out;
}

/** The stall threshold for one parcel: learned from its lane, or the configured one. */
export interface StallThreshold {
  hours: number;
  lane: Lane;
  /** Set when the lane's own deliveries decided the threshold. */
  learned?: LearnedLane;
}

/**
 * The oldest delivery the learner reads at `now`: the UTC day boundary `windowDays` before it (a day boundary, so
 * one day's polls and pushes share what was learned). Retention keeps every delivered parcel's scans from here on.
 */
export function learnedWindowStart(now: Date, windowDays: number): Date {
  return new Date(`${new Date(now.getTime() - windowDays * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`);
}

type LaneStore = Pick<Stores["radarLanes"], "deliveredScans" | "firstPlaces">;

/** Learned lanes per store, per carrier and window start (a day), with the time they were learned. */
const learnedCache = new WeakMap<object, Map<string, { at: number; lanes: Map<string, LearnedLane> }>>();

/** Learned lanes are reused for an hour (ledger clock): a lane's p90 over weeks of parcels barely moves within one. */
const RELEARN_AFTER_MS = 3_600_000;

/**
 * Stall thresholds per parcel, learned per carrier × lane from the seller's own delivered parcels (at least
 * `minParcels` on the lane: the lane's p90 scan-to-scan gap, never below `floorHours`), else `stalledHours`.
 * A carrier's lanes are learned once and reused for an hour.
 */
export function createLaneModel(store: LaneStore, s: LaneSettings & { stalledHours: number }, now: Date) {
  const since = learnedWindowStart(now, s.windowDays).toISOString();
  let cache = learnedCache.get(store);
  if (!cache) {
    cache = new Map();
    learnedCache.set(store, cache);
  }
  const known = cache;
  const lanesOf = (carrier: string): Map<string, LearnedLane> => {
    const key = `${carrier}|${since}`;
    const hit = known.get(key);
    // Relearning on every evaluation would cost a full read per parcel while a backlog is ingested.
    const age = hit ? now.getTime() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && age >= 0 && age < RELEARN_AFTER_MS) return hit.lanes;
    const lanes = learnLanes(carrier, store.deliveredScans(carrier, since));
    known.set(key, { at: now.getTime(), lanes });
    return lanes;
  };
  return {
    /** The lane of an active parcel: origin from its first scans, destination from its order. */
    laneOf(p: Pick<Shipment, "id" | "carrier" | "destination">): Lane {
      const origin = store
        .firstPlaces(p.id)
        .map(provinceOf)
        .find((x) => x !== undefined);
      return { carrier: p.carrier, origin, destination: destinationOf(p.destination) };
    },
    /** The hours without a scan after which this parcel counts as stalled. */
    thresholdFor(p: Pick<Shipment, "id" | "carrier" | "destination">): StallThreshold {
      const lane = this.laneOf(p);
      if (!s.enabled) return { hours: s.stalledHours, lane };
      const learned = lanesOf(p.carrier).get(laneKey(lane));
      if (!learned || learned.parcels < s.minParcels) return { hours: s.stalledHours, lane };
      return { hours: Math.max(s.floorHours, Math.ceil(learned.p90Hours)), lane, learned };
    },
  };
}

/** A lane model: {@link createLaneModel}. */
export type LaneModel = ReturnType<typeof createLaneModel>;
