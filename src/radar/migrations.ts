/** Logistics radar: shipments, their tracking events (stored once each), orders per parcel, provider call counters. */
export default `
CREATE TABLE shipments (
  id               INTEGER PRIMARY KEY,
  order_ref        TEXT NOT NULL,
  channel_id       TEXT,
  carrier          TEXT NOT NULL,
  tracking_no      TEXT NOT NULL,
  provider         TEXT,
  phone_last4      TEXT,
  shipped_at       TEXT NOT NULL,
  dest_country     TEXT,
  dest_region      TEXT,
  dest_city        TEXT,
  status           TEXT NOT NULL DEFAULT 'NO_INFO' CHECK (status IN ('NO_INFO', 'INFO_RECEIVED', 'PICKED_UP', 'IN_TRANSIT',
                     'OUT_FOR_DELIVERY', 'AVAILABLE_FOR_PICKUP', 'DELIVERY_FAILED', 'EXCEPTION', 'REJECTED', 'RETURNING',
                     'RETURNED', 'DELIVERED', 'CANCELLED', 'EXPIRED')),
  sub_status       TEXT,
  provider_status  TEXT,
  status_since     TEXT NOT NULL,
  first_scan_at    TEXT,
  last_event_at    TEXT,
  delivered_at     TEXT,
  had_problem      INTEGER NOT NULL DEFAULT 0 CHECK (had_problem IN (0, 1)),
  is_lost          INTEGER NOT NULL DEFAULT 0 CHECK (is_lost IN (0, 1)),
  last_sync_ok_at  TEXT,
  last_sync_error  TEXT,
  sync_failures    INTEGER NOT NULL DEFAULT 0 CHECK (sync_failures >= 0),
  subscribed_at    TEXT,
  last_polled_at   TEXT,
  next_check_at    TEXT,
  ended_at         TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (carrier, tracking_no)
) STRICT;
CREATE INDEX shipments_due ON shipments(next_check_at) WHERE ended_at IS NULL;
CREATE INDEX shipments_by_tracking ON shipments(tracking_no);
CREATE INDEX shipments_by_shipped ON shipments(shipped_at);

-- A parcel may carry several orders (merged shipping); /track ORDER finds it through any of them.
CREATE TABLE shipment_orders (
  shipment_id  INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
  order_ref    TEXT NOT NULL,
  channel_id   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (shipment_id, order_ref, channel_id)
) STRICT;
CREATE INDEX shipment_orders_by_ref ON shipment_orders(order_ref);

-- Pushes are full re-sends and polls repeat: (shipment, dedupe_key) stores each carrier scan once.
CREATE TABLE tracking_events (
  id             INTEGER PRIMARY KEY,
  shipment_id    INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
  occurred_at    TEXT NOT NULL,
  status         TEXT NOT NULL,
  sub_status     TEXT,
  provider_code  TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL,
  location       TEXT,
  source         TEXT NOT NULL,
  dedupe_key     TEXT NOT NULL,
  received_at    TEXT NOT NULL,
  UNIQUE (shipment_id, dedupe_key)
) STRICT;
CREATE INDEX tracking_events_by_time ON tracking_events(shipment_id, occurred_at);

-- Calls per provider per day (provider's calendar day, Beijing), for daily caps.
CREATE TABLE courier_calls (
  provider  TEXT NOT NULL,
  day       TEXT NOT NULL,
  calls     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (provider, day)
) STRICT;
`;
