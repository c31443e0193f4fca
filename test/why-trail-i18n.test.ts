/**
 * The steps of a publication trail are catalog messages: `/why` prints them in the chat's (or the person's)
 * language, and the dashboard's stock page in the viewer's, from the same structured steps.
 */
import { afterEach, describe, expect, it } from "vitest";
import { must } from "../src/internal-error.js";
import { testApp } from "./support/app.js";
import { englishWords } from "./support/chinese.js";
import { sku } from "./support/ledger.js";
import { trailOf } from "./support/trail.js";

const VIEWER = "tg:301";
const OTHER = "tg:302";
type T = Awaited<ReturnType<typeof testApp>>;
let t: T | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(language: "zh-CN" | "en"): Promise<T> {
  t = await testApp({
    language,
    http: { enabled: true, host: "127.0.0.1", port: 0 },
    access: { operators: ["tg:101"], viewers: [VIEWER, OTHER] },
    dashboard: { enabled: true, cookieSecret: "dashboard-cookie-secret-for-tests" },
    stock: { bufferUnits: 1, lowStockThreshold: 8, lowStockAction: "cap", lowStockCap: 1 },
    channels: [
      { id: "shop1", kind: "shopify", shop: "x.myshopify.com", accessToken: "t", locationId: "1", bufferUnits: 2 },
    ],
  });
  await t.app.start({ http: true, scheduler: false });
  const { ledger } = t.app.deps;
  ledger.stock.upsertSku({ sku: sku("A-1"), title: "茶杯", onHand: 10 }, { actor: "test", idempotencyKey: "seed:A-1" });
  ledger.listings.linkListing({ channelId: "shop1", sku: sku("A-1"), ref: "111" });
  return t;
}

/** The dashboard's stock page for `user`, signed in through a one-time link. */
async function stockPageAs(x: T, user: string): Promise<string> {
  const server = must(x.app.http, "http started");
  const link = (await x.run("/dashboard", user)).reply.text;
  const token = must(/\/dashboard\/login\?t=([A-Za-z0-9_-]+)/.exec(link)?.[1], link);
  const res = await server.inject({
    method: "POST",
    url: "/dashboard/login",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ t: token }).toString(),
  });
  const cookie = must(/^(sr_dash=[^;]+)/.exec(String(res.headers["set-cookie"]))?.[1], "a session cookie");
  return (await server.inject({ url: "/dashboard/stock?q=A-1", headers: { cookie } })).body;
}

const EN = ["available 10 = on hand 10 − reserved 0", "global buffer 1 → 9", "channel buffer 2 → 7"];
const ZH = ["可售 10 = 在手 10 − 预留 0", "全局缓冲 1 → 9", "渠道缓冲 2 → 7"];

describe("/why trail in the reader's language", () => {
  it("the policy returns structured steps (message id and numbers), not English text", async () => {
    const x = await start("en");
    const [p] = x.app.deps.ledger.outbox.publicationsFor(sku("A-1"));
    const steps = must(p, "one publication").publication.steps;
    expect(steps.map((s) => s.msg)).toEqual([
      "why-step-available",
      "why-step-global-buffer",
      "why-step-channel-buffer",
    ]);
    expect(steps[2]?.args).toEqual({ units: 2, qty: 7 });
    expect(trailOf({ steps }, "zh-CN")).toEqual(ZH);
  });

  it("with language: zh-CN, /why prints every step in Chinese; /lang en changes only that person's", async () => {
    const x = await start("zh-CN");
    const zh = (await x.run("/why A-1", VIEWER)).reply.text;
    expect(zh.split("\n")).toEqual(["shop1 → 7", ...ZH.map((s) => `  · ${s}`)]);
    expect(englishWords(zh, ["shop1"])).toEqual([]);

    await x.run("/lang en", VIEWER);
    const en = (await x.run("/why A-1", VIEWER)).reply.text;
    expect(en.split("\n")).toEqual(["shop1 → 7", ...EN.map((s) => `  · ${s}`)]);
    expect((await x.run("/why A-1", OTHER)).reply.text).toBe(zh);
  });

  it("with language: en, /why is English; the low-stock step follows the language too", async () => {
    const x = await start("en");
    expect((await x.run("/why A-1", VIEWER)).reply.text).toBe(["shop1 → 7", ...EN.map((s) => `  · ${s}`)].join("\n"));
    await x.run("/adjust A-1 -2 damaged", "tg:101");
    const low = (await x.run("/why A-1", VIEWER)).reply.text;
    expect(low).toContain("low stock (8 ≤ 8): cap 1 → 1");
    await x.run("/lang zh", VIEWER);
    const lowZh = (await x.run("/why A-1", VIEWER)).reply.text;
    expect(lowZh).toContain("库存不足（8 ≤ 8）：上限 1 → 1");
    expect(englishWords(lowZh, ["shop1"])).toEqual([]);
  });

  it("the dashboard renders the same steps in the viewer's language", async () => {
    const x = await start("zh-CN");
    const zhPage = await stockPageAs(x, VIEWER);
    for (const s of ZH) expect(zhPage).toContain(`<li>${s}</li>`);
    expect(zhPage).not.toContain("on hand 10");

    await x.run("/lang en", OTHER);
    const enPage = await stockPageAs(x, OTHER);
    for (const s of EN) expect(enPage).toContain(`<li>${s}</li>`);
    expect(enPage).not.toContain("全局缓冲");
  });
});
