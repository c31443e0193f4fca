/**
 * Issue 13: stock per (SKU, location) and bundles. An existing single-pool ledger moves to one location `main`
 * with every balance and movement kept: each SKU's on hand becomes its `main` level, movements stay untouched (append-only; a NULL location is the single pool before this).
 * `skus.on_hand` stays the sum over locations (the ledger keeps them equal in the same transaction).
 */
export default `
CREATE TABLE locations (
  name        TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 32),
  is_read_only INTEGER NOT NULL DEFAULT 0 CHECK (is_read_only IN (0, 1)),
  created_at  TEXT NOT NULL
) STRICT;
INSERT INTO locations (name, created_at)
  SELECT 'main', COALESCE(MIN(created_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) FROM skus HAVING COUNT(*) > 0;

CREATE TABLE stock_levels (
  sku         TEXT NOT NULL REFERENCES skus(sku),
  location    TEXT NOT NULL REFERENCES locations(name),
  on_hand     INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (sku, location)
) STRICT, WITHOUT ROWID;
INSERT INTO stock_levels (sku, location, on_hand, updated_at) SELECT sku, 'main', on_hand, updated_at FROM skus;

ALTER TABLE movements ADD COLUMN location TEXT;
ALTER TABLE movements ADD COLUMN location_before INTEGER;
ALTER TABLE movements ADD COLUMN location_after INTEGER;

CREATE TABLE bundle_components (
  bundle      TEXT NOT NULL REFERENCES skus(sku),
  component   TEXT NOT NULL REFERENCES skus(sku),
  qty         INTEGER NOT NULL CHECK (qty > 0),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (bundle, component),
  CHECK (bundle <> component)
) STRICT;
CREATE INDEX bundle_components_by_component ON bundle_components(component);
`;
