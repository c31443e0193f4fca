import { z } from "zod";

/** An absolute URL (every remote base URL is configurable). */
export const url = z.url({ message: "expected an absolute URL such as https://example.com" });
/** A non-empty secret, usually `${VAR}` from the environment. */
export const secret = z
  .string()
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message names the literal ${VAR} config syntax
  .min(1, { message: "expected a non-empty secret (use ${VAR} to read it from the environment)" });

/** A stock location name (`home`, `3pl-sz`, `fba-eu`). */
export const locationName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: "expected 1–32 lowercase letters, digits, _ or - (a location)" });

/** Settings every channel kind shares: how much of the ledger it may publish. */
export const channelCommon = {
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, { message: "expected 1–32 lowercase letters, digits, _ or -" }),
  cap: z.number().int().min(0).optional(),
  bufferUnits: z.number().int().min(0).default(0),
  sharePct: z.number().int().min(0).max(100).optional(),
  /** Hold back a risk-based buffer from the SKU's sales rate and this channel's push latency (stock.oversellRisk). */
  riskBuffer: z.boolean().optional(),
  /** The stock locations this channel sells from (default: all). */
  locations: z.array(locationName).min(1).optional(),
  /** Consecutive failures before the channel is reported unhealthy and an alert is raised. */
  failureAlertAfter: z.number().int().min(1).default(5),
  /** Minutes a channel may fail before /healthz reports it unhealthy. */
  unhealthyAfterMinutes: z.number().int().min(1).default(15),
  /** An optional daily call budget (Taobao and Pinduoduo charge or cap per call): small changes wait while it is tight. */
  callBudget: z
    .object({
      /** Calls per local day (`timezone`); every call on the wire counts, retries and reads included. */
      daily: z.number().int().min(1),
      /** While tight, a change smaller than this many units (far above the low-stock line) waits and coalesces. */
      minChange: z.number().int().min(1).default(5),
      /** The longest such a change waits while the budget is tight. */
      maxWaitMinutes: z.number().int().min(1).max(1440).default(60),
      /** Tight below this share (%) of the day's budget left, or when the day's rate would spend it before midnight. */
      tightBelowPct: z.number().min(0).max(100).default(25),
    })
    .strict()
    .optional(),
};

/** Settings every courier-tracking provider shares. */
export const courierCommon = {
  /** Requests per second we allow ourselves (17TRACK documents 3). */
  ratePerSecond: z.number().positive().max(100).optional(),
  /** Carriers this provider should track (our codes, e.g. shunfeng); empty = every carrier it supports. */
  carriers: z.array(z.string().min(1)).default([]),
  /** Subscribe numbers for pushes (the default), or only poll. */
  push: z.boolean().default(true),
};
