import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ShopEndpoint, WooEndpoint } from "./two-channels.js";

/** One simulated channel of the year replay: where it listens and its listing refs, in catalog order. */
export type ReplayLaneInfo =
  | { id: string; kind: "shopify"; shop: ShopEndpoint; refs: string[] }
  | { id: string; kind: "woocommerce"; woo: WooEndpoint; refs: string[] };

/** A signed order webhook as the channel's simulator would deliver it, for lane `lane`. */
export interface ReplayWebhook {
  lane: number;
  topic: string;
  body: string;
  headers: Record<string, string>;
}

/** Replay → simulators: a batch of orders ([lane, SKU, quantity]), or the simulators' peak memory. */
export type SimsRequest =
  | { op: "orders"; tag: number; orders: [number, string, number][] }
  | { op: "memory"; tag: number };

/** Simulators → replay. */
export type SimsMessage =
  | { op: "ready"; lanes: ReplayLaneInfo[] }
  | { op: "orders"; tag: number; webhooks: ReplayWebhook[] }
  | { op: "memory"; tag: number; peakRssBytes: number };

/** Starts bench/year-replay-sims.ts (the 7 simulators in their own process) and speaks to it over IPC. */
export async function startReplaySims(skuCount: number, secret: string) {
  const script = fileURLToPath(new URL("./year-replay-sims.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, String(skuCount), secret], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<string, { resolve: (m: SimsMessage) => void; reject: (err: Error) => void }>();
  child.on("message", (m: SimsMessage) => {
    const k = m.op === "ready" ? "ready" : `${m.op}:${m.tag}`;
    waiting.get(k)?.resolve(m);
    waiting.delete(k);
  });
  // An exit fails whoever still waits. Not a Promise.race against one "exited" promise that never settles: every
  // race left a reaction on it, and the heap snapshot showed those reactions keeping each answered batch of webhook
  // bodies alive (45 MB at 1/10 scale), so the driver grew with the orders of the year.
  let exitError: Error | undefined;
  child.once("exit", (code) => {
    exitError = new Error(`the simulators' process exited ${code}`);
    for (const w of waiting.values()) w.reject(exitError);
    waiting.clear();
  });
  const next = <M extends SimsMessage>(key: string): Promise<M> =>
    new Promise<M>((resolve, reject) => {
      if (exitError) reject(exitError);
      else waiting.set(key, { resolve: (m) => resolve(m as M), reject });
    });
  const ready = await next<{ op: "ready"; lanes: ReplayLaneInfo[] }>("ready");
  let tags = 0;
  return {
    lanes: ready.lanes,
    /** Creates the orders on their simulators and returns their signed webhooks. */
    async orders(orders: [number, string, number][]): Promise<ReplayWebhook[]> {
      const tag = ++tags;
      const reply = next<{ op: "orders"; tag: number; webhooks: ReplayWebhook[] }>(`orders:${tag}`);
      child.send({ op: "orders", tag, orders } satisfies SimsRequest);
      return (await reply).webhooks;
    },
    /** The simulators' process's resident-set high-water mark. */
    async peakRss(): Promise<number> {
      const tag = ++tags;
      const reply = next<{ op: "memory"; tag: number; peakRssBytes: number }>(`memory:${tag}`);
      child.send({ op: "memory", tag } satisfies SimsRequest);
      return (await reply).peakRssBytes;
    },
    async close(): Promise<void> {
      const gone = new Promise((r) => child.once("exit", r));
      child.disconnect();
      await gone;
    },
  };
}
