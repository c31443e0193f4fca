import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCallBudget, type UrgencyInputs } from "../src/budget/budget.js";
import type { Clock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { catalog } from "../src/i18n/catalog.js";
import { openDatabase } from "../src/ledger/db.js";
import type { OutboxRow } from "../src/ledger/rows.js";
import { type PddSandbox, startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { tempDir, testApp } from "./support/app.js";
import { manualTimers, steppingSleep } from "./support/clock.js";
import { sku, testLedger } from "./support/ledger.js";

// Call budgets (issue 18 item 7): a Pinduoduo channel with `callBudget`, run by the real app on a real SQLite file,
// against the Pinduoduo simulator on port 0, on a manual clock with manual timers. Every assertion on pushes reads what
// the simulator received.
const OPERATOR = "tg:7";
const START = "2026-11-20T08:00:00.000Z"; // 16:00 in Asia/Shanghai: the local day ends at 16:00 UTC.
const CLIENT_ID = "4b8e2c9d1f";
const SECRET = "pdd-client-secret-1";
const TOKEN = "a1b2c3d4e5-access-token";
const BUDGET = { daily: 10, minChange: 5, maxWaitMinutes: 30, tightBelowPct: 50 };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const goods = () => [
  { goodsId: "1001", goodsName: "Mug", isOnsale: true, skus: [{ skuId: "11", outerId: "MUG-1", quantity: 0 }] },
  { goodsId: "1002", goodsName: "Teapot", isOnsale: true, skus: [{ skuId: "21", outerId: "POT-1", quantity: 0 }] },
  { goodsId: "1003", goodsName: "Cup", isOnsale: true, skus: [{ skuId: "31", outerId: "CUP-1", quantity: 0 }] },
];
const REF: Record<string, string> = { "MUG-1": "1001:11", "POT-1": "1002:21", "CUP-1": "1003:31" };

/** The quantities the simulator was asked to set, in order, as `SKU=qty`. */
const updates = (pdd: PddSandbox): string[] =>
  pdd.requests
    .filter((r) => r.type === "pdd.goods.quantity.update")
    .map((r) => {
      const name = Object.keys(REF).find((k) => REF[k] === `${r.params.goods_id}:${r.params.sku_id}`);
      return `${name}=${r.params.quantity}`;
    });

/** The simulator reads the running app's manual clock (it checks each request's timestamp). */
const simClock: { current: Clock | undefined } = { current: undefined };
const simNow: Clock = { now: () => simClock.current?.now() ?? new Date(START) };

async function appOn(dbPath: string, pdd: PddSandbox, start: string, raw: Record<string, unknown> = {}) {
  let timers: ReturnType<typeof manualTimers> | undefined;
  const t = await testApp(
    {
      access: { operators: [OPERATOR] },
      channels: [
        {
          id: "pdd",
          kind: "pinduoduo",
          clientId: CLIENT_ID,
          clientSecret: SECRET,
          accessToken: TOKEN,
          apiBase: pdd.url,
          timeoutMs: 5_000,
          callBudget: BUDGET,
        },
      ],
      ...raw,
    },
    {
      start,
      db: () => openDatabase(dbPath),
      seams: (clock) => {
        timers = manualTimers(clock);
        return { sleep: steppingSleep(clock), timers };
      },
    },
  );
  simClock.current = t.clock;
  await t.app.start({ http: false, scheduler: false });
  if (!timers) throw new Error("no timers");
  return { ...t, timers };
}

async function setup() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const dbPath = join(dir, "ledger.db");
  const pdd = await startPinduoduoSandbox({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    accessToken: TOKEN,
    goods: goods(),
    clock: simNow,
  });
  cleanups.push(() => pdd.close());
  return { dbPath, pdd };
}

describe("call budgets (issue 18 item 7)", { timeout: 60_000 }, () => {
  it("counts every call per local day, holds and coalesces small changes while tight, lets urgent ones through, alerts once when out, and resets the next day", async () => {
    const { dbPath, pdd } = await setup();
    const t = await appOn(dbPath, pdd, START);
    cleanups.push(() => t.close());
    const d = t.app.deps;
    let n = 0;
    const sell = async (s: string, delta: number) => {
      d.ledger.stock.adjustOnHand(sku(s), delta, { actor: "test", idempotencyKey: `move-${n++}` });
      await d.sync.idle();
    };

    // Three first pushes (always urgent) and one small change while the budget is still loose: 4 of 10 calls.
    for (const [s, qty] of [
      ["MUG-1", 40],
      ["POT-1", 20],
      ["CUP-1", 10],
    ] as const) {
      d.ledger.stock.upsertSku({ sku: sku(s), onHand: qty }, { actor: "import", idempotencyKey: `import:${s}` });
      d.ledger.listings.linkListing({ channelId: "pdd", sku: sku(s), ref: REF[s] as string });
    }
    await d.sync.idle();
    await sell("MUG-1", -2);
    expect(updates(pdd).slice(0, 3).sort()).toEqual(["CUP-1=10", "MUG-1=40", "POT-1=20"]);
    expect(updates(pdd).slice(3)).toEqual(["MUG-1=38"]);
    // The count is per local day: 08:00 UTC is 16:00 on the 20th in Asia/Shanghai (the config's default time zone).
    expect(d.callBudgets.callsOn("pdd", "2026-11-20")).toBe(4);
    // Every call the simulator received is counted, nothing more.
    expect(d.callBudgets.callsOn("pdd", "2026-11-20")).toBe(pdd.requests.length);

    // Two more small changes bring the budget to 6/10: 40 % left, under tightBelowPct 50 → tight.
    await sell("POT-1", -1);
    await sell("MUG-1", -1);
    expect(d.sync.budgets()[0]).toMatchObject({ used: 6, daily: 10, isTight: true, isOut: false, deferred: 0 });

    // Tight: MUG 37 → 35 → 34 is small (3 < minChange 5) and far above the low-stock line (3 + 5): it waits, and the
    // second change coalesces into the same pending push.
    await sell("MUG-1", -2);
    await sell("MUG-1", -1);
    expect(updates(pdd).slice(6)).toEqual([]);
    expect(d.sync.budgets()[0]).toMatchObject({ used: 6, deferred: 1, oldestSince: "2026-11-20T08:00:00.000Z" });
    const status = await t.run("/sync status", OPERATOR, "s1");
    expect(status.reply.text).toContain(
      "pdd call budget: 6/10 calls today, tight: changes under 5 units wait up to 30 min",
    );
    expect(status.reply.text).toContain("1 changes waiting");

    // Urgent while tight: CUP 10 → 8 is small but lands near the low-stock line, so it goes at once.
    await sell("CUP-1", -2);
    expect(updates(pdd).slice(6)).toEqual(["CUP-1=8"]);
    // POT 19 → 16 waits; 16 → 12 makes the pending change 7 ≥ minChange, so it goes (one call for both).
    await sell("POT-1", -3);
    expect(updates(pdd).slice(7)).toEqual([]);
    await sell("POT-1", -4);
    expect(updates(pdd).slice(7)).toEqual(["POT-1=12"]);

    // After maxWaitMinutes from MUG's first unconfirmed change, the coalesced 34 goes in one call (not 35, then 34).
    await t.timers.advance(29 * 60_000);
    await d.sync.idle();
    expect(updates(pdd).slice(8)).toEqual([]);
    await t.timers.advance(60_000);
    await d.sync.idle();
    expect(updates(pdd).slice(8)).toEqual(["MUG-1=34"]);
    expect(d.sync.budgets()[0]).toMatchObject({ used: 9, deferred: 0 });

    // A change of minChange goes while tight; it spends the last call: out of budget, one alert.
    await sell("MUG-1", -5);
    expect(updates(pdd).slice(9)).toEqual(["MUG-1=29"]);
    expect(d.sync.budgets()[0]).toMatchObject({ used: 10, isOut: true });
    // Out: even a change of minChange waits (until the day ends); a change to zero still goes at once.
    await sell("MUG-1", -5);
    await sell("CUP-1", -8);
    expect(updates(pdd).slice(10)).toEqual(["CUP-1=0"]);
    await sell("POT-1", -2);
    expect(updates(pdd).slice(11)).toEqual([]);
    const outAlerts = d.ledger.alerts.liveAlerts().filter((a) => a.kind === "call_budget_out");
    expect(outAlerts).toHaveLength(1);
    expect(outAlerts[0]?.text).toContain("pdd has used today's call budget (10 of 10 calls)");
    expect(d.callBudgets.callsOn("pdd", "2026-11-20")).toBe(pdd.requests.length);
    const out = await t.run("/sync status", OPERATOR, "s2");
    expect(out.reply.text).toContain("11/10 calls today, used up: only urgent changes go until the day ends");
    expect(out.reply.text).toContain("2 changes waiting");

    // Restart on the same ledger file, still the same local day: the count survived, the held changes still wait.
    await t.app.stop();
    const t2 = await appOn(dbPath, pdd, "2026-11-20T15:00:00.000Z");
    cleanups.push(() => t2.close());
    const d2 = t2.app.deps;
    await d2.sync.idle();
    expect(updates(pdd).slice(11)).toEqual([]);
    expect(d2.sync.budgets()[0]).toMatchObject({ used: 11, isOut: true, deferred: 2 });
    // A new local day (00:00 in Shanghai = 16:00 UTC): a fresh budget, the held changes go, no new alert.
    await t2.timers.advance(61 * 60_000);
    await d2.sync.idle();
    expect(updates(pdd).slice(11).sort()).toEqual(["MUG-1=24", "POT-1=10"]);
    expect(d2.callBudgets.callsOn("pdd", "2026-11-21")).toBe(2);
    expect(d2.sync.budgets()[0]).toMatchObject({ day: "2026-11-21", used: 2, deferred: 0 });
    expect(d2.ledger.alerts.liveAlerts().filter((a) => a.kind === "call_budget_out")).toHaveLength(1);

    // /sync status in Chinese (per person, /lang). Two calls in the day's first hour already project past 10 a day.
    await t2.run("/lang zh-CN", OPERATOR, "l1");
    const zh = await t2.run("/sync status", OPERATOR, "s3");
    expect(zh.reply.text).toContain(
      "pdd 调用额度：今天 2/10 次，紧张：小于 5 件的变化最多等待 30 分钟 · 没有等待的变化",
    );
  });

  it("always lets flash-sale SKUs, delists and first pushes through, and waits only far above the low-stock line", () => {
    const ledger = testLedger({ start: START });
    cleanups.push(() => ledger.close());
    const budget = createCallBudget({
      channelId: "pdd",
      settings: BUDGET,
      store: ledger.callBudgets,
      clock: ledger.clock,
      timeZone: "Asia/Shanghai",
    });
    for (let i = 0; i < 8; i++) budget.meter();
    expect(budget.state()).toMatchObject({ used: 8, isTight: true, isOut: false });
    const row = (s: string, over: Partial<OutboxRow>): OutboxRow =>
      ({
        channelId: "pdd",
        sku: sku(s),
        listingId: 1,
        ref: "1:1",
        targetQty: 30,
        isListed: true,
        version: 1,
        firstEnqueuedAt: START,
        enqueuedAt: START,
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        confirmedQty: 32,
        confirmedListed: true,
        ...over,
      }) as OutboxRow;
    const inputs: UrgencyInputs = { isFlash: (s) => s === "FLASH-1", lowLineOf: () => 3 };
    const rows = [
      row("SMALL-1", {}),
      row("FLASH-1", {}),
      row("DELIST-1", { isListed: false }),
      row("NEW-1", { confirmedQty: null }),
      row("NEAR-1", { targetQty: 8, confirmedQty: 9 }),
      row("BIG-1", { targetQty: 25 }),
      row("OLD-1", { firstEnqueuedAt: "2026-11-20T07:30:00.000Z" }),
    ];
    const plan = budget.plan(rows, inputs);
    expect(plan.go.map((r) => r.sku)).toEqual(["FLASH-1", "DELIST-1", "NEW-1", "NEAR-1", "BIG-1", "OLD-1"]);
    expect(plan.wait.map((w) => [w.row.sku, w.until.toISOString()])).toEqual([["SMALL-1", "2026-11-20T08:30:00.000Z"]]);
    // Early in a day a few calls do not look like a runaway rate (the rate is read over at least an hour) …
    ledger.clock.set(new Date("2026-11-20T16:05:00.000Z"));
    const big = createCallBudget({
      channelId: "big",
      settings: { ...BUDGET, daily: 1000 },
      store: ledger.callBudgets,
      clock: ledger.clock,
      timeZone: "Asia/Shanghai",
    });
    for (let i = 0; i < 5; i++) big.meter();
    expect(big.state()).toMatchObject({ day: "2026-11-21", used: 5, isTight: false });
    // … but a burst that would spend the day's budget before midnight makes it tight with 95 % of it left.
    for (let i = 0; i < 45; i++) big.meter();
    expect(big.state()).toMatchObject({ used: 50, isTight: true, isOut: false });
  });

  it("rejects a callBudget with an unknown or bad key in one clear line, and has every text in both languages", () => {
    const base = { id: "pdd", kind: "pinduoduo", clientId: CLIENT_ID, clientSecret: SECRET, accessToken: TOKEN };
    expect(() => parseConfig({ channels: [{ ...base, callBudget: { daily: 100, minChnage: 3 } }] }, {})).toThrow(
      /minChnage/,
    );
    expect(() => parseConfig({ channels: [{ ...base, callBudget: { daily: 0 } }] }, {})).toThrow(/callBudget\.daily/);
    const c = parseConfig({ channels: [{ ...base, callBudget: { daily: 500 } }] }, {}).channels[0];
    expect(c?.callBudget).toEqual({ daily: 500, minChange: 5, maxWaitMinutes: 60, tightBelowPct: 25 });
    for (const id of [
      "alert-call-budget-out",
      "sync-budget-line",
      "sync-budget-ok",
      "sync-budget-tight",
      "sync-budget-out",
      "sync-budget-waiting",
      "sync-budget-none-waiting",
    ] as const) {
      const text = catalog[id];
      expect(text.en, id).toBeTruthy();
      expect(text["zh-CN"], id).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
