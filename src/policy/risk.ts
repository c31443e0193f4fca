/** What the risk buffer was computed from (shown by `/why`). */
export interface RiskInputs {
  /** Units the SKU sold per hour on all channels over the recent window. */
  salesPerHour: number;
  /** The channel's p95 push latency (enqueue → confirm), ms. */
  latencyMs: number;
  /** Target chance that one push window oversells (config `stock.oversellRisk`). */
  risk: number;
}

/** The most units a risk buffer holds back, whatever the inputs (a runaway rate must not hide a whole catalog). */
export const MAX_RISK_BUFFER = 1000;

/**
 * P(N > b) for N ~ Poisson(λ): the chance that more than `b` units sell while one push is on its way. Summed in
 * log-free form term by term (λ up to a few hundred stays exact enough in doubles).
 */
export function poissonTail(lambda: number, b: number): number {
  if (lambda <= 0) return 0;
  let term = Math.exp(-lambda);
  let cdf = term;
  for (let k = 1; k <= b; k++) {
    term *= lambda / k;
    cdf += term;
  }
  return Math.max(0, 1 - cdf);
}

/**
 * The smallest buffer B with P(N > B) ≤ risk, where N ~ Poisson(V·T) is the units sold elsewhere while the channel
 * still shows the old quantity (docs/sync.md, "Risk-based buffers"). 0 when nothing sells.
 *
 * @example
 * riskBufferUnits({ salesPerHour: 120, latencyMs: 30_000, risk: 0.01 }) // → 4 (λ = 1 sale per window)
 */
export function riskBufferUnits(i: RiskInputs): number {
  const lambda = (i.salesPerHour * i.latencyMs) / 3_600_000;
  if (!(lambda > 0) || !(i.risk > 0)) return 0;
  // e^−λ underflows near λ = 745; that far out the Poisson is a normal, and 4σ is below any sensible target risk.
  if (lambda > 500) return Math.min(MAX_RISK_BUFFER, Math.ceil(lambda + 4 * Math.sqrt(lambda)));
  for (let b = 0; b < MAX_RISK_BUFFER; b++) if (poissonTail(lambda, b) <= i.risk) return b;
  return MAX_RISK_BUFFER;
}
