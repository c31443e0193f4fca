// A receiver for stockradar's `webhook` channel (docs/webhook-channel.md): verifies the signature on the raw
// bytes, then answers one result per item. Run: WEBHOOK_SECRET=... node examples/webhook-receiver.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

/** True when `header` (`t=<unix s>,v1=<hex>`) signs `raw` with `secret` and t is at most 5 minutes old. */
export function verify(secret, header, raw, nowMs = Date.now()) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m || Math.abs(nowMs / 1000 - Number(m[1])) > 300) return false;
  const want = createHmac("sha256", secret).update(`${m[1]}.`).update(raw).digest();
  return timingSafeEqual(want, Buffer.from(m[2], "hex"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createServer((req, res) => {
    const parts = [];
    req.on("data", (c) => parts.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(parts);
      if (!verify(process.env.WEBHOOK_SECRET, req.headers["x-stockradar-signature"], raw))
        return res.writeHead(401).end();
      const { items = [], prices = [] } = JSON.parse(raw.toString("utf8"));
      for (const i of items) console.log(`set ${i.sku} (${i.ref}) to ${i.quantity}`);
      const results = [...items, ...prices].map((i) => ({ sku: i.sku, ok: true }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results }));
    });
  }).listen(8788);
}
