import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { carrierLabel, normalizeCarrier } from "../src/couriers/carrier-codes.js";
import { normalizeTrackingNo } from "../src/couriers/numbers.js";
import { ConflictError, InvalidInputError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { renderRef, textRef } from "../src/i18n/ref.js";
import type { CourierCode } from "../src/ids.js";
import { carrierName, statusRef } from "../src/radar/rules.js";

export default defineCommand({
  name: "ship",
  summary: msg("cmd-ship-summary"),
  aliases: { "zh-CN": ["发货"] },
  role: "operator",
  args: z.object({
    order: z.string().trim().min(1).max(64, { message: "must be at most 64 characters" }).describe("ORDER"),
    carrier: z.string().trim().min(1).max(40).describe("CARRIER"),
    tracking: z
      .string()
      .regex(/^[A-Za-z0-9-]{6,40}$/, { message: "must be 6–40 letters or digits, e.g. SF1234567890123" })
      .describe("TRACKING"),
    region: z.string().trim().min(1).max(40).optional().describe("REGION"),
    phone: z
      .string()
      .regex(/^\d{4}$/, { message: "must be the last 4 digits of the buyer's phone" })
      .optional()
      .describe("PHONE4"),
  }),
  examples: [
    "/ship 1001 sf SF1234567890123 广东 5678",
    "/ship 1002 auto YT1234567890123",
    "/ship 1003 zto 780000000001 浙江",
  ],
  run: async ({ order, carrier, tracking, region, phone }, { deps, dryRun, tr }) => {
    // An order the promotion guard holds is not to be shipped until an approver decides.
    const [held] = deps.holds.heldLinesOfOrder(order.includes(":") ? order.slice(order.indexOf(":") + 1) : order);
    if (held)
      throw localized(
        ConflictError,
        "order_held",
        textRef("held-ship-refused", { order, qty: held.qty, sku: held.sku, id: String(held.id) }),
      );
    // REGION and PHONE4 are both optional: four digits alone are the phone.
    if (region && /^\d{4}$/.test(region) && !phone) [region, phone] = [undefined, region];
    const number = normalizeTrackingNo(tracking);
    let code: CourierCode | undefined;
    if (carrier.toLowerCase() === "auto") {
      const candidates = await deps.couriers.detectCarrier(number, AbortSignal.timeout(15_000));
      code = candidates[0];
      if (!code) throw localized(InvalidInputError, "carrier_unknown", textRef("ship-cannot-tell", { number, order }));
    } else {
      code = normalizeCarrier(carrier);
      if (!code)
        throw localized(
          InvalidInputError,
          "carrier_unknown",
          textRef("ship-unknown-carrier", { carrier: carrier.slice(0, 40) }),
        );
    }
    const provider = deps.couriers.forCarrier(code);
    const name = tr.locale === "en" ? carrierLabel(code) : carrierName(code).byLocale[tr.locale];
    if (dryRun) return { text: tr.t("ship-would", { carrier: name, number, order }) };
    const { shipment, isNew } = deps.shipments.recordShipment({
      orderRef: order,
      carrier: code,
      trackingNo: number,
      destination: region ? { region } : undefined,
      phone,
      provider: provider?.kind,
    });
    const lines = [
      isNew
        ? region
          ? tr.t("ship-watching-to", { carrier: name, number: shipment.trackingNo, order, region })
          : tr.t("ship-watching", { carrier: name, number: shipment.trackingNo, order })
        : tr.t("ship-already", {
            carrier: name,
            number: shipment.trackingNo,
            orders: shipment.orderRefs.join(", "),
            status: tr.locale === "en" ? shipment.status : renderRef(tr, statusRef(shipment.status)),
          }),
      provider ? tr.t("ship-provider", { provider: provider.kind }) : tr.t("ship-no-provider", { code }),
    ];
    return {
      text: lines.join("\n"),
      buttons: [{ label: tr.t("button-track"), action: `/track ${shipment.trackingNo}` }],
    };
  },
});
