/**
 * Issue 13 (version 27): every stock change reads a SKU's listings in channel order (stable split remainders).
 * `listings_by_sku` gave them unordered, so each read sorted them in a temporary b-tree; an index on
 * (sku, channel_id) hands them over in order and replaces it.
 */
export default `
CREATE INDEX listings_by_sku_channel ON listings(sku, channel_id);
DROP INDEX listings_by_sku;
`;
