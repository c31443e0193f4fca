/** Longest wait a provider's Retry-After may ask for; longer or absurd values are clamped to this. */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * Parses a Retry-After value (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) into seconds from `now`,
 * clamped to [0, `maxSeconds`]; undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | number | null | undefined,
  now: Date,
  maxSeconds = MAX_RETRY_AFTER_SECONDS,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (text === "") return undefined;
  let seconds: number;
  if (/^-?\d+(\.\d+)?$/.test(text)) seconds = Number(text);
  else {
    const t = Date.parse(text);
    if (Number.isNaN(t)) return undefined;
    seconds = (t - now.getTime()) / 1000;
  }
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(maxSeconds, Math.max(0, seconds));
}
