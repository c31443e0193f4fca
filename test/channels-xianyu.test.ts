import ky from "ky";
import { describe, expect, it } from "vitest";
import { buildChannels } from "../src/channels/registry.js";
import { createXianyuChannel, isChecklistChannel, renderTodo, type XianyuConfig } from "../src/channels/xianyu.js";
import type { Reply } from "../src/chat/types.js";
import { manualClock } from "../src/clock.js";
import { type ChannelConfig, channelPolicyOf, parseConfig } from "../src/config.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { openTestLedger, sku, testLedger, testSettings } from "./support/ledger.js";

const never = new AbortController().signal;

function setup(onHand: number, opts: { notify?: (r: Reply) => Promise<void> } = {}) {
  const clock = manualClock("2026-11-20T08:00:00Z");
  const config = parseConfig({
    channels: [
      { id: "xianyu", kind: "xianyu" },
      { id: "tb", kind: "taobao", appKey: "k", appSecret: "secret-1", session: "session-1" },
    ],
  });
  const byId = new Map<string, ChannelConfig>(config.channels.map((c) => [c.id, c]));
  const ledger = openTestLedger(openDatabase(":memory:"), {
    clock,
    settings: testSettings,
    channelPolicy: (id) => (byId.has(id) ? channelPolicyOf(byId.get(id)!) : undefined),
  });
  const posted: Reply[] = [];
  const notify = opts.notify ?? (async (r: Reply) => void posted.push(r));
  const xy = createXianyuChannel({
    config: byId.get("xianyu") as XianyuConfig,
    ledger,
    checklist: ledger.checklist,
    notify,
    log: silentLogger(),
  });
  const sync = createSyncEngine({
    ledger,
    clock,
    log: silentLogger(),
    channels: [xy],
    settings: { debounceMs: 0, retryBaseMs: 1000, retryMaxMs: 60_000, maxBatchesPerPass: 10 },
  });
  const mug = sku("MUG-1");
  ledger.stock.upsertSku({ sku: mug, title: "Enamel mug", onHand }, { actor: "test", idempotencyKey: "seed" });
  ledger.listings.linkListing({ channelId: "xianyu", sku: mug, ref: "6612345678" });
  ledger.listings.linkListing({ channelId: "tb", sku: mug, ref: "612345678901" });
  return { clock, ledger, posted, xy, sync, mug };
}

describe("xianyu checklist channel", () => {
  it("never asks for more than Xianyu's 9,999 while other channels get everything", async () => {
    const { ledger, posted, sync, mug } = setup(12_000);
    expect(ledger.outbox.allOutbox().map((r) => [r.channelId, r.targetQty])).toEqual([
      ["xianyu", 9999],
      ["tb", 12_000],
    ]);
    expect(
      ledger.outbox
        .publicationsFor(mug)
        .find((p) => p.listing.channelId === "xianyu")!
        .publication.trail.join(" "),
    ).toContain("9999");
    await sync.drain({ channelId: "xianyu", signal: never });
    expect(posted.map((p) => p.text)).toEqual([expect.stringContaining("set MUG-1 (Enamel mug) to 9999")]);
    ledger.close();
  });

  it("posts one to-do per target with a Done button carrying its id, and keeps the push pending", async () => {
    const { ledger, posted, sync, clock } = setup(7);
    await sync.drain({ signal: never });
    clock.advance(3_600_000);
    await sync.drain({ signal: never });
    expect(posted).toHaveLength(1);
    const id = ledger.checklist.openTodos()[0]!.id;
    expect(posted[0]!.text).toContain(id);
    expect(posted[0]!.text).toContain("https://www.goofish.com/item?id=6612345678");
    expect(posted[0]!.buttons).toEqual([{ label: "Done", action: `/xianyu-done ${id}` }]);
    expect(ledger.outbox.allOutbox("xianyu")).toMatchObject([
      { targetQty: 7, lastError: expect.stringContaining("awaiting_operator") },
    ]);
    expect(ledger.channelState.channelHealth("xianyu").consecutiveFailures).toBe(0);
    expect(ledger.alerts.liveAlerts()).toHaveLength(0);
    ledger.close();
  });

  it("posts the to-do on a later pass when the chat was unreachable", async () => {
    let isDown = true;
    const got: Reply[] = [];
    const { ledger, sync, clock } = setup(7, {
      notify: async (r) => {
        if (isDown) throw new Error("telegram unreachable");
        got.push(r);
      },
    });
    await sync.drain({ signal: never });
    expect(ledger.checklist.openTodos()[0]!.postedAt).toBeNull();
    isDown = false;
    clock.advance(3_600_000);
    await sync.drain({ signal: never });
    expect(got).toHaveLength(1);
    expect(ledger.checklist.openTodos()[0]!.postedAt).not.toBeNull();
    ledger.close();
  });

  it("marks itself as a checklist channel and reports what an operator last confirmed", async () => {
    const { xy, ledger, sync, mug } = setup(5);
    expect(isChecklistChannel(xy)).toBe(true);
    expect(await xy.fetchStock([{ sku: mug, ref: "6612345678" }], never)).toEqual([]);
    await sync.drain({ signal: never });
    ledger.checklist.completeTodo(ledger.checklist.openTodos()[0]!.id, "tg:222");
    expect(await xy.fetchStock([{ sku: mug, ref: "6612345678" }], never)).toEqual([
      { sku: "MUG-1", ref: "6612345678", quantity: 5, isListed: true },
    ]);
    ledger.close();
  });

  it("renders a delist to-do as taking the item off sale", () => {
    const r = renderTodo(
      {
        id: "X-AAAABBBB",
        channelId: "xianyu" as never,
        sku: sku("MUG-1"),
        ref: "66 12",
        version: 2,
        targetQty: 0,
        isListed: false,
        status: "open",
        replaces: "X-CCCCDDDD",
        createdAt: "",
        postedAt: null,
        closedAt: null,
        closedBy: null,
      },
      { itemUrl: "https://www.goofish.com/item?id={ref}" },
    );
    expect(r.text).toBe(
      "闲鱼 Xianyu to-do X-AAAABBBB: take MUG-1 off sale (下架). Item 66 12: https://www.goofish.com/item?id=66%2012 Replaces X-CCCCDDDD. Press Done once it is changed.",
    );
  });

  it("is built by the registry next to Taobao and Pinduoduo when the ledger and chat are wired", () => {
    const config = parseConfig({
      channels: [
        { id: "tb", kind: "taobao", appKey: "k", appSecret: "secret-1", session: "session-1" },
        { id: "pdd", kind: "pinduoduo", clientId: "c", clientSecret: "secret-2", accessToken: "token-2" },
        { id: "xianyu", kind: "xianyu" },
      ],
    });
    const ledger = testLedger();
    const base = {
      makeHttp: (o: Parameters<typeof ky.create>[0]) => ky.create(o),
      log: silentLogger(),
      clock: ledger.clock,
    };
    const built = buildChannels(config.channels, {
      ...base,
      ledger,
      checklist: ledger.checklist,
      notify: async () => {},
    });
    expect([...built.channels.values()].map((c) => [c.id, c.kind])).toEqual([
      ["tb", "taobao"],
      ["pdd", "pinduoduo"],
      ["xianyu", "xianyu"],
    ]);
    expect(built.unsupported).toEqual([]);
    expect(buildChannels(config.channels, base).unsupported).toEqual([{ id: "xianyu", kind: "xianyu" }]);
    ledger.close();
  });
});
