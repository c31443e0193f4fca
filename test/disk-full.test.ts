import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import backupJob from "../jobs/backup.js";
import type { WecomTransport } from "../src/chat/transports/wecom.js";
import { manualClock } from "../src/clock.js";
import type { Deps } from "../src/deps.js";
import { reportDiskFull } from "../src/disk-full.js";
import { testWrite } from "../src/doctor-ops.js";
import { SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { startFakeTelegram } from "../src/sandbox/telegram.js";
import { appTextXml, startWecomSimulator } from "../src/sandbox/wecom.js";
import { defineJob, runSlot, startScheduler } from "../src/scheduler.js";
import { createSyncEngine, DISK_FULL_RETRY_MS } from "../src/sync/engine.js";
import { testApp } from "./support/app.js";
import { manualTimers, testClock } from "./support/clock.js";
import { openTestLedger, type TestLedger, testSettings } from "./support/ledger.js";
import { depsFor, fastSync, shopifyChannel } from "./support/sync.js";

const GROUP = -1001234;

/** A small real tmpfs, when this machine lets the test mount one (root in a container with mount rights). */
function mountTmpfs(): { dir: string; unmount: () => void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "stockradar-full-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", dir], { stdio: "ignore" });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    unmount: () => {
      execFileSync("umount", [dir], { stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const probe = mountTmpfs();
probe?.unmount();
const canMount = probe !== undefined;

/** Fills the file system under `dir` to the last byte with one file; returns a function that frees it again. */
function fillDisk(dir: string): () => void {
  const file = join(dir, "filler");
  const fd = openSync(file, "a");
  for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 9, 1]) {
    const chunk = Buffer.alloc(size, 0x78);
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch {
        break;
      }
    }
  }
  closeSync(fd);
  return () => rmSync(file, { force: true });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function fullApp(chat: Record<string, unknown> = {}, raw: Record<string, unknown> = {}) {
  const fs = mountTmpfs();
  if (!fs) throw new Error("tmpfs not mountable");
  cleanup.push(fs.unmount);
  const t = await testApp({
    database: join(fs.dir, "ledger.db"),
    access: { operators: ["tg:42"], viewers: ["tg:43"] },
    ...chat,
    ...raw,
  });
  cleanup.push(() => t.close());
  t.app.deps.ledger.stock.upsertSku(
    { sku: SkuSchema.parse("A-12"), title: "Red tee", onHand: 7 },
    { actor: "test", idempotencyKey: "seed" },
  );
  return { t, fill: () => fillDisk(fs.dir), dir: fs.dir };
}

describe.runIf(canMount)("a full disk under the ledger (issue 19 item 5, real tmpfs)", () => {
  it("Telegram: read-only commands still answer, writes get one clear line, one disk-full alert reaches the group, all recovers without restart", async () => {
    const tg = await startFakeTelegram();
    cleanup.push(() => tg.close());
    const { t, fill } = await fullApp({
      chat: { telegram: { token: tg.token, chatId: GROUP, apiRoot: tg.url, maxRetryAttempts: 1 } },
    });
    await t.app.start({ http: false, scheduler: false });
    const free = fill();
    expect(() => t.app.deps.ledger.jobs.setKv("probe", "x")).toThrow(/full/i);

    tg.message(GROUP, 43, "/stock A-12");
    const stock = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("7 available = 7 on hand"));
    // Its buttons could not be stored, so the reply went out without them rather than not at all.
    expect(stock.payload.reply_markup).toBeUndefined();

    for (let i = 0; i < 3; i++) tg.message(GROUP, 42, "/adjust A-12 +1");
    await tg.waitFor(
      "sendMessage",
      () =>
        tg.calls.filter((c) => c.method === "sendMessage" && String(c.payload.text).includes("disk is full")).length >=
        3,
    );
    const texts = () => tg.calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
    expect(texts().filter((x) => x.includes("disk is full"))).toHaveLength(3);
    expect(texts().join("\n")).not.toMatch(/Something went wrong|SqliteError|SQLITE_FULL|\n\s+at /);
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).startsWith("🔴 Disk full"));
    // One alert for the whole episode, not one per failure.
    expect(texts().filter((x) => x.includes("Disk full"))).toHaveLength(1);
    expect(t.app.deps.ledger.stock.getLevel(SkuSchema.parse("A-12")).onHand).toBe(7);

    free();
    tg.message(GROUP, 42, "/adjust A-12 +1");
    await tg.waitFor("sendMessage", () => t.app.deps.ledger.stock.getLevel(SkuSchema.parse("A-12")).onHand === 8);
    tg.message(GROUP, 43, "/stock A-12");
    const again = await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("8 available = 8 on hand"));
    expect(again.payload.reply_markup).toBeDefined();
  });

  it("Telegram webhook: answers 200 to updates while the ledger is full, so Telegram does not redeliver", async () => {
    const tg = await startFakeTelegram();
    cleanup.push(() => tg.close());
    const { t, fill } = await fullApp(
      {
        chat: {
          telegram: {
            token: tg.token,
            chatId: GROUP,
            apiRoot: tg.url,
            mode: "webhook",
            webhookSecret: "s3cret-token_1",
          },
        },
      },
      { http: { enabled: true, port: 0 } },
    );
    await t.app.start({ scheduler: false });
    const port = (t.app.http?.server.address() as { port: number } | undefined)?.port;
    fill();
    const post = (id: number, from: number, text: string) =>
      fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "s3cret-token_1" },
        body: JSON.stringify({
          update_id: id,
          message: {
            message_id: id,
            date: 1,
            chat: { id: GROUP, type: "supergroup", title: "ops" },
            from: { id: from, is_bot: false, first_name: "a" },
            text,
            entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 1 }],
          },
        }),
      });
    expect((await post(1, 43, "/stock A-12")).status).toBe(200);
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("7 available"));
    expect((await post(2, 42, "/adjust A-12 +1")).status).toBe(200);
    await tg.waitFor("sendMessage", (c) => String(c.payload.text).includes("disk is full"));
  });

  it("WeCom: /stock still answers (as text, its card cannot be stored), a write is refused in one line, the group gets one alert from memory", async () => {
    const corp = {
      corpId: "wwstockradar0001",
      corpSecret: "app-secret-0123456789",
      agentId: 1000002,
      token: "cb-token-abc",
      encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
    };
    const ROBOT_KEY = "robot-key-ops-0001";
    const sim = await startWecomSimulator({
      ...corp,
      robotKeys: [ROBOT_KEY],
      clock: manualClock("2026-11-20T08:00:00Z"),
    });
    cleanup.push(() => sim.close());
    const { t, fill } = await fullApp(
      {
        language: "en",
        access: { operators: ["wecom:lisi"], viewers: ["wecom:zhaoliu"] },
        chat: {
          wecom: {
            corpId: corp.corpId,
            agentId: corp.agentId,
            secret: corp.corpSecret,
            token: corp.token,
            encodingAesKey: corp.encodingAesKey,
            robotKey: ROBOT_KEY,
            apiBase: sim.url,
          },
        },
      },
      { http: { enabled: true, host: "127.0.0.1", port: 0 } },
    );
    await t.app.start({ scheduler: false });
    const wecom = t.app.transports.find((x) => x.name === "wecom") as WecomTransport;
    const base = `http://127.0.0.1:${(t.app.http?.server.address() as { port: number } | undefined)?.port}`;
    let seq = 100;
    const say = async (from: string, content: string) => {
      const xml = appTextXml({
        corpId: corp.corpId,
        from,
        content,
        msgId: String(++seq),
        agentId: corp.agentId,
        createTime: Math.floor(t.clock.now().getTime() / 1000),
      });
      const r = await sim.postAppCallback(`${base}/wecom/callback`, xml);
      await wecom.idle();
      return r;
    };
    const said = (user: string) =>
      sim
        .appMessages()
        .filter((m) => m.touser === user)
        .map((m) => JSON.stringify(m.text ?? m.template_card));
    fill();
    expect((await say("zhaoliu", "/stock A-12")).status).toBe(200);
    expect(said("zhaoliu").join("\n")).toContain("7 available = 7 on hand");
    expect(sim.appMessages().find((m) => m.touser === "zhaoliu")?.msgtype).toBe("text");
    expect((await say("lisi", "/adjust A-12 +1")).status).toBe(200);
    expect((await say("lisi", "/adjust A-12 +1")).status).toBe(200);
    expect(said("lisi").filter((x) => x.includes("disk is full"))).toHaveLength(2);
    for (let i = 0; i < 500 && !sim.robotDelivered(ROBOT_KEY).length; i++) await new Promise((r) => setTimeout(r, 20));
    const group = sim.robotDelivered(ROBOT_KEY).map((m) => JSON.stringify(m));
    expect(group.filter((x) => x.includes("Disk full"))).toHaveLength(1);
  });

  it("jobs: a full disk fails the job in one line, its slot ends as failed once the disk has room, and backup says so too", async () => {
    const { t, fill } = await fullApp();
    const deps = t.app.deps;
    let free: (() => void) | undefined;
    const filling = defineJob({
      name: "fills-the-disk",
      schedule: "* * * * *",
      summary: "test job: fills the disk, then writes",
      run: async () => {
        free = fill();
        deps.ledger.jobs.setKv("job:write", "x".repeat(10_000));
        return { changed: 1, skipped: 0, problems: [] };
      },
    });
    const report = await runSlot(filling, deps, new Date("2026-11-20T08:00:00Z"));
    expect(report?.problems).toHaveLength(1);
    expect(report?.problems[0]).toMatch(/^failed: disk full: the ledger under .+ cannot store anything/);
    expect(report?.problems[0]).not.toMatch(/\n|SqliteError/);
    const runOf = (name: string) => deps.ledger.jobs.lastJobRuns().find((r) => r.name === name);
    // The ending could not be stored yet; it is held, not lost.
    expect(runOf("fills-the-disk")?.status).toBe("running");

    const backup = await runSlot(backupJob, deps, new Date("2026-11-20T08:01:00Z"));
    expect(backup?.problems).toEqual([expect.stringMatching(/^failed: disk full/)]);

    free?.();
    const ok = defineJob({
      name: "after",
      schedule: "* * * * *",
      summary: "test job",
      run: async () => ({ changed: 0, skipped: 0, problems: [] }),
    });
    expect(await runSlot(ok, deps, new Date("2026-11-20T08:02:00Z"))).toEqual({ changed: 0, skipped: 0, problems: [] });
    expect(runOf("fills-the-disk")?.status).toBe("failed");
    expect(runOf("after")?.status).toBe("ok");
    const b = await runSlot(backupJob, deps, new Date("2026-11-20T08:03:00Z"));
    expect(b?.problems).toEqual([]);
  });

  it("backup: a full backup disk (the ledger's own disk fine) fails the job in one line naming backup.dir", async () => {
    const fs = mountTmpfs();
    if (!fs) throw new Error("tmpfs not mountable");
    cleanup.push(fs.unmount);
    const t = await testApp({ backup: { dir: fs.dir } });
    cleanup.push(() => t.close());
    const free = fillDisk(fs.dir);
    const r = await runSlot(backupJob, t.app.deps, new Date("2026-11-20T08:00:00Z"));
    expect(r?.problems).toEqual([
      `failed: disk full: no room for the backup under ${fs.dir}; free space there or point backup.dir at a larger disk`,
    ]);
    expect(t.app.deps.ledger.jobs.lastJobRuns().find((x) => x.name === "backup")?.status).toBe("failed");
    // A typed failure: no "stockradar bug" alert.
    expect(t.app.deps.ledger.alerts.dueAlerts(30).filter((a) => a.kind === "internal_error")).toHaveLength(0);
    free();
    expect((await runSlot(backupJob, t.app.deps, new Date("2026-11-20T08:01:00Z")))?.problems).toEqual([]);
  });

  it("doctor: a test write to a full data directory fails, and passes again once space returns", async () => {
    const { t, fill, dir } = await fullApp();
    const free = fill();
    const failed = testWrite(t.config, dir);
    expect(failed.ok).toBe(false);
    expect(failed.line).toContain("ENOSPC");
    expect(failed.line).not.toContain("\n");
    free();
    expect(testWrite(t.config, dir)).toMatchObject({ ok: true });
  });
});

describe("doctor's test write", () => {
  it("fails in one line for a directory that cannot take a file", () => {
    const f = testWrite({ timezone: "UTC", chat: {}, language: "zh-CN" } as never, "/proc");
    expect(f.ok).toBe(false);
    expect(f.line).toMatch(/^数据目录：向 \/proc 试写失败（E[A-Z]+）/);
  });
});

describe("job slot bookkeeping", () => {
  it("ends as failed the scheduled slots a stopped process left running, and leaves manual runs alone", async () => {
    const t = await testApp();
    cleanup.push(() => t.close());
    const jobs = t.app.deps.ledger.jobs;
    expect(jobs.claimJobSlot("stock-sync", "2026-11-20T07:58:00")).toBe(true);
    expect(jobs.claimJobSlot("backup", "manual:2026-11-20T07:59:00.000Z")).toBe(true);
    t.clock.advance(60_000);
    const s = startScheduler([], t.app.deps);
    await s.stop();
    const runs = new Map(jobs.lastJobRuns().map((r) => [r.name, r]));
    expect(runs.get("stock-sync")).toMatchObject({ status: "failed", finishedAt: expect.any(String) });
    expect(runs.get("backup")).toMatchObject({ status: "running", finishedAt: null });
  });
});

/**
 * A real SQLITE_FULL without a tmpfs: the database may not grow past the pages it has, and a scratch table takes
 * every free byte of them. Returns a function that gives the space back.
 */
function fillLedger(ledger: TestLedger): () => void {
  const pages = ledger.db.pragma("page_count", { simple: true }) as number;
  ledger.db.exec("CREATE TABLE filler (x BLOB)");
  ledger.db.pragma(`max_page_count = ${pages + 1}`);
  const put = ledger.db.prepare("INSERT INTO filler (x) VALUES (randomblob(?))");
  for (const size of [4000, 1000, 200, 40, 1])
    for (;;) {
      try {
        put.run(size);
      } catch (err) {
        if ((err as { code?: string }).code !== "SQLITE_FULL") throw err;
        break;
      }
    }
  return () => {
    ledger.db.exec("DROP TABLE filler");
    ledger.db.pragma(`max_page_count = ${pages * 100}`);
  };
}

describe("a full disk inside the sync engine (issue 19 item 5, max_page_count)", () => {
  it("a push pass that hits SQLITE_FULL raises the one disk-full alert, never internal_error, and the lane pushes by itself once space returns", async () => {
    const { clock } = testClock("2026-03-01T09:00:00Z");
    const timers = manualTimers(clock);
    const shop = await shopifyChannel("shop", {}, { timeoutMs: 30_000 });
    cleanup.push(() => shop.sim.close());
    const ledger = openTestLedger(openDatabase(":memory:"), { clock, settings: testSettings });
    cleanup.push(() => ledger.close());
    const items = shop.sim.seedItems(300, { available: 0 });
    for (const it of items) {
      const s = SkuSchema.parse(it.sku);
      ledger.stock.upsertSku({ sku: s, onHand: 10 }, { actor: "test", idempotencyKey: `seed:${it.sku}` });
      ledger.listings.linkListing({ channelId: "shop", sku: s, ref: it.id });
    }
    const sent: string[] = [];
    let deps: Deps | undefined;
    const engine = createSyncEngine({
      ledger,
      clock,
      timers,
      log: silentLogger(),
      channels: [shop.channel],
      // No debounce: a commit pushes at once (the manual timers fire only when the test advances them).
      settings: { ...fastSync, debounceMs: 0 },
      // As app.ts wires it.
      onDiskFull: (where) => {
        if (deps) void reportDiskFull(deps, where);
      },
    });
    cleanup.push(() => engine.stop());
    deps = {
      ...depsFor(ledger, engine, [shop.channel], {}, clock),
      notify: async (r) => {
        sent.push(r.text);
      },
    };
    const free = fillLedger(ledger);
    engine.start();
    await engine.idle();
    await new Promise((r) => setImmediate(r));

    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("Disk full");
    const alertKinds = (ledger.db.prepare("SELECT kind FROM alerts").all() as { kind: string }[]).map((a) => a.kind);
    expect(alertKinds).not.toContain("internal_error");
    expect(ledger.channelState.channelHealth("shop").consecutiveFailures).toBe(0);
    const pending = () => ledger.outbox.allOutbox("shop").length;
    expect(pending()).toBeGreaterThan(0);

    free();
    await timers.advance(DISK_FULL_RETRY_MS);
    await engine.idle();
    expect(pending()).toBe(0);
    expect(items.every((it) => shop.sim.state.items.get(it.id)?.available === 10)).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it("an order import on a full ledger stops with the disk-full error (the jobs' one line), not an order_rejected alert, and imports once space returns", async () => {
    const { clock } = testClock("2026-03-01T09:00:00Z");
    const shop = await shopifyChannel("shop", {}, { timeoutMs: 30_000 });
    cleanup.push(() => shop.sim.close());
    const ledger = openTestLedger(openDatabase(":memory:"), { clock, settings: testSettings });
    cleanup.push(() => ledger.close());
    const items = shop.sim.seedItems(60, { available: 5 });
    for (const it of items) {
      const s = SkuSchema.parse(it.sku);
      ledger.stock.upsertSku({ sku: s, onHand: 10 }, { actor: "test", idempotencyKey: `seed:${it.sku}` });
      ledger.listings.linkListing({ channelId: "shop", sku: s, ref: it.id });
    }
    const engine = createSyncEngine({
      ledger,
      clock,
      log: silentLogger(),
      channels: [shop.channel],
      settings: fastSync,
    });
    cleanup.push(() => engine.stop());
    shop.sim.createOrder(items.map((it) => ({ sku: it.sku, qty: 1 })));
    const free = fillLedger(ledger);
    const signal = new AbortController().signal;
    await expect(engine.importOrders({ signal })).rejects.toMatchObject({ code: "SQLITE_FULL" });
    const alertKinds = () =>
      (ledger.db.prepare("SELECT kind FROM alerts").all() as { kind: string }[]).map((a) => a.kind);
    expect(alertKinds()).not.toContain("order_rejected");
    expect(alertKinds()).not.toContain("internal_error");
    free();
    const [report] = await engine.importOrders({ signal });
    expect(report?.problems).toEqual([]);
    expect(ledger.stock.getLevel(SkuSchema.parse(items[0]!.sku)).reserved).toBe(1);
  });
});
