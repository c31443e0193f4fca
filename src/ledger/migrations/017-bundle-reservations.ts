/**
 * Issue 13: orders and holds of bundles. A bundle line is one parent reservation (on the bundle SKU, holding no
 * units itself) with one child reservation per component (`parent_id`), each a normal reservation of that
 * component; a bundle hold remembers its idempotency key on the parent (`hold_key`), since its movements are the
 * components'.
 */
export default `
ALTER TABLE reservations ADD COLUMN parent_id TEXT REFERENCES reservations(id);
ALTER TABLE reservations ADD COLUMN hold_key TEXT;
CREATE INDEX reservations_by_parent ON reservations(parent_id) WHERE parent_id IS NOT NULL;
CREATE UNIQUE INDEX reservations_hold_key ON reservations(hold_key) WHERE hold_key IS NOT NULL;
`;
