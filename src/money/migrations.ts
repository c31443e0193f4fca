/** Money safety: refund requests and their state machine, the refund breaker, prices and their change log, daily summary sends. */
export default `
-- pending → approved → executed | failed; pending → rejected. A row counts towards the breaker window
-- from counted_at (approval, or the moment a channel told us it refunded) while approved or executed.
CREATE TABLE refunds (
  id                  TEXT PRIMARY KEY,
  channel_id          TEXT NOT NULL,
  order_id            TEXT NOT NULL,
  amount_minor        INTEGER NOT NULL CHECK (amount_minor > 0),
  currency            TEXT NOT NULL CHECK (length(currency) = 3),
  reason              TEXT NOT NULL,
  source              TEXT NOT NULL CHECK (source IN ('chat', 'channel')),
  request_key         TEXT NOT NULL UNIQUE,
  requested_by        TEXT NOT NULL,
  requested_at        TEXT NOT NULL,
  state               TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'executed', 'failed')),
  decided_by          TEXT,
  decided_at          TEXT,
  reject_reason       TEXT,
  counted_at          TEXT,
  execution           TEXT CHECK (execution IN ('api', 'manual', 'channel')),
  idempotency_key     TEXT UNIQUE,
  attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  attempt_started_at  TEXT,
  last_error          TEXT,
  channel_refund_id   TEXT,
  executed_by         TEXT,
  executed_at         TEXT,
  failed_at           TEXT,
  updated_at          TEXT NOT NULL,
  CHECK (state != 'rejected' OR reject_reason IS NOT NULL),
  CHECK (state NOT IN ('approved', 'executed') OR counted_at IS NOT NULL),
  CHECK (state != 'executed' OR executed_at IS NOT NULL),
  -- Four eyes: whoever approved (or ran) a refund is never the one who asked for it.
  CHECK (state IN ('pending', 'rejected') OR decided_by IS NULL OR decided_by != requested_by)
) STRICT;
CREATE UNIQUE INDEX refunds_by_channel_refund ON refunds(channel_id, channel_refund_id) WHERE channel_refund_id IS NOT NULL;
CREATE INDEX refunds_window ON refunds(currency, counted_at) WHERE state IN ('approved', 'executed');
CREATE INDEX refunds_by_state ON refunds(state, requested_at);
CREATE INDEX refunds_by_order ON refunds(channel_id, order_id);

-- One row: the breaker. Open blocks every refund and price change until an admin resets it.
CREATE TABLE breaker (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  is_open             INTEGER NOT NULL CHECK (is_open IN (0, 1)),
  opened_at           TEXT,
  opened_by           TEXT,
  reason              TEXT,
  currency            TEXT,
  window_total_minor  INTEGER,
  limit_minor         INTEGER,
  refund_id           TEXT,
  last_paged_at       TEXT,
  page_count          INTEGER NOT NULL DEFAULT 0,
  CHECK (is_open = 0 OR opened_at IS NOT NULL)
) STRICT;
INSERT INTO breaker (id, is_open) VALUES (1, 0);

CREATE TABLE breaker_events (
  id                  INTEGER PRIMARY KEY,
  at                  TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('trip', 'reset')),
  actor               TEXT NOT NULL,
  reason              TEXT NOT NULL,
  currency            TEXT,
  window_total_minor  INTEGER,
  limit_minor         INTEGER,
  refund_id           TEXT
) STRICT;
CREATE TRIGGER breaker_events_append_only_update BEFORE UPDATE ON breaker_events
  BEGIN SELECT RAISE(ABORT, 'breaker_events are append-only'); END;
CREATE TRIGGER breaker_events_append_only_delete BEFORE DELETE ON breaker_events
  BEGIN SELECT RAISE(ABORT, 'breaker_events are append-only'); END;

-- channel_id '' is the SKU's base price on every channel; a channel row overrides it.
CREATE TABLE prices (
  sku           TEXT NOT NULL REFERENCES skus(sku),
  channel_id    TEXT NOT NULL DEFAULT '',
  amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
  currency      TEXT NOT NULL CHECK (length(currency) = 3),
  updated_at    TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  PRIMARY KEY (sku, channel_id)
) STRICT;

-- Every price change the bot was asked to make, applied or refused by the guard.
CREATE TABLE price_changes (
  id               INTEGER PRIMARY KEY,
  at               TEXT NOT NULL,
  sku              TEXT NOT NULL,
  channel_id       TEXT NOT NULL DEFAULT '',
  old_minor        INTEGER,
  new_minor        INTEGER NOT NULL,
  currency         TEXT NOT NULL,
  actor            TEXT NOT NULL,
  outcome          TEXT NOT NULL CHECK (outcome IN ('applied', 'refused')),
  reason           TEXT,
  idempotency_key  TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX price_changes_by_sku ON price_changes(sku, id);

-- One row per summarised day: claimed before sending, so no day is sent twice across restarts or processes.
CREATE TABLE summary_sends (
  day         TEXT PRIMARY KEY,
  status      TEXT NOT NULL CHECK (status IN ('sending', 'sent')),
  claimed_at  TEXT NOT NULL,
  sent_at     TEXT
) STRICT;
`;

/**
 * Migration 10 (issue 14): the price outbox — one target price per (channel, listing) with a version, kept until
 * the channel confirmed that exact price — and the last price each channel confirmed (reconcile's drift baseline).
 */
export const priceOutbox = `
CREATE TABLE price_outbox (
  channel_id      TEXT NOT NULL,
  sku             TEXT NOT NULL REFERENCES skus(sku),
  ref             TEXT NOT NULL,
  target_minor    INTEGER NOT NULL CHECK (target_minor >= 0),
  currency        TEXT NOT NULL CHECK (length(currency) = 3),
  version         INTEGER NOT NULL CHECK (version >= 1),
  change_id       INTEGER,
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (channel_id, sku)
) STRICT;
CREATE INDEX price_outbox_due ON price_outbox(channel_id, next_attempt_at);

CREATE TABLE channel_prices (
  channel_id      TEXT NOT NULL,
  sku             TEXT NOT NULL,
  amount_minor    INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  confirmed_at    TEXT NOT NULL,
  PRIMARY KEY (channel_id, sku)
) STRICT;
`;

/**
 * Migration 16 (issue 14): price requests — a confirmed /price whose move is above `money.priceApprovalAbove` %
 * waits here for an approver other than the requester (maker-checker), then goes through the guard and the outbox.
 */
export const priceRequests = `
-- pending → approved | rejected. change_id is the price_changes row the approval applied.
CREATE TABLE price_requests (
  id             INTEGER PRIMARY KEY,
  sku            TEXT NOT NULL REFERENCES skus(sku),
  channel_id     TEXT NOT NULL DEFAULT '',
  old_minor      INTEGER,
  new_minor      INTEGER NOT NULL CHECK (new_minor >= 0),
  currency       TEXT NOT NULL CHECK (length(currency) = 3),
  move_pct       REAL NOT NULL,
  request_key    TEXT NOT NULL UNIQUE,
  requested_by   TEXT NOT NULL,
  requested_at   TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  decided_by     TEXT,
  decided_at     TEXT,
  reject_reason  TEXT,
  change_id      INTEGER,
  CHECK (state = 'pending' OR decided_by IS NOT NULL),
  -- Four eyes: whoever approves a price request is never the one who asked for it.
  CHECK (state != 'approved' OR decided_by != requested_by)
) STRICT;
CREATE INDEX price_requests_by_sku ON price_requests(sku, state);
`;

/**
 * Migration 19 (issue 14): the guard's catalog limits per (SKU, currency) — cost, minimum margin, ceiling —, bulk
 * price changes held for one approval (a CSV above the count or value threshold), and order lines the promotion
 * guard holds (quantity far above what the SKU normally sells per order).
 */
export const priceLimits = `
CREATE TABLE sku_price_limits (
  sku             TEXT NOT NULL REFERENCES skus(sku),
  currency        TEXT NOT NULL CHECK (length(currency) = 3),
  cost_minor      INTEGER CHECK (cost_minor IS NULL OR cost_minor >= 0),
  min_margin_pct  REAL CHECK (min_margin_pct IS NULL OR (min_margin_pct >= 0 AND min_margin_pct < 100)),
  ceiling_minor   INTEGER CHECK (ceiling_minor IS NULL OR ceiling_minor > 0),
  updated_at      TEXT NOT NULL,
  updated_by      TEXT NOT NULL,
  PRIMARY KEY (sku, currency)
) STRICT;

-- pending → approved | rejected. items is the validated file as JSON: [{sku, channelId, amountMinor, currency, oldMinor}].
CREATE TABLE price_batches (
  id             INTEGER PRIMARY KEY,
  request_key    TEXT NOT NULL UNIQUE,
  source         TEXT NOT NULL,
  items          TEXT NOT NULL,
  item_count     INTEGER NOT NULL CHECK (item_count >= 1),
  requested_by   TEXT NOT NULL,
  requested_at   TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  decided_by     TEXT,
  decided_at     TEXT,
  reject_reason  TEXT,
  CHECK (state = 'pending' OR decided_by IS NOT NULL),
  CHECK (state != 'approved' OR decided_by != requested_by)
) STRICT;

-- held → approved | cancelled. One row per order line the promotion guard stopped.
CREATE TABLE held_order_lines (
  id              INTEGER PRIMARY KEY,
  channel_id      TEXT NOT NULL,
  order_id        TEXT NOT NULL,
  line_id         TEXT NOT NULL,
  sku             TEXT NOT NULL,
  qty             INTEGER NOT NULL CHECK (qty > 0),
  usual_p99       INTEGER NOT NULL,
  history_lines   INTEGER NOT NULL,
  reservation_id  TEXT,
  state           TEXT NOT NULL CHECK (state IN ('held', 'approved', 'cancelled')),
  held_at         TEXT NOT NULL,
  decided_by      TEXT,
  decided_at      TEXT,
  UNIQUE (channel_id, order_id, line_id)
) STRICT;
CREATE INDEX held_order_lines_by_state ON held_order_lines(state, id);
`;
