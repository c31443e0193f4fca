/** Sync engine state: channel health and pauses, push latency, order cursors, webhook de-dup, order lines, shipments. */
export default `
CREATE TABLE channel_health (
  channel_id            TEXT PRIMARY KEY,
  is_paused             INTEGER NOT NULL DEFAULT 0 CHECK (is_paused IN (0, 1)),
  paused_by             TEXT,
  paused_at             TEXT,
  last_success_at       TEXT,
  last_failure_at       TEXT,
  failing_since         TEXT,
  consecutive_failures  INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  last_error            TEXT,
  throttled_until       TEXT
) STRICT;

-- One row per confirmed push: enqueue → confirm is the oversell window of that channel.
CREATE TABLE push_log (
  id                 INTEGER PRIMARY KEY,
  channel_id         TEXT NOT NULL,
  sku                TEXT NOT NULL,
  version            INTEGER NOT NULL,
  target_qty         INTEGER NOT NULL,
  is_listed          INTEGER NOT NULL CHECK (is_listed IN (0, 1)),
  enqueued_at        TEXT NOT NULL,
  first_enqueued_at  TEXT NOT NULL,
  confirmed_at       TEXT NOT NULL,
  latency_ms         INTEGER NOT NULL,
  attempts           INTEGER NOT NULL
) STRICT;
CREATE INDEX push_log_by_channel ON push_log(channel_id, id);

CREATE TABLE order_cursors (
  channel_id   TEXT PRIMARY KEY,
  cursor       TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
  channel_id   TEXT NOT NULL,
  delivery_id  TEXT NOT NULL,
  kind         TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  PRIMARY KEY (channel_id, delivery_id)
) STRICT;

-- Orders as seen on each channel (for /orders); lines carry the last state we applied, which only moves forward.
CREATE TABLE channel_orders (
  channel_id     TEXT NOT NULL,
  order_id       TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  total_minor    INTEGER,
  currency       TEXT,
  first_seen_at  TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('webhook', 'poll')),
  PRIMARY KEY (channel_id, order_id)
) STRICT;
CREATE INDEX channel_orders_recent ON channel_orders(created_at);

CREATE TABLE channel_order_lines (
  channel_id      TEXT NOT NULL,
  order_id        TEXT NOT NULL,
  line_id         TEXT NOT NULL,
  sku             TEXT,
  qty             INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled', 'unmapped')),
  reservation_id  TEXT,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (channel_id, order_id, line_id)
) STRICT;

-- Tracking numbers of shipped lines, handed to the logistics radar.
CREATE TABLE order_shipments (
  channel_id      TEXT NOT NULL,
  order_id        TEXT NOT NULL,
  line_id         TEXT NOT NULL,
  sku             TEXT,
  carrier         TEXT NOT NULL,
  tracking_no     TEXT NOT NULL,
  shipped_at      TEXT,
  recorded_at     TEXT NOT NULL,
  PRIMARY KEY (channel_id, order_id, line_id)
) STRICT;
CREATE INDEX order_shipments_by_tracking ON order_shipments(tracking_no);
`;

/**
 * Issue 18 (version 12): bulk-change holds (outbox rows held behind one approval).
 * `outbox.hold_id` names the hold that checked a row (kept after a release, so a released row is not held again);
 * `outbox.is_held` is 1 while that hold waits for a decision.
 */
export const bulkHolds = `
ALTER TABLE outbox ADD COLUMN hold_id TEXT;
ALTER TABLE outbox ADD COLUMN is_held INTEGER NOT NULL DEFAULT 0 CHECK (is_held IN (0, 1));
CREATE INDEX outbox_by_hold ON outbox(hold_id);

CREATE TABLE bulk_holds (
  id              TEXT PRIMARY KEY,
  status          TEXT NOT NULL CHECK (status IN ('held', 'released', 'discarded')),
  cause           TEXT NOT NULL,
  skus            INTEGER NOT NULL,
  zeroed          INTEGER NOT NULL,
  units_moved     INTEGER NOT NULL,
  units_published INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  decided_by      TEXT,
  decided_at      TEXT
) STRICT;

CREATE TABLE bulk_hold_items (
  hold_id    TEXT NOT NULL REFERENCES bulk_holds(id),
  channel_id TEXT NOT NULL,
  sku        TEXT NOT NULL,
  from_qty   INTEGER,
  to_qty     INTEGER NOT NULL,
  PRIMARY KEY (hold_id, channel_id, sku)
) STRICT;
`;
