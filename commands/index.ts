import type { AnyCommand } from "../src/chat/command.js";
import ack from "./ack.js";
import adjust from "./adjust.js";
import alerts from "./alerts.js";
import approveRefund from "./approve-refund.js";
import breaker from "./breaker.js";
import delist from "./delist.js";
import history from "./history.js";
import link from "./link.js";
import price from "./price.js";
import refund from "./refund.js";
import refundDone from "./refund-done.js";
import refunds from "./refunds.js";
import rejectRefund from "./reject-refund.js";
import relist from "./relist.js";
import set from "./set.js";
import snooze from "./snooze.js";
import stock from "./stock.js";
import summary from "./summary.js";
import whoami from "./whoami.js";
import why from "./why.js";

/** Every chat command (besides the dispatcher's built-in /help and /confirm), by static import. */
export const commands: readonly AnyCommand[] = [
  ack, adjust, alerts, approveRefund, breaker, delist, history, link, price, refund, refundDone, refunds, rejectRefund, relist, set, snooze, stock, summary, whoami, why,
];
