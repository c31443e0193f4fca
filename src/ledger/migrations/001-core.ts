/** Core ledger: SKUs, movements, reservations, oversells, listings, outbox, alerts, audit, jobs. */
export default `
CREATE TABLE skus (
  sku            TEXT PRIMARY KEY,
  title          TEXT NOT NULL DEFAULT '',
  on_hand        INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved       INTEGER NOT NULL DEFAULT 0 CHECK (reserved BETWEEN 0 AND on_hand),
  low_threshold  INTEGER CHECK (low_threshold IS NULL OR low_threshold >= 0),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE movements (
  id               INTEGER PRIMARY KEY,
  at               TEXT NOT NULL,
  sku              TEXT NOT NULL REFERENCES skus(sku),
  reason           TEXT NOT NULL,
  actor            TEXT NOT NULL,
  reference        TEXT,
  on_hand_before   INTEGER NOT NULL,
  on_hand_after    INTEGER NOT NULL,
  reserved_before  INTEGER NOT NULL,
  reserved_after   INTEGER NOT NULL,
  idempotency_key  TEXT NOT NULL UNIQUE,
  note             TEXT
) STRICT;
CREATE INDEX movements_by_sku ON movements(sku, id);
CREATE TRIGGER movements_append_only_update BEFORE UPDATE ON movements
  BEGIN SELECT RAISE(ABORT, 'movements are append-only'); END;
CREATE TRIGGER movements_append_only_delete BEFORE DELETE ON movements
  BEGIN SELECT RAISE(ABORT, 'movements are append-only'); END;

-- qty is what is actually held; requested - qty is the oversell shortfall (order lines only).
CREATE TABLE reservations (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('hold', 'order')),
  sku         TEXT NOT NULL REFERENCES skus(sku),
  qty         INTEGER NOT NULL CHECK (qty >= 0),
  requested   INTEGER NOT NULL CHECK (requested > 0 AND requested >= qty),
  status      TEXT NOT NULL CHECK (status IN ('active', 'shipped', 'released', 'expired', 'cancelled')),
  ref         TEXT,
  channel_id  TEXT,
  order_id    TEXT,
  line_id     TEXT,
  created_at  TEXT NOT NULL,
  expires_at  TEXT,
  closed_at   TEXT,
  UNIQUE (channel_id, order_id, line_id)
) STRICT;
CREATE INDEX reservations_expiry ON reservations(expires_at) WHERE status = 'active' AND kind = 'hold';
CREATE INDEX reservations_by_sku ON reservations(sku, status);

CREATE TABLE oversells (
  id              INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,
  sku             TEXT NOT NULL REFERENCES skus(sku),
  reservation_id  TEXT NOT NULL REFERENCES reservations(id),
  channel_id      TEXT,
  order_id        TEXT,
  requested       INTEGER NOT NULL,
  shortfall       INTEGER NOT NULL CHECK (shortfall > 0),
  resolved_at     TEXT
) STRICT;

CREATE TABLE listings (
  id                  INTEGER PRIMARY KEY,
  channel_id          TEXT NOT NULL,
  sku                 TEXT NOT NULL REFERENCES skus(sku),
  ref                 TEXT NOT NULL,
  cap                 INTEGER CHECK (cap IS NULL OR cap >= 0),
  buffer              INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
  share_pct           INTEGER CHECK (share_pct IS NULL OR share_pct BETWEEN 0 AND 100),
  is_delisted         INTEGER NOT NULL DEFAULT 0 CHECK (is_delisted IN (0, 1)),
  confirmed_qty       INTEGER,
  confirmed_listed    INTEGER,
  confirmed_at        TEXT,
  created_at          TEXT NOT NULL,
  UNIQUE (channel_id, sku),
  UNIQUE (channel_id, ref)
) STRICT;
CREATE INDEX listings_by_sku ON listings(sku);

-- One row per (channel, sku): newer targets overwrite older ones (coalescing). A row is deleted only
-- when the channel confirmed exactly this version's target.
CREATE TABLE outbox (
  channel_id        TEXT NOT NULL,
  sku               TEXT NOT NULL,
  listing_id        INTEGER NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  target_qty        INTEGER NOT NULL CHECK (target_qty >= 0),
  is_listed         INTEGER NOT NULL CHECK (is_listed IN (0, 1)),
  version           INTEGER NOT NULL DEFAULT 1,
  first_enqueued_at TEXT NOT NULL,
  enqueued_at       TEXT NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   TEXT,
  last_error        TEXT,
  PRIMARY KEY (channel_id, sku)
) STRICT;

CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  subject        TEXT NOT NULL,
  severity       TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  text           TEXT NOT NULL,
  buttons        TEXT NOT NULL DEFAULT '[]',
  status         TEXT NOT NULL CHECK (status IN ('open', 'acked', 'resolved')),
  raised_at      TEXT NOT NULL,
  last_raised_at TEXT NOT NULL,
  raise_count    INTEGER NOT NULL DEFAULT 1,
  sent_count     INTEGER NOT NULL DEFAULT 0,
  last_sent_at   TEXT,
  snoozed_until  TEXT,
  acked_by       TEXT,
  acked_at       TEXT,
  resolved_at    TEXT
) STRICT;
CREATE UNIQUE INDEX alerts_live ON alerts(kind, subject) WHERE status != 'resolved';

CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  transport   TEXT NOT NULL,
  action      TEXT NOT NULL,
  args        TEXT NOT NULL DEFAULT '',
  outcome     TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  detail      TEXT
) STRICT;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

CREATE TABLE job_runs (
  name         TEXT NOT NULL,
  slot         TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  report       TEXT,
  PRIMARY KEY (name, slot)
) STRICT;

-- Pending confirmations for destructive commands, bound to actor and exact arguments.
CREATE TABLE confirmations (
  token       TEXT PRIMARY KEY,
  actor       TEXT NOT NULL,
  command     TEXT NOT NULL,
  args        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
) STRICT;

-- Button payloads: transports put only the short id on the wire (Telegram allows 64 bytes).
CREATE TABLE button_actions (
  id          TEXT PRIMARY KEY,
  action      TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE kv (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
`;
