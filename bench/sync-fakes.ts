import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ShopEndpoint, WooEndpoint } from "./two-channels.js";

/** The monotonic clock in ms (CLOCK_MONOTONIC on Linux: the same clock in every process on the machine). */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** What the fakes' process sends once its simulators listen and the catalog is seeded. */
export interface FakesReady {
  op: "ready";
  shop: ShopEndpoint;
  woo: WooEndpoint;
  /** Shopify items and the WooCommerce products of the same index; `spare` is linked to nothing. */
  items: { id: string; sku: string }[];
  products: { id: number; sku: string }[];
  spare: { id: number; sku: string };
}

/** Parent → fakes. */
export type FakesRequest =
  /** Tell me (`visible`) when this product stores this quantity. */
  | { op: "arm"; tag: number; productId: number; expected: number }
  /** A Shopify sale of item `k`: arm its Woo product for quantity − 1, then sign and send the order webhook. */
  | { op: "sale"; tag: number; k: number; url: string; secret: string };

/** Fakes → parent; times are {@link monotonicMs} in the fakes' process. */
export type FakesMessage =
  | FakesReady
  | { op: "armed"; tag: number }
  | { op: "sent"; tag: number; sentAt: number; status: number }
  | { op: "visible"; tag: number; at: number };

/**
 * Starts bench/sync-fakes-child.ts (the Shopify and WooCommerce simulators in their own process, so their work never
 * shares the event loop with the engine under test) and speaks to it over the IPC channel.
 */
export async function startFakes(n: number) {
  const script = fileURLToPath(new URL("./sync-fakes-child.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, String(n)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<string, (m: FakesMessage) => void>();
  const early = new Map<string, FakesMessage>();
  const keyOf = (m: FakesMessage) => (m.op === "ready" ? "ready" : `${m.op}:${m.tag}`);
  child.on("message", (m: FakesMessage) => {
    const k = keyOf(m);
    const w = waiting.get(k);
    if (w) {
      waiting.delete(k);
      w(m);
    } else early.set(k, m);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`the fakes' process exited ${code}`))),
  );
  exited.catch(() => undefined);
  /** The next message of that op and tag (one that already arrived is answered at once). */
  const next = <M extends FakesMessage>(op: M["op"], tag?: number): Promise<M> => {
    const k = op === "ready" ? "ready" : `${op}:${tag}`;
    const m = early.get(k);
    if (m) {
      early.delete(k);
      return Promise.resolve(m as M);
    }
    return Promise.race([new Promise<M>((r) => waiting.set(k, (x) => r(x as M))), exited]);
  };
  const ready = await next<FakesReady>("ready");
  let tags = 0;
  return {
    ...ready,
    /**
     * Arms a product; resolves once the fakes confirm, with `visible`: the moment it stores `expected` (wrapped, or
     * the async function would wait for it).
     */
    async arm(productId: number, expected: number): Promise<{ visible: Promise<number> }> {
      const tag = ++tags;
      const armed = next("armed", tag);
      child.send({ op: "arm", tag, productId, expected } satisfies FakesRequest);
      await armed;
      return { visible: next<{ op: "visible"; tag: number; at: number }>("visible", tag).then((m) => m.at) };
    },
    /** A sale webhook from the Shopify fake; resolves with when it was sent and when Woo showed the sale. */
    async sale(k: number, url: string, secret: string): Promise<{ sentAt: number; visibleAt: number }> {
      const tag = ++tags;
      const sent = next<{ op: "sent"; tag: number; sentAt: number; status: number }>("sent", tag);
      const visible = next<{ op: "visible"; tag: number; at: number }>("visible", tag);
      child.send({ op: "sale", tag, k, url, secret } satisfies FakesRequest);
      const s = await sent;
      if (s.status !== 200) throw new Error(`webhook answered ${s.status}`);
      return { sentAt: s.sentAt, visibleAt: (await visible).at };
    },
    async close(): Promise<void> {
      const gone = new Promise((r) => child.once("exit", r));
      child.disconnect();
      await gone;
    },
  };
}
