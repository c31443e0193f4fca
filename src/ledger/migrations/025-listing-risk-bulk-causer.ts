/**
 * Issue 18 (version 25), two small columns:
 * - `bulk_holds.caused_by`: the actor whose change tripped the bulk-change breaker (NULL when no movement caused it,
 *   e.g. a listing or policy change). `/bulk release` refuses that actor (maker-checker, as refunds).
 * - `listings.risk_buffer`: the risk-based buffer per listing: 1 on, 0 off, NULL follows the channel's `riskBuffer`.
 */
export default `
ALTER TABLE bulk_holds ADD COLUMN caused_by TEXT;
ALTER TABLE listings ADD COLUMN risk_buffer INTEGER CHECK (risk_buffer IN (0, 1));
`;
