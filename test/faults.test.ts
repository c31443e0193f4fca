import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelSandbox, startChannelSandbox } from "../src/sandbox/channels.js";
import type { FaultKind } from "../src/sandbox/common.js";
import { testApp } from "./support/app.js";
import { type ManualTimers, manualTimers, steppingSleep } from "./support/clock.js";
import { sku } from "./support/ledger.js";

// Fault injection against the channel simulators: slow answers, timeouts, 429 storms, 5xx bursts, malformed
// JSON, HTML instead of JSON. Throughout, chat commands keep answering, /healthz says which channels fail, and
// once the faults stop every queued target reaches both simulators.
const CATALOG = [
  { sku: "MUG-01", title: "Mug", available: 0 },
  { sku: "TEE-02", title: "Tee", available: 0 },
  { sku: "CAP-03", title: "Cap", available: 0 },
];

type Phase = {
  name: string;
  faults: { failureRate?: number; kinds?: FaultKind[]; latencyMs?: number; retryAfterSeconds?: number };
};
const PHASES: Phase[] = [
  { name: "slow answers (past the adapter's timeout)", faults: { latencyMs: 1_500 } },
  { name: "timeouts (no answer)", faults: { failureRate: 1, kinds: ["hang"] } },
  { name: "429 storm", faults: { failureRate: 1, kinds: ["429"], retryAfterSeconds: 1 } },
  { name: "5xx burst", faults: { failureRate: 1, kinds: ["500", "503"] } },
  { name: "malformed JSON", faults: { failureRate: 1, kinds: ["malformed"] } },
  { name: "HTML instead of JSON", faults: { failureRate: 1, kinds: ["html"] } },
];

describe("fault injection against the channel simulators", { timeout: 240_000 }, () => {
  let sandbox: ChannelSandbox;
  let t: Awaited<ReturnType<typeof testApp>>;
  let base: string;
  let timers: ManualTimers;
  /**
   * Steps the manual clock 100 ms at a time (firing the engine's debounce and retry wakes) and waits for the
   * passes they start, until `what` holds. Only a hung or slow request waits in real time (the adapter's timeout).
   */
  const until = async (what: () => boolean | Promise<boolean>): Promise<void> => {
    for (let step = 0; step < 3_000; step++) {
      if (await what()) return;
      await timers.advance(100);
      await t.app.deps.sync.idle();
    }
    throw new Error("the channels did not settle within 300 s of manual time");
  };
  beforeAll(async () => {
    sandbox = await startChannelSandbox(CATALOG);
    t = await testApp(
      {
        http: { enabled: true, host: "127.0.0.1", port: 0 },
        channels: sandbox.channels.map((c) => ({ ...c, timeoutMs: 800, failureAlertAfter: 2 })),
        sync: { debounceMs: 20, retryBaseMs: 100, retryMaxMs: 400 },
      },
      {
        // The engine's timers, the ledger and the adapters' retry waits share one manual clock.
        seams: (clock) => {
          timers = manualTimers(clock);
          return { timers, sleep: steppingSleep(clock) };
        },
      },
    );
    for (const line of CATALOG) {
      t.app.deps.ledger.stock.upsertSku(
        { sku: sku(line.sku), title: line.title, onHand: 50 },
        { actor: "test", idempotencyKey: `seed:${line.sku}` },
      );
      t.app.deps.ledger.listings.linkListing({
        channelId: "shop",
        sku: sku(line.sku),
        ref: sandbox.refs.shop[line.sku]!,
      });
      t.app.deps.ledger.listings.linkListing({
        channelId: "woo",
        sku: sku(line.sku),
        ref: sandbox.refs.woo[line.sku]!,
      });
    }
    await t.app.start({ http: true, scheduler: false });
    base = `http://127.0.0.1:${(t.app.http!.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });

  const health = async () =>
    (await (await fetch(`${base}/healthz`)).json()) as {
      channels: { id: string; state: string; consecutiveFailures: number; lastSuccessAt: string | null }[];
    };
  const outbox = () => t.app.deps.ledger.outbox.allOutbox().length;
  const shown = () =>
    CATALOG.flatMap((c) => [
      { channel: "shop", sku: c.sku, qty: sandbox.shopify.state.items.get(sandbox.refs.shop[c.sku]!)!.available },
      {
        channel: "woo",
        sku: c.sku,
        qty: sandbox.woo.state.products.get(Number(sandbox.refs.woo[c.sku]!))!.stockQuantity,
      },
    ]);
  const published = () =>
    CATALOG.flatMap((c) =>
      t.app.deps.ledger.outbox
        .publicationsFor(c.sku)
        .map((p) => ({ channel: p.listing.channelId as string, sku: c.sku, qty: p.publication.quantity })),
    );

  it("keeps answering chat, reports failing channels honestly, and delivers every target once the faults stop", async () => {
    await until(() => outbox() === 0);
    expect((await health()).channels.map((c) => c.state)).toEqual(["ok", "ok"]);

    let n = 0;
    for (const phase of PHASES) {
      sandbox.shopify.faults.set(phase.faults);
      sandbox.woo.faults.set(phase.faults);
      const r = await t.run(`/adjust MUG-01 -1 ${phase.name}`, "console:local", `m-${n++}`);
      expect(r.outcome, phase.name).toBe("ok");
      // While pushes fail (or hang), every chat command still answers.
      for (const cmd of ["/stock MUG-01", "/help", "/alerts", "/sync status", "/why TEE-02", "/history MUG-01 3"]) {
        const reply = await t.run(cmd);
        expect({ phase: phase.name, cmd, outcome: reply.outcome }).toEqual({ phase: phase.name, cmd, outcome: "ok" });
      }
      await until(async () =>
        (await health()).channels.every((c) => c.state === "failing" && c.consecutiveFailures > 0),
      );
      const states = await health();
      expect({ phase: phase.name, states: states.channels.map((c) => c.state) }).toEqual({
        phase: phase.name,
        states: ["failing", "failing"],
      });
      expect(outbox()).toBeGreaterThan(0);
      sandbox.shopify.faults.set({});
      sandbox.woo.faults.set({});
      await until(async () => outbox() === 0 && (await health()).channels.every((c) => c.state === "ok"));
    }
    expect(shown().sort((a, b) => a.channel.localeCompare(b.channel) || a.sku.localeCompare(b.sku))).toEqual(
      published().sort((a, b) => a.channel.localeCompare(b.channel) || a.sku.localeCompare(b.sku)),
    );
    expect(t.app.deps.ledger.stock.getLevel("MUG-01").onHand).toBe(50 - PHASES.length);
  });
});
