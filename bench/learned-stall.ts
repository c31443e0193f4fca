import type { DeliveredScan } from "../src/radar/lane-store.js";
import { learnLanes, percentile } from "../src/radar/lanes.js";
import type { BenchSection } from "./types.js";

/** A small deterministic PRNG (mulberry32), so every run judges the same synthetic parcels. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Lanes of one carrier with their scan-gap shape (log-normal: median hours, spread). */
const LANES = [
  { to: "上海", name: "Zhejiang→Shanghai", medianH: 5, sigma: 0.6 },
  { to: "广东", name: "Zhejiang→Guangdong", medianH: 10, sigma: 0.6 },
  { to: "辽宁", name: "Zhejiang→Liaoning", medianH: 16, sigma: 0.6 },
  { to: "新疆", name: "Zhejiang→Xinjiang", medianH: 28, sigma: 0.6 },
] as const;
const GAPS_PER_PARCEL = 4;
const FIXED_H = 36;
const FLOOR_H = 12;

/**
 * False alarms of the stall rule with learned per-lane thresholds against the fixed `stalledHours` (36 h) on a
 * synthetic carrier: four lanes from a 5 h to a 28 h median gap. Each lane learns from 200 delivered parcels;
 * then 1,000 normal parcels per lane are judged (a false alarm: one of its gaps passes the threshold before the
 * next scan came), and the hours until a parcel that really stopped is flagged (the threshold itself).
 */
export const learnedStallBench: BenchSection = async ({ full }) => {
  const random = prng(18);
  const normal = () => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const gap = (l: (typeof LANES)[number]) => l.medianH * Math.exp(l.sigma * normal());
  const scans: DeliveredScan[] = [];
  let id = 0;
  const start = Date.parse("2026-10-01T00:00:00Z");
  for (const l of LANES)
    for (let p = 0; p < 200; p++) {
      id += 1;
      let at = start + p * 3_600_000;
      scans.push({
        shipmentId: id,
        destCountry: "CN",
        destRegion: l.to,
        occurredAt: new Date(at).toISOString(),
        place: "杭州市",
      });
      for (let g = 0; g < GAPS_PER_PARCEL; g++) {
        at += gap(l) * 3_600_000;
        const place = g === GAPS_PER_PARCEL - 1 ? `${l.to}` : "杭州转运中心";
        scans.push({
          shipmentId: id,
          destCountry: "CN",
          destRegion: l.to,
          occurredAt: new Date(at).toISOString(),
          place,
        });
      }
    }
  const learned = learnLanes("zhongtong", scans);
  const judged = full ? 10_000 : 1_000;
  let falseLearned = 0;
  let falseFixed = 0;
  let total = 0;
  const thresholds: number[] = [];
  for (const l of LANES) {
    const lane = [...learned.values()].find((x) => x.destination === l.to && x.origin === "浙江");
    const threshold = lane ? Math.max(FLOOR_H, Math.ceil(lane.p90Hours)) : FIXED_H;
    thresholds.push(threshold);
    for (let p = 0; p < judged; p++) {
      const gaps = Array.from({ length: GAPS_PER_PARCEL }, () => gap(l));
      total += 1;
      if (gaps.some((g) => g > threshold)) falseLearned += 1;
      if (gaps.some((g) => g > FIXED_H)) falseFixed += 1;
    }
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
  const meanLearned = thresholds.reduce((a, b) => a + b, 0) / thresholds.length;
  const perLane = LANES.map((l, i) => `${l.name} ${thresholds[i]} h`).join(", ");
  // The p90 is per gap: a parcel with four gaps raises a false alarm with about 1 − 0.9^4 ≈ 34 % on a lane whose
  // gaps are all like its p90; fast lanes gain detection time, slow lanes lose their false alarms.
  const slowest = LANES.length - 1;
  const slowLane = LANES[slowest];
  let slowFixed = 0;
  let slowLearned = 0;
  if (slowLane)
    for (let p = 0; p < judged; p++) {
      const gaps = Array.from({ length: GAPS_PER_PARCEL }, () => gap(slowLane));
      if (gaps.some((g) => g > FIXED_H)) slowFixed += 1;
      if (gaps.some((g) => g > (thresholds[slowest] ?? FIXED_H))) slowLearned += 1;
    }
  return [
    {
      figure: `stall alerts: false-alarm rate, ${LANES.length} lanes × ${judged} parcels (learned p90 vs fixed ${FIXED_H} h)`,
      value: pct(falseLearned),
      baseline: pct(falseFixed),
      ratio: falseFixed ? (falseLearned / falseFixed).toFixed(2) : "-",
      target: "report",
    },
    {
      figure: `stall alerts: false-alarm rate on the slowest lane (${slowLane?.name})`,
      value: `${((100 * slowLearned) / judged).toFixed(1)} %`,
      baseline: `${((100 * slowFixed) / judged).toFixed(1)} %`,
      ratio: slowFixed ? (slowLearned / slowFixed).toFixed(2) : "-",
      target: "fewer than fixed",
      isMet: slowLearned < slowFixed,
    },
    {
      figure: `stall alerts: hours until a stopped parcel is flagged, mean over lanes (${perLane})`,
      value: `${meanLearned.toFixed(1)} h`,
      baseline: `${FIXED_H} h`,
      ratio: (meanLearned / FIXED_H).toFixed(2),
      target: "report",
    },
    {
      figure: "stall alerts: p50 of learned thresholds",
      value: `${percentile(
        [...thresholds].sort((a, b) => a - b),
        50,
      )} h`,
      baseline: `${FIXED_H} h`,
      ratio: "-",
      target: "report",
    },
  ];
};
