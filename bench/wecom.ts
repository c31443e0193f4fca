/**
 * WeCom callback latency: how fast an encrypted app callback is acknowledged (WeCom allows 5 s) and how long
 * until the reply reached `message/send`, against the local simulator. Run: `node --import tsx bench/wecom.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.js";
import type { WecomTransport } from "../src/chat/transports/wecom.js";
import { parseConfig } from "../src/config.js";
import { SkuSchema } from "../src/ids.js";
import { silentLogger } from "../src/log.js";
import { appTextXml, startWecomSimulator } from "../src/sandbox/wecom.js";

const corp = {
  corpId: "wwbench000000001",
  corpSecret: "bench-secret-000000",
  agentId: 1000002,
  token: "bench-token",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
};
const N = Number(process.env.N ?? 300);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!.toFixed(2);

const sim = await startWecomSimulator({ ...corp, robotKeys: [] });
const dir = mkdtempSync(join(tmpdir(), "stockradar-bench-"));
const config = parseConfig(
  {
    database: join(dir, "ledger.db"),
    http: { enabled: true, host: "127.0.0.1", port: 0 },
    access: { viewers: ["wecom:lisi"] },
    chat: {
      wecom: {
        corpId: corp.corpId,
        agentId: corp.agentId,
        secret: corp.corpSecret,
        token: corp.token,
        encodingAesKey: corp.encodingAesKey,
        apiBase: sim.url,
      },
    },
  },
  {},
);
const app = await createApp({ config, log: silentLogger(), withConsole: false });
app.deps.ledger.stock.upsertSku(
  { sku: SkuSchema.parse("A-12"), title: "Tea cup", onHand: 7 },
  { actor: "bench", idempotencyKey: "bench:A-12" },
);
await app.start({ scheduler: false });
const wecom = app.transports.find((t) => t.name === "wecom") as WecomTransport;
const target = `http://127.0.0.1:${(app.http!.server.address() as AddressInfo).port}/wecom/callback`;

const ack: number[] = [];
const total: number[] = [];
for (let i = 0; i < N; i++) {
  const xml = appTextXml({
    corpId: corp.corpId,
    from: "lisi",
    content: "/whoami",
    msgId: String(9_000_000 + i),
    agentId: corp.agentId,
    createTime: Math.floor(Date.now() / 1000),
  });
  const t0 = performance.now();
  const r = await sim.postAppCallback(target, xml);
  ack.push(performance.now() - t0);
  await wecom.idle();
  total.push(performance.now() - t0);
  if (r.status !== 200) throw new Error(`callback answered ${r.status}`);
}
console.log(
  `wecom app callback, ${N} sequential /whoami messages (verify + decrypt + de-dup + dispatch + message/send):`,
);
console.log(
  `  ack (HTTP 200 to WeCom)   p50 ${pct(ack, 50)} ms  p95 ${pct(ack, 95)} ms  max ${pct(ack, 100)} ms   (WeCom deadline 5000 ms)`,
);
console.log(`  reply sent (message/send) p50 ${pct(total, 50)} ms  p95 ${pct(total, 95)} ms`);
console.log(`  replies received by the simulator: ${sim.appMessages().length}/${N}`);
await app.stop();
await sim.close();
rmSync(dir, { recursive: true, force: true });
