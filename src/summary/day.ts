/** Calendar days in a time zone, as YYYY-MM-DD strings, and the UTC instants that bound them. */

const parts = (d: Date, timeZone: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const p of new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(d)) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return out;
};

/** The local calendar day of an instant in `timeZone`, e.g. "2026-11-19". */
export function localDay(d: Date, timeZone: string): string {
  const p = parts(d, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Shanghai: +8 h). */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(new Date(ms), timeZone);
  return (
    Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0) -
    Math.floor(ms / 1000) * 1000
  );
}

/** The UTC instant of local midnight starting `day` in `timeZone` (DST-safe: the offset is re-read at the result). */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, timeZone);
  return new Date(guess - offsetAt(first, timeZone));
}

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** [start, end) of `day` in `timeZone` as ISO UTC strings, comparable with the ledger's timestamps. */
export function dayRange(day: string, timeZone: string): { from: string; to: string } {
  return { from: startOfDay(day, timeZone).toISOString(), to: startOfDay(addDays(day, 1), timeZone).toISOString() };
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isValidDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  // 2026-13-45 is an Invalid Date: toISOString would throw a RangeError.
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}
