/** Beijing is UTC+8 all year (no DST), so a fixed offset is exact. */
const BEIJING_OFFSET = "+08:00";

/**
 * Parses a provider time. Strings with an explicit offset or `Z` keep it; wall-clock strings without one
 * ("2026-03-02 18:47:03", "2026/03/02 18:47") are read as Beijing time — never as server-local time,
 * which is what `new Date("2026-03-02 18:47:03")` would do. Returns undefined for text that is not a time.
 */
export function parseProviderTime(text: string | null | undefined, assumeOffset = BEIJING_OFFSET): Date | undefined {
  if (!text) return undefined;
  const s = text.trim().replace(/\//g, "-");
  const match =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      s,
    );
  if (!match) return undefined;
  const [, y, mo, d, h = "00", mi = "00", sec = "00", frac, zone] = match;
  const pad = (v: string) => v.padStart(2, "0");
  const offset = zone
    ? zone.toUpperCase() === "Z"
      ? "Z"
      : zone.includes(":")
        ? zone
        : `${zone.slice(0, 3)}:${zone.slice(3)}`
    : assumeOffset;
  const iso = `${y}-${pad(mo ?? "01")}-${pad(d ?? "01")}T${pad(h)}:${mi}:${sec}${frac ? `.${frac.slice(0, 3).padEnd(3, "0")}` : ""}${offset}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Formats an instant as Beijing wall-clock text, "2026-03-02 18:47:03" (what CN providers send). */
export function formatBeijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** Formats an instant for operators in a time zone, "11-20 16:05". */
export function formatShort(at: Date | string, timeZone: string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** Fractional hours from one instant to another. */
export const hoursBetween = (from: Date | string, to: Date | string): number =>
  (new Date(to).getTime() - new Date(from).getTime()) / 3_600_000;
