/**
 * Issue 13: read-only locations (Amazon FBA). What a marketplace holds in its own warehouses, as last read from
 * it: shown in /stock and the daily summary, never pushed, never drawn from by a shipment, never in `skus.on_hand`
 * (so no channel sells it). One row per (location, SKU); `quantity` is what can ship (FBA fulfillable), `total`
 * counts inbound and reserved units too.
 */
export default `
CREATE TABLE read_only_levels (
  location    TEXT NOT NULL REFERENCES locations(name),
  sku         TEXT NOT NULL REFERENCES skus(sku),
  channel_id  TEXT NOT NULL,
  quantity    INTEGER NOT NULL CHECK (quantity >= 0),
  total       INTEGER NOT NULL CHECK (total >= 0),
  read_at     TEXT NOT NULL,
  PRIMARY KEY (location, sku)
) STRICT, WITHOUT ROWID;
`;
