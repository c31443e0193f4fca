import type { Deps } from "../deps.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { Money } from "../ids.js";
import { hasTable } from "../summary/schema.js";

/** An order a refund refers to, with its total when the channel told us. */
export interface OrderRef {
  channelId: string;
  orderId: string;
  total: Money | undefined;
}

const CHANNEL_PREFIX = /^([a-z][a-z0-9_-]{0,31}):(.+)$/;

/**
 * Resolves what an operator typed: `shop1:1001` names the channel; a bare `1001` is looked up among
 * the orders the ledger has seen and must belong to exactly one channel (or there is only one channel).
 */
export function resolveOrder(deps: Deps, typed: string): OrderRef {
  const db = deps.ledger.db;
  const m = CHANNEL_PREFIX.exec(typed);
  const configured = deps.config.channels.map((c) => c.id);
  if (m && configured.includes(m[1]!)) return withTotal(deps, m[1]!, m[2]!);
  const seen = new Set(
    db
      .prepare<[string], { channel_id: string }>("SELECT DISTINCT channel_id FROM reservations WHERE kind = 'order' AND order_id = ? AND channel_id IS NOT NULL")
      .all(typed)
      .map((r) => r.channel_id),
  );
  if (hasTable(db, "channel_orders")) {
    for (const r of db.prepare<[string], { channel_id: string }>("SELECT channel_id FROM channel_orders WHERE order_id = ?").all(typed)) seen.add(r.channel_id);
  }
  if (seen.size === 1) return withTotal(deps, [...seen][0]!, typed);
  if (seen.size > 1) {
    throw new InvalidInputError("ambiguous_order", `Order ${typed} exists on ${[...seen].join(", ")}. Say which: /refund ${[...seen][0]}:${typed} AMOUNT REASON`);
  }
  if (configured.length === 1) return withTotal(deps, configured[0]!, typed);
  throw new NotFoundError(
    "unknown_order",
    `No order ${typed} in the ledger. Name the channel: /refund ${configured[0] ?? "shop1"}:${typed} AMOUNT REASON${configured.length ? ` (channels: ${configured.join(", ")})` : ""}`,
  );
}

function withTotal(deps: Deps, channelId: string, orderId: string): OrderRef {
  const db = deps.ledger.db;
  if (!hasTable(db, "channel_orders")) return { channelId, orderId, total: undefined };
  const r = db
    .prepare<[string, string], { total_minor: number | null; currency: string | null }>("SELECT total_minor, currency FROM channel_orders WHERE channel_id = ? AND order_id = ?")
    .get(channelId, orderId);
  return { channelId, orderId, total: r && r.total_minor !== null && r.currency ? { amountMinor: r.total_minor, currency: r.currency } : undefined };
}
