import { z } from "zod";
import type { Role } from "../chat/command.js";
import type { MoneyCaller } from "./refund-flow.js";

/** Chat argument: a refund id such as R-7K3QX9PA (case-insensitive, the "R-" may be left out). */
export const refundId = () =>
  z
    .string()
    .regex(/^(?:R-)?[2-9A-HJ-NP-Z]{8}$/i, { message: "must be a refund id such as R-7K3QX9PA (see /refunds)" })
    .transform((s) => (s.toUpperCase().startsWith("R-") ? s.toUpperCase() : `R-${s.toUpperCase()}`))
    .describe("ID");

/** Chat argument: a price request number (shown when /price opens one). */
export const priceRequestId = () =>
  z
    .string()
    .regex(/^#?\d{1,12}$/, { message: "must be a price request number such as 3" })
    .transform((s) => Number(s.replace("#", "")))
    .describe("ID");

/** Chat argument: an order as `CHANNEL:ORDER` or a bare order id the ledger knows. */
export const orderArg = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9:._#/-]{0,160}$/, { message: "must be an order such as shop1:1001 or 1001" })
    .describe("ORDER");

/** The money actor of a command call. */
export const callerOf = (ctx: {
  actor: { id: string; transport: string; role: Role };
  requestId: string;
}): MoneyCaller => ({
  actor: ctx.actor.id,
  transport: ctx.actor.transport,
  requestId: ctx.requestId,
  role: ctx.actor.role,
});
