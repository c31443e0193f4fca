// A receiver for stockradar's `webhook` channel (docs/webhook-channel.md): verifies the signature on the raw
// bytes (the query string for a read GET), then sets stock or answers what it holds.
// Run: WEBHOOK_SECRET=... node examples/webhook-receiver.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

/** True when `header` (`t=<unix s>,v1=<hex>`) signs `raw` with `secret` and t is at most 5 minutes old. */
export function verify(secret, header, raw, nowMs = Date.now()) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m || Math.abs(nowMs / 1000 - Number(m[1])) > 300) return false;
  const want = createHmac("sha256", secret).update(`${m[1]}.`).update(raw).digest();
  return timingSafeEqual(want, Buffer.from(m[2], "hex"));
}

/** What a read GET is signed over: the query string exactly as sent, without the `?` ("" when there is none). */
export function signedQuery(url) {
  const i = url.indexOf("?");
  return i < 0 ? "" : url.slice(i + 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stock = new Map();
  createServer((req, res) => {
    const parts = [];
    req.on("data", (c) => parts.push(c));
    req.on("end", () => {
      const sig = req.headers["x-stockradar-signature"];
      if (req.method === "GET") {
        if (!verify(process.env.WEBHOOK_SECRET, sig, signedQuery(req.url))) return res.writeHead(401).end();
        const asked = new URL(req.url, "http://x").searchParams.get("skus")?.split(",") ?? [...stock.keys()];
        const items = asked.filter((s) => stock.has(s)).map((sku) => ({ sku, quantity: stock.get(sku) }));
        return res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ items, next_cursor: null }));
      }
      const raw = Buffer.concat(parts);
      if (!verify(process.env.WEBHOOK_SECRET, sig, raw)) return res.writeHead(401).end();
      const { items = [], prices = [] } = JSON.parse(raw.toString("utf8"));
      for (const i of items) stock.set(i.sku, i.quantity);
      const results = [...items, ...prices].map((i) => ({ sku: i.sku, ok: true }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results }));
    });
  }).listen(8788);
}
