import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { openDatabase } from "../src/ledger/db.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import type { BenchSection } from "./types.js";

// Start-up time and resident memory of the real CLI (`node bin/stockradar.js run`) on a big seller's ledger:
// 100,000 SKUs listed on 3 channels and 50,000 parcels under watch. Baseline: bare Node opening the same file
// with better-sqlite3, measured in the same run.

const BIN = join(import.meta.dirname, "..", "bin", "stockradar.js");
const CHANNELS = ["shop1", "shop2", "shop3"];

/** Bulk-seeds the ledger with plain SQL in one transaction (the ledger's own functions would take minutes here). */
function seed(database: string, skus: number, parcels: number): void {
  const db = openDatabase(database);
  const at = "2026-11-01T00:00:00.000Z";
  db.transaction(() => {
    const sku = db.prepare(
      "INSERT INTO skus (sku, title, on_hand, reserved, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)",
    );
    const move = db.prepare(
      "INSERT INTO movements (at, sku, reason, actor, on_hand_before, on_hand_after, reserved_before, reserved_after, idempotency_key) VALUES (?, ?, 'import', 'bench', 0, ?, 0, 0, ?)",
    );
    const listing = db.prepare(
      "INSERT INTO listings (channel_id, sku, ref, confirmed_qty, confirmed_listed, confirmed_at, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
    );
    for (let i = 0; i < skus; i++) {
      const id = `SKU-${String(i).padStart(6, "0")}`;
      const onHand = 5 + (i % 200);
      sku.run(id, `Item ${i}`, onHand, at, at);
      move.run(at, id, onHand, `seed:${id}`);
      for (const c of CHANNELS) listing.run(c, id, `gid://shopify/InventoryItem/${c}-${i}`, onHand, at, at);
    }
    const parcel = db.prepare(
      `INSERT INTO shipments (order_ref, channel_id, carrier, tracking_no, shipped_at, status, status_since, next_check_at, created_at, updated_at)
       VALUES (?, 'shop1', 'sf', ?, ?, 'IN_TRANSIT', ?, ?, ?, ?)`,
    );
    for (let i = 0; i < parcels; i++)
      parcel.run(`#${100000 + i}`, `SF${String(1_000_000_000 + i)}`, at, at, "2030-01-01T00:00:00.000Z", at, at);
  })();
  db.close();
}

interface Started {
  readyMs: number;
  createdMs: number;
  rssMb: number;
  peakMb: number;
}

const kb = (status: string, key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);

/** Spawns the bot, waits for "http listening", exercises /healthz and /metrics, reads its memory, stops it. */
async function startOnce(configFile: string, cwd: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, "run", "--config", configFile], {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LOG_LEVEL: "info" },
  });
  let createdMs = 0;
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    child.stderr!.on("data", (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split("\n")) {
        if (line.includes('"stockradar starting"') && !createdMs) createdMs = performance.now() - t0;
        const m = /"msg":"http listening"/.test(line) ? /"port":(\d+)/.exec(line) : null;
        if (m) resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`bot exited with ${code} before listening:\n${buf.slice(-2000)}`)));
  });
  const readyMs = performance.now() - t0;
  const base = `http://127.0.0.1:${port}`;
  await (await fetch(`${base}/healthz`)).arrayBuffer();
  await (await fetch(`${base}/metrics`)).arrayBuffer();
  await new Promise((r) => setTimeout(r, 1_000));
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGTERM");
  await exited;
  return { readyMs, createdMs, rssMb: kb(status, "VmRSS") / 1024, peakMb: kb(status, "VmHWM") / 1024 };
}

/** Bare Node opening the same ledger with better-sqlite3 and counting its rows: the floor under our start-up. */
async function bareOnce(database: string): Promise<{ ms: number; rssMb: number }> {
  const t0 = performance.now();
  const script = `const D=(await import("better-sqlite3")).default;const db=new D(${JSON.stringify(database)});db.pragma("journal_mode = WAL");
const n=db.prepare("SELECT (SELECT COUNT(*) FROM skus)+(SELECT COUNT(*) FROM listings)+(SELECT COUNT(*) FROM shipments) AS n").get().n;
const s=(await import("node:fs")).readFileSync("/proc/self/status","utf8");console.log(n, /VmRSS:\\s+(\\d+)/.exec(s)[1]);`;
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: join(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let s = "";
    child.stdout.on("data", (d: Buffer) => (s += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(s) : reject(new Error(`bare baseline exited ${code}`))));
  });
  return { ms: performance.now() - t0, rssMb: Number(out.trim().split(" ")[1]) / 1024 };
}

/** What start-up would cost without the compiled build: loading the sources through tsx, without running anything. */
async function importOnce(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "-e", 'await import("./src/main.ts")'], {
      cwd: join(import.meta.dirname, ".."),
      stdio: "ignore",
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`import exited ${code}`))));
  });
  return performance.now() - t0;
}

/** Start-up time and memory with 100k SKUs × 3 channels and 50k parcels, against bare better-sqlite3. */
export const startupBench: BenchSection = async ({ full, log }) => {
  const skus = 100_000;
  const parcels = 50_000;
  const dir = mkdtempSync(join(tmpdir(), "stockradar-startup-"));
  const sims: ShopifySim[] = [];
  try {
    const database = join(dir, "ledger.db");
    const t0 = performance.now();
    seed(database, skus, parcels);
    log(
      `seeded ${skus} SKUs × ${CHANNELS.length} channels and ${parcels} parcels in ${((performance.now() - t0) / 1000).toFixed(1)} s (${(statSync(database).size / 1024 ** 2).toFixed(0)} MB)`,
    );
    for (const id of CHANNELS) sims.push(await startShopifySim({ shopDomain: `${id}.myshopify.com` }));
    const configFile = join(dir, "stockradar.yaml");
    writeFileSync(
      configFile,
      stringify({
        database,
        logLevel: "info",
        http: { host: "127.0.0.1", port: 0 },
        chat: { console: false },
        channels: CHANNELS.map((id, i) => ({
          id,
          kind: "shopify",
          shop: sims[i]!.shopDomain,
          accessToken: sims[i]!.accessToken,
          locationId: sims[i]!.locationId,
          apiBase: sims[i]!.url,
          apiVersion: sims[i]!.apiVersion,
        })),
      }),
    );
    const rounds = full ? 5 : 3;
    const ours: Started[] = [];
    const bare: { ms: number; rssMb: number }[] = [];
    const imports: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await startOnce(configFile, dir));
      bare.push(await bareOnce(database));
      imports.push(await importOnce());
      log(
        `start-up round ${r + 1}: ready ${ours[r]!.readyMs.toFixed(0)} ms (app built ${ours[r]!.createdMs.toFixed(0)} ms), RSS ${ours[r]!.rssMb.toFixed(0)} MB; bare ${bare[r]!.ms.toFixed(0)} ms; source import ${imports[r]!.toFixed(0)} ms`,
      );
    }
    const best = <T>(xs: T[], f: (x: T) => number) => Math.min(...xs.map(f));
    const readyMs = best(ours, (o) => o.readyMs);
    const bareMs = best(bare, (b) => b.ms);
    const importMs = best(imports, (x) => x);
    const rss = Math.max(...ours.map((o) => o.rssMb));
    const peak = Math.max(...ours.map((o) => o.peakMb));
    const bareRss = Math.max(...bare.map((b) => b.rssMb));
    return [
      {
        figure: `start-up to serving, 100k SKUs × 3 channels + 50k parcels (best of ${rounds}; compiled build; importing the sources through tsx alone: ${importMs.toFixed(0)} ms)`,
        value: `${(readyMs / 1000).toFixed(2)} s`,
        baseline: `${(bareMs / 1000).toFixed(2)} s (bare node + better-sqlite3 open)`,
        ratio: (readyMs / bareMs).toFixed(1),
        target: "< 2 s",
        isMet: readyMs < 2_000,
      },
      {
        figure: "resident memory after start-up, /healthz and /metrics (same ledger)",
        value: `${rss.toFixed(0)} MB (peak ${peak.toFixed(0)} MB)`,
        baseline: `${bareRss.toFixed(0)} MB (bare node + better-sqlite3 open)`,
        ratio: (rss / bareRss).toFixed(1),
        target: "< 250 MB",
        isMet: peak < 250,
      },
    ];
  } finally {
    await Promise.all(sims.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
};
