import type { Deps } from "../deps.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { Money } from "../ids.js";

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
  const m = CHANNEL_PREFIX.exec(typed);
  const configured = deps.config.channels.map((c) => c.id);
  if (m?.[1] && m[2] && configured.includes(m[1])) return withTotal(deps, m[1], m[2]);
  const seen = new Set(deps.orders.channelsOfOrder(typed));
  const [only] = seen;
  if (seen.size === 1 && only) return withTotal(deps, only, typed);
  if (seen.size > 1) {
    throw new InvalidInputError(
      "ambiguous_order",
      `Order ${typed} exists on ${[...seen].join(", ")}. Say which: /refund ${[...seen][0]}:${typed} AMOUNT REASON`,
    );
  }
  if (configured.length === 1 && configured[0]) return withTotal(deps, configured[0], typed);
  throw new NotFoundError(
    "unknown_order",
    `No order ${typed} in the ledger. Name the channel: /refund ${configured[0] ?? "shop1"}:${typed} AMOUNT REASON${configured.length ? ` (channels: ${configured.join(", ")})` : ""}`,
  );
}

function withTotal(deps: Deps, channelId: string, orderId: string): OrderRef {
  return { channelId, orderId, total: deps.orders.orderTotal(channelId, orderId) };
}
