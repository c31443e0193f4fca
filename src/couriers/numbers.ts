import { createHash } from "node:crypto";

/** Canonical spelling of a tracking number: no spaces or dashes, upper case. */
export function normalizeTrackingNo(raw: string): string {
  return raw.replace(/[\s-]/g, "").toUpperCase();
}

/** True for a plausible tracking number after normalisation: 6–40 letters or digits. */
export const isTrackingNo = (s: string): boolean => /^[A-Z0-9]{6,40}$/.test(s);

/** The key that makes a scan unique within a parcel: event time plus normalised text (pushes re-send everything). */
export function eventDedupeKey(occurredAt: Date, description: string): string {
  return createHash("sha1")
    .update(`${occurredAt.toISOString()}|${description.replace(/\s+/g, " ").trim()}`)
    .digest("hex");
}
