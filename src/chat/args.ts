import { z } from "zod";
import { NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { ChannelIdSchema, SkuSchema } from "../ids.js";

const restSchemas = new WeakSet<z.ZodType>();

/** True when `schema` was built by {@link restText}: it takes every remaining token. */
export const isRest = (schema: z.ZodType): boolean => restSchemas.has(schema);

/** Free text that takes the rest of the command line (a reason, a note). */
export function restText(
  opts: { optional?: boolean; max?: number; name?: string } = {},
): z.ZodType<string | undefined> {
  const base = z
    .string()
    .trim()
    .min(1)
    .max(opts.max ?? 200, { message: `must be at most ${opts.max ?? 200} characters` });
  const s = (opts.optional ? base.optional() : base).describe(opts.name ?? "REASON") as z.ZodType<string | undefined>;
  restSchemas.add(s);
  return s;
}

/** A whole number of units ≥ 0 (bounded so typos like 1e9 are refused). */
export const quantity = (max = 1_000_000) =>
  z
    .string()
    .regex(/^\d+$/, { message: "must be a whole number ≥ 0, e.g. 12" })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(0)
        .max(max, { message: `must be at most ${max.toLocaleString("en")}` }),
    );

/** A signed, non-zero change such as +5 or -3. */
export const signedDelta = (max = 1_000_000) =>
  z
    .string()
    .regex(/^[+-]?\d+$/, { message: "must be a signed whole number such as +5 or -3" })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .refine((n) => n !== 0, { message: "must not be 0" })
        .refine((n) => Math.abs(n) <= max, { message: `must be between -${max} and +${max}` }),
    );

/** A positive integer id (alerts, …). */
export const intId = () =>
  z
    .string()
    .regex(/^#?\d{1,12}$/, { message: "must be a number such as 12" })
    .transform((s) => Number(s.replace("#", "")));

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as 30m, 2h or 1d (1 minute to 30 days), as milliseconds. */
export const duration = () =>
  z
    .string()
    .regex(/^\d{1,4}[mhd]$/i, { message: "must be a duration such as 30m, 2h or 1d" })
    .transform((s) => Number(s.slice(0, -1)) * (UNITS[s.slice(-1).toLowerCase()] ?? Number.NaN))
    .pipe(
      z
        .number()
        .min(60_000, { message: "must be at least 1m" })
        .max(30 * 86_400_000, { message: "must be at most 30d" }),
    );

/** A SKU argument, shown as `SKU` in the usage line. */
export const skuArg = (name = "SKU") => SkuSchema.describe(name);

/** An optional channel id argument, shown as `CHANNEL`. */
export const channelArg = () => ChannelIdSchema.optional().describe("CHANNEL");

/** An optional channel id or `all`, shown as `CHANNEL|all` (/delist, /relist; `.unwrap()` makes it required for /pause, /resume). */
export const channelOrAll = z
  .union([z.literal("all"), ChannelIdSchema])
  .optional()
  .describe("CHANNEL|all");

/** Refuses a channel id that is not configured, listing the ones that are; returns the id, or undefined for none / `all`. */
export function checkChannel(
  deps: { config: { channels: readonly { id: string }[] } },
  channel: string | undefined,
): string | undefined {
  if (!channel || channel === "all") return undefined;
  const known = deps.config.channels.map((c) => c.id);
  if (!known.includes(channel)) {
    throw localized(
      NotFoundError,
      "unknown_channel",
      textRef("err-unknown-channel", {
        channel,
        known: known.length ? known.join(", ") : { ref: textRef("err-none") },
      }),
      { channel },
    );
  }
  return channel;
}
