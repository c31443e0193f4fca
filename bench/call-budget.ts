import { createCallBudget } from "../src/budget/budget.js";
import { manualClock } from "../src/clock.js";
import { asChannelId, asSku } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import type { OutboxRow } from "../src/ledger/rows.js";
import { poissonTail } from "../src/policy/risk.js";
import { seededRandom } from "../src/sandbox/common.js";
import { openBenchLedger } from "./open.js";
import type { BenchSection } from "./types.js";

// Call budgets (issue 18 item 7) over the year replay's order stream: 1/50 of the year (20,000 orders over 5,000 SKUs,
// `--full`: 1,000,000 over 100,000), Poisson arrivals, a skewed SKU mix, restocks when a SKU sells out. One
// Pinduoduo-like channel pushes one call per changed SKU (maxBatch 1, as src/channels/pinduoduo.ts). The same stream
// runs twice: every change pushed at once, and through the real call budget (src/budget/budget.ts on a real SQLite
// ledger, manual clock) with a daily budget below what the stream would spend. The risk it cost is modelled with
// src/policy/risk.ts: while a change waits for T, the channel shows the old (higher) number, and an oversell needs
// more than the real available to sell in T: P = P(Poisson(V·T) > available), V the SKU's sales rate. The baseline
// pays the same for each push's own latency (Pinduoduo p95, 9 s × e^(1.645·0.5), as bench/risk-buffer.ts).

const YEAR_MS = 365 * 86_400_000;
const LOW_LINE = 3;
const PUSH_P95_MS = 9000 * Math.exp(1.645 * 0.5);
const START = "2026-01-01T00:00:00.000Z";

interface Order {
  at: number;
  sku: number;
  qty: number;
}

/** The year's orders, in time order; a SKU's weight is skewed (a few sell most). */
function orders(n: number, skus: number, seed: number): { list: Order[]; weights: number[] } {
  const rnd = seededRandom(seed);
  const raw = Array.from({ length: skus }, (_, i) => 1 / (i + 1) ** 0.8);
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w;
    cdf.push(acc);
  }
  const pick = (u: number): number => {
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] ?? 1) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const list: Order[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += (-Math.log(1 - rnd()) * YEAR_MS) / n;
    const u = rnd();
    list.push({ at, sku: pick(rnd()), qty: u < 0.8 ? 1 : u < 0.95 ? 2 : 3 });
  }
  return { list, weights };
}

interface Result {
  calls: number;
  deferredChanges: number;
  /** Expected oversold events (sum of P over every stale interval). */
  risk: number;
  /** Orders that arrived while their SKU's change waited. */
  ordersWhileWaiting: number;
  maxWaitMin: number;
}

/** Plays the stream; with `daily`, through the real call budget. */
function play(
  o: { list: Order[]; weights: number[] },
  skus: number,
  budget?: { daily: number; minChange: number; maxWaitMinutes: number; tightBelowPct: number },
): Result {
  const ratePerMs = (i: number): number => ((o.weights[i] ?? 0) * o.list.length * 1.25) / YEAR_MS;
  const stockRnd = seededRandom(7);
  const initial = Array.from({ length: skus }, () => 30 + Math.floor(stockRnd() * 70));
  const available = [...initial];
  const confirmed = [...initial];
  const clock = manualClock(START);
  const ledger = openBenchLedger(openDatabase(":memory:"), {
    clock,
    settings: { bufferUnits: 0, lowStockThreshold: LOW_LINE, lowStockAction: "cap", lowStockCap: 1 },
  });
  const gate = budget
    ? createCallBudget({
        channelId: "pdd",
        settings: budget,
        store: ledger.callBudgets,
        clock,
        timeZone: "Asia/Shanghai",
      })
    : undefined;
  const t0 = Date.parse(START);
  const pending = new Map<number, { firstAt: number; until: number }>();
  const r: Result = { calls: 0, deferredChanges: 0, risk: 0, ordersWhileWaiting: 0, maxWaitMin: 0 };
  const row = (i: number, firstAt: number): OutboxRow => ({
    channelId: asChannelId("pdd"),
    sku: asSku(`SKU-${i}`),
    listingId: i,
    ref: String(i),
    targetQty: available[i] ?? 0,
    isListed: true,
    version: 1,
    firstEnqueuedAt: new Date(t0 + firstAt).toISOString(),
    enqueuedAt: new Date(t0 + firstAt).toISOString(),
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    confirmedQty: confirmed[i] ?? 0,
    confirmedListed: true,
  });
  const push = (i: number, now: number, firstAt: number): void => {
    r.calls += 1;
    gate?.meter();
    const stale = now - firstAt;
    // While the channel still shows the old number (the wait, then the push's own latency), P(more than available sells).
    r.risk += poissonTail(ratePerMs(i) * (stale + PUSH_P95_MS), available[i] ?? 0);
    r.maxWaitMin = Math.max(r.maxWaitMin, stale / 60_000);
    confirmed[i] = available[i] ?? 0;
    pending.delete(i);
  };
  const consider = (i: number, now: number, firstAt: number): void => {
    clock.set(new Date(t0 + now));
    if (!gate) {
      push(i, now, firstAt);
      return;
    }
    const { go, wait } = gate.plan([row(i, firstAt)], { isFlash: () => false, lowLineOf: () => LOW_LINE });
    if (go.length) {
      push(i, now, firstAt);
      return;
    }
    const until = Date.parse(wait[0]?.until.toISOString() ?? START) - t0;
    if (!pending.has(i)) r.deferredChanges += 1;
    pending.set(i, { firstAt, until });
  };
  let nextWake = Number.POSITIVE_INFINITY;
  for (const ord of o.list) {
    // Wake every held change that fell due before this order, in time order (the engine's wake timer).
    while (nextWake <= ord.at) {
      let next: [number, { firstAt: number; until: number }] | undefined;
      for (const e of pending) if (!next || e[1].until < next[1].until) next = e;
      if (!next || next[1].until > ord.at) break;
      consider(next[0], next[1].until, next[1].firstAt);
      nextWake = Math.min(Number.POSITIVE_INFINITY, ...[...pending.values()].map((p) => p.until));
    }
    const i = ord.sku;
    if (pending.has(i)) r.ordersWhileWaiting += 1;
    available[i] = Math.max(0, (available[i] ?? 0) - ord.qty);
    // A sold-out SKU is restocked at once (a delivery): a change from zero, which always goes.
    const firstAt = pending.get(i)?.firstAt ?? ord.at;
    consider(i, ord.at, firstAt);
    if (available[i] === 0) {
      available[i] = initial[i] ?? 50;
      consider(i, ord.at, pending.get(i)?.firstAt ?? ord.at);
    }
    nextWake = Math.min(nextWake, pending.get(i)?.until ?? Number.POSITIVE_INFINITY);
  }
  ledger.db.close();
  return r;
}

/** Calls with and without a call budget over the year replay's orders, and the modelled oversell risk it cost. */
export const callBudgetBench: BenchSection = async ({ full, log }) => {
  const n = full ? 1_000_000 : 20_000;
  const skus = full ? 100_000 : 5_000;
  const o = orders(n, skus, 2026);
  const started = performance.now();
  const free = play(o, skus);
  // A daily budget at 90 % of what the stream spends per day without one: tight all day by the projected rate.
  const daily = Math.max(10, Math.round((free.calls / 365) * 0.9));
  const settings = { daily, minChange: 5, maxWaitMinutes: 60, tightBelowPct: 25 };
  const held = play(o, skus, settings);
  log(
    `call budget: ${n} orders, ${skus} SKUs: ${free.calls} calls without, ${held.calls} with daily ${daily}; ` +
      `${held.deferredChanges} changes waited (longest ${held.maxWaitMin.toFixed(0)} min), ${held.ordersWhileWaiting} orders while waiting; ` +
      `expected oversells ${held.risk.toExponential(2)} vs ${free.risk.toExponential(2)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const saved = free.calls - held.calls;
  return [
    {
      figure: `year replay push calls, call budget ${daily}/day (minChange 5, wait ≤ 60 min)`,
      value: String(held.calls),
      baseline: `${free.calls} (no budget)`,
      ratio: (held.calls / free.calls).toFixed(2),
      target: `saves calls (${saved} saved)`,
      isMet: held.calls < free.calls,
    },
    {
      figure: "year replay modelled oversells, Σ P(Poisson(V·T) > available) over stale intervals",
      value: held.risk.toExponential(2),
      baseline: `${free.risk.toExponential(2)} (no budget)`,
      ratio: free.risk > 0 ? (held.risk / free.risk).toFixed(1) : "-",
      target: "≤ 1.5× the no-budget risk",
      isMet: held.risk <= 1.5 * free.risk,
    },
  ];
};
