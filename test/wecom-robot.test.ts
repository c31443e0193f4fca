import ky from "ky";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWecomApi } from "../src/chat/wecom/api-client.js";
import { createRobotQueue, type RobotQueue, robotImage } from "../src/chat/wecom/robot-queue.js";
import { silentLogger } from "../src/log.js";
import { startWecomSimulator, type WecomSimulator } from "../src/sandbox/wecom.js";
import { testLedger } from "./support/ledger.js";

const ROBOT_KEY = "robot-key-0123456789";
const app = {
  corpId: "wwcorp0000000001",
  corpSecret: "corp-secret-abcdef",
  agentId: 1000002,
  token: "cbtoken",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
};

let sim: WecomSimulator;
let ledger: ReturnType<typeof testLedger>;

beforeEach(async () => {
  ledger = testLedger();
  sim = await startWecomSimulator({ ...app, robotKeys: [ROBOT_KEY], clock: ledger.clock });
});
afterEach(async () => {
  await sim.close();
  ledger.close();
});

const makeQueue = (perMinute = 20, key = ROBOT_KEY): RobotQueue => {
  const api = createWecomApi({
    http: ky.create({ timeout: 5000 }),
    apiBase: sim.url,
    corpId: app.corpId,
    secret: app.corpSecret,
    agentId: app.agentId,
    clock: ledger.clock,
    log: silentLogger(),
  });
  return createRobotQueue({
    wecom: ledger.wecom,
    api,
    robotKey: key,
    robotName: "ops",
    perMinute,
    clock: ledger.clock,
    log: silentLogger(),
  });
};

/** Drains like the background loop does, but moving the shared manual clock instead of sleeping. */
async function drainAll(q: RobotQueue, maxRounds = 50): Promise<number> {
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const r = await q.drain();
    if (r.waitMs === undefined) break;
    ledger.clock.advance(r.waitMs);
  }
  return rounds;
}

const delivered = (): string =>
  sim
    .robotDelivered(ROBOT_KEY)
    .map((b) => JSON.stringify(b))
    .join("\n");
const robotRefusals = () => sim.requests.filter((r) => r.path === "/cgi-bin/webhook/send" && r.errcode !== 0);

describe("WeCom group robot queue", () => {
  it("gets thirty alerts raised in one minute to the group without a single 45009", async () => {
    const q = makeQueue();
    for (let i = 1; i <= 30; i++) {
      q.enqueue({
        msgtype: "markdown",
        markdown: { content: `**Low stock** SKU-${String(i).padStart(2, "0")}: ${i % 4} left` },
      });
      ledger.clock.advance(2_000);
    }
    await drainAll(q);
    const text = delivered();
    for (let i = 1; i <= 30; i++) expect(text).toContain(`SKU-${String(i).padStart(2, "0")}:`);
    expect(robotRefusals()).toEqual([]);
    expect(sim.robotDelivered(ROBOT_KEY).length).toBeLessThanOrEqual(20);
    expect(q.pending()).toBe(0);
  });

  it("sends alerts one by one while the window has room, in order", async () => {
    const q = makeQueue();
    for (const s of ["first", "second", "third"])
      q.enqueue({ msgtype: "text", text: { content: s, mentioned_list: ["lisi"] } });
    await drainAll(q);
    expect(sim.robotDelivered(ROBOT_KEY).map((b) => (b.text as { content: string }).content)).toEqual([
      "first",
      "second",
      "third",
    ]);
    expect(sim.robotDelivered(ROBOT_KEY)[0]).toMatchObject({ msgtype: "text", text: { mentioned_list: ["lisi"] } });
  });

  it("keeps a message refused with 45009 twice in a row and delivers it later, exactly once", async () => {
    const q = makeQueue();
    sim.throttleRobotNext(2);
    q.enqueue({ msgtype: "markdown", markdown: { content: "refund R-1 waits for approval" } });
    q.enqueue({ msgtype: "markdown", markdown: { content: "parcel SF123 stalled" } });
    const first = await q.drain();
    expect(first.sent).toBe(0);
    expect(first.waitMs).toBe(60_000);
    expect(q.pending()).toBe(2);
    const row = ledger.wecom.robotQueue("ops")[0];
    expect(row).toMatchObject({ attempts: 1, lastError: "45009" });
    await drainAll(q);
    expect(robotRefusals().map((r) => r.errcode)).toEqual([45009, 45009]);
    const bodies = sim.robotDelivered(ROBOT_KEY).map((b) => JSON.stringify(b));
    expect(bodies.filter((b) => b.includes("refund R-1"))).toHaveLength(1);
    expect(bodies.filter((b) => b.includes("SF123"))).toHaveLength(1);
    expect(q.pending()).toBe(0);
  });

  it("survives a restart: queued messages are stored, not held in memory", async () => {
    makeQueue().enqueue({ msgtype: "markdown", markdown: { content: "before restart" } });
    await drainAll(makeQueue());
    expect(delivered()).toContain("before restart");
  });

  it("keeps every message while the robot key is wrong (93000) instead of dropping them", async () => {
    const q = makeQueue(20, "removed-key-000000");
    q.enqueue({ msgtype: "markdown", markdown: { content: "kept" } });
    const r = await q.drain();
    expect(r.sent).toBe(0);
    expect(r.waitMs).toBeGreaterThan(0);
    expect(q.pending()).toBe(1);
    expect(sim.requests.at(-1)?.errcode).toBe(93000);
  });

  it("sends a chart as base64 with the md5 of the raw bytes, and cuts text over the byte limit", async () => {
    const q = makeQueue();
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    q.enqueue(robotImage(png));
    q.enqueue({ msgtype: "text", text: { content: "库存".repeat(2000) } });
    await drainAll(q);
    const [img, txt] = sim.robotDelivered(ROBOT_KEY);
    expect(Buffer.from((img!.image as { base64: string }).base64, "base64").equals(png)).toBe(true);
    expect(Buffer.byteLength((txt!.text as { content: string }).content)).toBeLessThanOrEqual(2048);
    expect(robotRefusals()).toEqual([]);
  });

  it("does not merge an @all text into markdown, where the mention would be lost", async () => {
    const q = makeQueue(1);
    q.enqueue({ msgtype: "text", text: { content: "breaker open", mentioned_list: ["@all"] } });
    q.enqueue({ msgtype: "markdown", markdown: { content: "low stock A-1" } });
    await drainAll(q);
    expect(sim.robotDelivered(ROBOT_KEY).map((b) => b.msgtype)).toEqual(["text", "markdown"]);
  });
});

describe("alerts through the WeCom transport", () => {
  it("delivers thirty alerts raised within one minute to the group, each exactly once, with no 45009", async () => {
    const { createWecomTransport } = await import("../src/chat/transports/wecom.js");
    const { deliverDueAlerts } = await import("../src/chat/alert-sender.js");
    const { parseConfig } = await import("../src/config.js");
    const config = parseConfig(
      {
        access: { operators: ["wecom:lisi"] },
        chat: {
          wecom: {
            corpId: app.corpId,
            agentId: app.agentId,
            secret: app.corpSecret,
            token: app.token,
            encodingAesKey: app.encodingAesKey,
            robotKey: ROBOT_KEY,
            apiBase: sim.url,
          },
        },
      },
      {},
    );
    const api = createWecomApi({
      http: ky.create({ timeout: 5000 }),
      apiBase: sim.url,
      corpId: app.corpId,
      secret: app.corpSecret,
      agentId: app.agentId,
      clock: ledger.clock,
      log: silentLogger(),
    });
    const robot = createRobotQueue({
      wecom: ledger.wecom,
      api,
      robotKey: ROBOT_KEY,
      robotName: "ops",
      perMinute: 20,
      clock: ledger.clock,
      log: silentLogger(),
    });
    const wecom = createWecomTransport({
      settings: config.chat.wecom!,
      ledger,
      wecom: ledger.wecom,
      api,
      robot,
      cardRecipients: ["lisi"],
      clock: ledger.clock,
      log: silentLogger(),
      refusedLine: (errcode) => `refused ${errcode}`,
      downLine: "WeCom could not be reached.",
    });
    const { emptyCourierRegistry } = await import("../src/couriers/registry.js");
    const { createSyncEngine } = await import("../src/sync/engine.js");
    const sync = createSyncEngine({
      ledger,
      clock: ledger.clock,
      log: silentLogger(),
      channels: [],
      settings: config.sync,
    });
    const deps = {
      config,
      ledger,
      clock: ledger.clock,
      log: silentLogger(),
      channels: new Map(),
      couriers: emptyCourierRegistry(),
      sync,
      notify: async (r: Parameters<typeof wecom.broadcast>[0]) => void (await wecom.broadcast(r)),
    };
    for (let i = 1; i <= 30; i++) {
      ledger.alerts.raiseAlert({
        kind: "low_stock",
        subject: `SKU-${i}`,
        severity: "warning",
        text: `SKU-${i} is low: ${i % 3} left`,
      });
      ledger.clock.advance(1_500);
    }
    expect(await deliverDueAlerts(deps)).toBe(30);
    await drainAll(robot);
    const text = delivered();
    for (let i = 1; i <= 30; i++) expect(text.split(`SKU-${i} is low`).length - 1).toBe(1);
    expect(robotRefusals()).toEqual([]);
    expect(robot.pending()).toBe(0);
    expect(sim.appMessages().filter((m) => m.msgtype === "template_card")).toHaveLength(30);
  });
});
