import { z } from "zod";

/**
 * A SKU: 1–64 characters of letters, digits and `. _ - / #`, starting with a letter or digit.
 * No spaces or quotes: SKUs travel through chat commands, CSV files and URLs.
 */
export const SkuSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/#]{0,63}$/, {
    message: "must be 1–64 letters, digits or . _ - / # (no spaces or quotes), e.g. A-12",
  })
  .brand<"Sku">();
/** A validated SKU. */
export type Sku = z.infer<typeof SkuSchema>;

/** A sales channel id from config (`channels[].id`), e.g. "shop1". */
export const ChannelIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, {
    message: "channel id must be 1–32 lowercase letters, digits, _ or -, e.g. shop1",
  })
  .brand<"ChannelId">();
/** A validated channel id. */
export type ChannelId = z.infer<typeof ChannelIdSchema>;

/** A channel's own order id, kept as a string (Taobao tids exceed 2^53). */
export const OrderIdSchema = z.string().min(1).max(128).brand<"OrderId">();
/** An order id as the channel spells it. */
export type OrderId = z.infer<typeof OrderIdSchema>;

/** A courier code in our canonical (Kuaidi100-style lowercase) spelling, e.g. "shunfeng", "ups". */
export const CourierCodeSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,40}$/)
  .brand<"CourierCode">();
/** A canonical courier code. */
export type CourierCode = z.infer<typeof CourierCodeSchema>;

/** Casts a string already known to be valid (e.g. read back from our own database) to a Sku. */
export const asSku = (s: string): Sku => s as Sku;
/** Casts a string already known to be valid to a ChannelId. */
export const asChannelId = (s: string): ChannelId => s as ChannelId;
/** Casts a string already known to be valid to an OrderId. */
export const asOrderId = (s: string): OrderId => s as OrderId;
/** Casts a string already known to be valid to a CourierCode. */
export const asCourierCode = (s: string): CourierCode => s as CourierCode;

/** Money in integer minor units (cents, fen) plus an ISO 4217 currency. */
export interface Money {
  amountMinor: number;
  currency: string;
}
