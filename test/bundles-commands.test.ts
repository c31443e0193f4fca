import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importBundles } from "../src/import.js";
import { buildSummary } from "../src/summary/build.js";
import { renderSummaryText } from "../src/summary/render.js";
import { testApp } from "./support/app.js";
import { sku } from "./support/ledger.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function giftApp(raw: Record<string, unknown> = {}) {
  const t = await testApp({
    access: { operators: ["tg:3"], viewers: ["tg:4"] },
    stock: { lowStockThreshold: 0 },
    ...raw,
  });
  close = t.close;
  const { ledger } = t.app.deps;
  for (const [s, n] of [
    ["MUG-1", 10],
    ["CST-1", 3],
    ["GIFT-1", 0],
  ] as const)
    ledger.stock.upsertSku({ sku: sku(s), onHand: n }, { actor: "t", idempotencyKey: `seed:${s}` });
  ledger.listings.linkListing({ channelId: "shop1", sku: sku("GIFT-1"), ref: "g1" });
  return t;
}

const tokenOf = (text: string): string => {
  const m = /\/confirm (\w+)/.exec(text);
  if (!m?.[1]) throw new Error(`no confirmation token in: ${text}`);
  return m[1];
};

describe("/bundle, /unbundle and bundles in /why, /stock, /history and the summary", () => {
  it("previews /bundle GIFT-1 = 2×MUG-1 + 1×CST-1, defines it on /confirm, and shows it with /bundle GIFT-1", async () => {
    const t = await giftApp();
    const { ledger } = t.app.deps;
    const preview = await t.run("/bundle GIFT-1 = 2×MUG-1 + 1×CST-1", "tg:3", "m1");
    expect(preview.reply.text).toContain(
      "Will make GIFT-1 a bundle of 2×MUG-1 + 1×CST-1 (was: not a bundle). It will show 3 available.",
    );
    expect(ledger.bundles.isBundle("GIFT-1")).toBe(false);
    const done = await t.run(`/confirm ${tokenOf(preview.reply.text)}`, "tg:3", "m2");
    expect(done.reply.text).toBe("GIFT-1 is now a bundle of 1×CST-1 + 2×MUG-1: 3 available, bound by CST-1.");
    expect(ledger.outbox.allOutbox().map((r) => [r.sku, r.targetQty])).toContainEqual(["GIFT-1", 3]);

    const shown = await t.run("/bundle GIFT-1", "tg:4");
    expect(shown.outcome).toBe("refused"); // a viewer may not run /bundle at all
    const show = await t.run("/bundle GIFT-1", "tg:3", "m3");
    expect(show.reply.text).toBe(
      [
        "GIFT-1 is a bundle of 1×CST-1 + 2×MUG-1: 3 available, bound by CST-1.",
        "  · CST-1: 3 available ÷ 1 → 3",
        "  · MUG-1: 10 available ÷ 2 → 5",
      ].join("\n"),
    );
    expect(show.reply.text).not.toContain("/confirm");

    const again = await t.run("/bundle GIFT-1 = 2xMUG-1 + 1*CST-1", "tg:3", "m4");
    expect((await t.run(`/confirm ${tokenOf(again.reply.text)}`, "tg:3", "m5")).reply.text).toBe(
      "GIFT-1 is already a bundle of 1×CST-1 + 2×MUG-1; nothing changed.",
    );
  });

  it("answers bad definitions with one clear line and changes nothing", async () => {
    const t = await giftApp();
    const say = async (text: string) => (await t.run(text, "tg:3")).reply.text;
    expect(await say("/bundle GIFT-1 = 2 MUG-1")).toBe(
      "Cannot read “2 MUG-1” as components. Write them as /bundle GIFT-1 = 2×MUG-1 + 1×CST-1 (2xMUG-1 and 2*MUG-1 work too).",
    );
    expect(await say("/bundle GIFT-1 = 2×NOPE-1")).toBe(
      "SKU NOPE-1 is not in the ledger. Check the spelling or import it first.",
    );
    expect(await say("/bundle NEW-9 = 2×MUG-1 1×CST-1")).toBe(
      "Cannot read “2×MUG-1 1×CST-1” as components. Write them as /bundle GIFT-1 = 2×MUG-1 + 1×CST-1 (2xMUG-1 and 2*MUG-1 work too).",
    );
    expect(await say("/bundle NEW-9 = 2×NOPE-1 Gift set")).toBe(
      "SKU NOPE-1 is not in the ledger. Check the spelling or import it first.",
    );
    expect(t.app.deps.ledger.stock.findLevel("NEW-9")).toBeUndefined();
    expect(await say("/bundle MUG-1 = 1×CST-1")).toBe(
      "MUG-1 holds 10 on hand; a bundle has no stock of its own. Set it to 0 first (/set MUG-1 0).",
    );
    expect(await say("/bundle GIFT-1 = 1×GIFT-1")).toBe("Bundle GIFT-1 cannot contain itself.");
    expect(await say("/bundle CST-1")).toBe("CST-1 is not a bundle. Define one with /bundle CST-1 = 2×A-1 + 1×B-1.");
    expect(t.app.deps.ledger.bundles.allBundles()).toEqual([]);
  });

  it("names the binding component in /why, shows bundle info in /stock and /history, and lists bundles in the summary", async () => {
    const t = await giftApp();
    const { ledger } = t.app.deps;
    ledger.bundles.defineBundle(
      sku("GIFT-1"),
      [
        { component: sku("MUG-1"), qty: 2 },
        { component: sku("CST-1"), qty: 1 },
      ],
      { actor: "t" },
    );
    const why = (await t.run("/why GIFT-1")).reply.text;
    expect(why).toContain("GIFT-1 is a bundle of 1×CST-1 + 2×MUG-1: 3 available, bound by CST-1 (3 ÷ 1).");
    expect(why).toContain("shop1");
    expect(why).toContain("bundle available 3 = min(CST-1 3 ÷ 1 = 3, MUG-1 10 ÷ 2 = 5), bound by CST-1");
    const stock = (await t.run("/stock GIFT-1")).reply.text;
    expect(stock).toContain("GIFT-1 is a bundle of 1×CST-1 + 2×MUG-1: 3 available, bound by CST-1.");
    expect((await t.run("/stock MUG-1")).reply.text).toContain("Part of: GIFT-1");
    expect((await t.run("/history GIFT-1")).reply.text).toContain(
      "GIFT-1 is a bundle: its stock moves are its components’ (/history CST-1).",
    );
    const summary = renderSummaryText(buildSummary(t.app.deps, "2026-11-20"));
    expect(summary).toContain("Bundles: GIFT-1: 3 available, bound by CST-1");
  });

  it("removes a bundle with /unbundle or /bundle GIFT-1 remove after a preview, and speaks Chinese through 套装", async () => {
    const t = await giftApp({ language: "zh-CN" });
    const { ledger } = t.app.deps;
    // Chinese aliases are read on WeCom and the console.
    const preview = await t.app.dispatcher.handle({
      transport: "console",
      chatId: "t",
      userId: "tg:3",
      text: "套装 GIFT-1 = 2×MUG-1 + 1×CST-1",
      messageId: "z1",
    });
    expect(preview.reply.text).toContain("将把 GIFT-1 设为套装：2×MUG-1 + 1×CST-1（原为：不是套装）。届时可售 3 套。");
    expect((await t.run(`/confirm ${tokenOf(preview.reply.text)}`, "tg:3", "z2")).reply.text).toBe(
      "GIFT-1 现在是套装：1×CST-1 + 2×MUG-1；可售 3 套，受限于 CST-1。",
    );
    const rm = await t.run("/bundle GIFT-1 remove", "tg:3", "z3");
    expect(rm.reply.text).toContain("将删除套装 GIFT-1（1×CST-1 + 2×MUG-1）");
    expect(ledger.bundles.isBundle("GIFT-1")).toBe(true);
    expect((await t.run(`/confirm ${tokenOf(rm.reply.text)}`, "tg:3", "z4")).reply.text).toBe(
      "已删除套装 GIFT-1（1×CST-1 + 2×MUG-1）。",
    );
    ledger.bundles.defineBundle(sku("GIFT-1"), [{ component: sku("MUG-1"), qty: 2 }], { actor: "t" });
    const un = await t.run("/unbundle GIFT-1", "tg:3", "z5");
    await t.run(`/confirm ${tokenOf(un.reply.text)}`, "tg:3", "z6");
    expect(ledger.bundles.isBundle("GIFT-1")).toBe(false);
    const actions = ledger.audit
      .recentAudit({ limit: 50 })
      .filter((a) => a.action.startsWith("bundle."))
      .map((a) => `${a.action} ${a.args}`);
    expect(actions.sort()).toEqual([
      "bundle.define GIFT-1 = 1×CST-1 + 2×MUG-1",
      "bundle.define GIFT-1 = 2×MUG-1",
      "bundle.remove GIFT-1 = 1×CST-1 + 2×MUG-1",
      "bundle.remove GIFT-1 = 2×MUG-1",
    ]);
  });
});

describe("/stock for a bundle shows only the bundle view (issue 13)", () => {
  const gift = [
    { component: sku("MUG-1"), qty: 2 },
    { component: sku("CST-1"), qty: 1 },
  ];

  it("prints no 0 = 0 − 0 line of the bundle's own, and each component's on hand and reserved", async () => {
    const t = await giftApp();
    const { ledger } = t.app.deps;
    ledger.bundles.defineBundle(sku("GIFT-1"), gift, { actor: "t" });
    ledger.reservations.reserveHold({
      sku: sku("MUG-1"),
      qty: 1,
      ttlSeconds: 60,
      actor: "t",
      idempotencyKey: "hold:m1",
    });
    const text = (await t.run("/stock GIFT-1")).reply.text;
    expect(text).not.toContain("0 available = 0 on hand − 0 reserved");
    expect(text.split("\n")).toEqual([
      "GIFT-1",
      "GIFT-1 is a bundle of 1×CST-1 + 2×MUG-1: 3 available, bound by CST-1.",
      "  · CST-1: 3 available = 3 on hand − 0 reserved; ÷ 1 → 3",
      "  · MUG-1: 9 available = 10 on hand − 1 reserved; ÷ 2 → 4",
      "shop1: shows 3",
    ]);
    // A component keeps its own level line.
    expect((await t.run("/stock MUG-1")).reply.text).toContain("9 available = 10 on hand − 1 reserved");
  });

  it("shows each component per location when there are several, in Chinese too", async () => {
    const t = await giftApp({
      language: "zh-CN",
      stock: { lowStockThreshold: 0, locations: ["home", "3pl"], primaryLocation: "home" },
    });
    const { ledger } = t.app.deps;
    ledger.bundles.defineBundle(sku("GIFT-1"), gift, { actor: "t" });
    ledger.stock.adjustOnHand(sku("CST-1"), 2, { actor: "t", idempotencyKey: "in:cst:3pl", location: "3pl" });
    const text = (await t.run("/stock GIFT-1")).reply.text;
    expect(text).not.toContain("可售 0 件 = 在手 0 − 预留 0");
    expect(text).toContain("GIFT-1 是套装：1×CST-1 + 2×MUG-1；可售 5 套，受限于 CST-1。");
    expect(text).toContain(
      "  · CST-1：可售 5 件 = 在手 5 − 预留 0；÷ 1 → 5 套\n    按仓位：\n      home：现货 3\n      3pl：现货 2",
    );
    expect(text).toContain("  · MUG-1：可售 10 件 = 在手 10 − 预留 0；÷ 2 → 5 套");
  });
});

describe("/bundle on a SKU that does not exist yet", () => {
  it("creates the bundle SKU with its title in the same transaction as the definition, audited, after a preview", async () => {
    const t = await giftApp();
    const { ledger } = t.app.deps;
    const preview = await t.run('/bundle NEW-9 = 2×MUG-1 + 1×CST-1 "Gift set"', "tg:3", "n1");
    expect(preview.reply.text).toContain(
      "Will create NEW-9 “Gift set” as a bundle of 2×MUG-1 + 1×CST-1 (it holds no stock of its own). It will show 3 available.",
    );
    expect(ledger.stock.findLevel("NEW-9")).toBeUndefined();
    const done = await t.run(`/confirm ${tokenOf(preview.reply.text)}`, "tg:3", "n2");
    expect(done.reply.text).toBe(
      "Created NEW-9 “Gift set” as a bundle of 1×CST-1 + 2×MUG-1: 3 available, bound by CST-1.",
    );
    expect(ledger.stock.findLevel("NEW-9")).toMatchObject({ title: "Gift set", onHand: 0, reserved: 0 });
    expect(ledger.bundles.componentsOf("NEW-9")).toEqual([
      { component: "CST-1", qty: 1 },
      { component: "MUG-1", qty: 2 },
    ]);
    const audit = ledger.audit.recentAudit({ action: "bundle.define" });
    expect(audit.map((a) => [a.args, a.actor, JSON.parse(a.detail ?? "{}")])).toEqual([
      ["NEW-9 = 1×CST-1 + 2×MUG-1", "tg:3", { before: null, created: "Gift set" }],
    ]);
    expect(ledger.movements("NEW-9", 10)).toEqual([]); // a bundle holds no stock: no movement for it

    // Without a title the SKU is the title.
    const bare = await t.run("/bundle NEW-8 = MUG-1 + CST-1", "tg:3", "n3");
    await t.run(`/confirm ${tokenOf(bare.reply.text)}`, "tg:3", "n4");
    expect(ledger.stock.findLevel("NEW-8")?.title).toBe("NEW-8");
  });

  it("speaks Chinese through 套装, with a title in Chinese quotes", async () => {
    const t = await giftApp({ language: "zh-CN" });
    const zh = await t.app.dispatcher.handle({
      transport: "console",
      chatId: "t",
      userId: "tg:3",
      text: "套装 NEW-7 = 1×MUG-1 + 1×CST-1 “礼盒”",
      messageId: "c1",
    });
    expect(zh.reply.text).toContain("将新建套装 NEW-7“礼盒”：1×MUG-1 + 1×CST-1（套装本身没有库存）。届时可售 3 套。");
    const zhDone = await t.run(`/confirm ${tokenOf(zh.reply.text)}`, "tg:3", "c2");
    expect(zhDone.reply.text).toBe("已新建套装 NEW-7“礼盒”：1×CST-1 + 1×MUG-1；可售 3 套，受限于 CST-1。");
    expect(t.app.deps.ledger.stock.findLevel("NEW-7")?.title).toBe("礼盒");
  });

  it("creates nothing when the definition is refused (the SKU and the bundle are one transaction)", async () => {
    const t = await giftApp();
    const { ledger } = t.app.deps;
    expect(() =>
      ledger.bundles.defineBundles(
        [
          { sku: sku("NEW-1"), components: [{ component: sku("MUG-1"), qty: 1 }], title: "One" },
          { sku: sku("NEW-2"), components: [{ component: sku("NOPE-1"), qty: 1 }] },
        ],
        { actor: "t" },
      ),
    ).toThrow("SKU NOPE-1 is not in the ledger");
    expect(ledger.stock.findLevel("NEW-1")).toBeUndefined();
    expect(ledger.bundles.allBundles()).toEqual([]);
  });
});

describe("import bundles FILE.csv", () => {
  it("checks the whole file first (one line per bad row, nothing written), then defines every bundle at once", async () => {
    const t = await giftApp();
    const { ledger } = t.app.deps;
    ledger.stock.upsertSku({ sku: sku("SET-2"), onHand: 0 }, { actor: "t", idempotencyKey: "seed:SET-2" });
    const tr = t.app.dispatcher.translator("en");
    const file = join(t.dir, "bundles.csv");
    writeFileSync(
      file,
      [
        "bundle,component,qty",
        "GIFT-1,MUG-1,2",
        "GIFT-1,CST-1,1",
        "SET-2,MUG-1,0",
        "SET-2,NOPE-1,1",
        "SET-2,GIFT-1,1",
      ].join("\n"),
    );
    const bad = importBundles(t.app.deps, file, "import", tr);
    expect(bad.applied).toBe(0);
    expect(bad.problems).toEqual([
      "line 4: qty: Too small: expected number to be >=1",
      "line 5: SKU NOPE-1 is not in the ledger. Check the spelling or import it first.",
    ]);
    expect(ledger.bundles.allBundles()).toEqual([]);

    writeFileSync(file, ["bundle;component;qty", "GIFT-1;MUG-1;2", "GIFT-1;CST-1;1", "SET-2;MUG-1;3"].join("\n"));
    expect(importBundles(t.app.deps, file, "import", tr)).toEqual({ applied: 2, unchanged: 0, problems: [] });
    expect(ledger.bundles.allBundles().map((b) => [b.sku, b.components.length])).toEqual([
      ["GIFT-1", 2],
      ["SET-2", 1],
    ]);
    expect(importBundles(t.app.deps, file, "import", tr)).toMatchObject({ applied: 0, unchanged: 2 });

    writeFileSync(file, ["bundle,component,qty", "BOX-9,GIFT-1,1"].join("\n"));
    expect(importBundles(t.app.deps, file, "import", tr).problems).toEqual([
      "line 2: GIFT-1 is itself a bundle; bundles of bundles are not supported. List its components in BOX-9 instead.",
    ]);
    expect(ledger.stock.findLevel("BOX-9")).toBeUndefined();

    // Bundle SKUs not in the ledger are created, with the first title their rows give (else the SKU).
    writeFileSync(
      file,
      ["bundle,component,qty,title", "BOX-9,MUG-1,1,Mug box", "BOX-9,CST-1,2,", "BOX-8,MUG-1,4,"].join("\n"),
    );
    expect(importBundles(t.app.deps, file, "import", tr)).toEqual({ applied: 2, unchanged: 0, problems: [] });
    expect(ledger.stock.findLevel("BOX-9")).toMatchObject({ title: "Mug box", onHand: 0 });
    expect(ledger.stock.findLevel("BOX-8")?.title).toBe("BOX-8");
    expect(ledger.bundles.availabilityOf("BOX-9")).toMatchObject({ available: 1, binding: "CST-1" });
    expect(
      ledger.audit
        .recentAudit({ limit: 50 })
        .filter((a) => a.action === "bundle.define" && a.args.startsWith("BOX-"))
        .map((a) => [a.args, a.transport]),
    ).toEqual(
      expect.arrayContaining([
        ["BOX-9 = 2×CST-1 + 1×MUG-1", "cli"],
        ["BOX-8 = 4×MUG-1", "cli"],
      ]),
    );
  });
});
