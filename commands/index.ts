import type { AnyCommand } from "../src/chat/command.js";
import ack from "./ack.js";
import add from "./add.js";
import adjust from "./adjust.js";
import alerts from "./alerts.js";
import approveHeld from "./approve-held.js";
import approvePrice from "./approve-price.js";
import approvePrices from "./approve-prices.js";
import approveRefund from "./approve-refund.js";
import breaker from "./breaker.js";
import bulk from "./bulk.js";
import bundle from "./bundle.js";
import cancelHeld from "./cancel-held.js";
import carriers from "./carriers.js";
import cost from "./cost.js";
import count from "./count.js";
import dashboard from "./dashboard.js";
import delist from "./delist.js";
import flash from "./flash.js";
import held from "./held.js";
import history from "./history.js";
import importCommand from "./import.js";
import late from "./late.js";
import link from "./link.js";
import move from "./move.js";
import orders from "./orders.js";
import pause from "./pause.js";
import price from "./price.js";
import prices from "./prices.js";
import refund from "./refund.js";
import refundDone from "./refund-done.js";
import refunds from "./refunds.js";
import rejectPrice from "./reject-price.js";
import rejectPrices from "./reject-prices.js";
import rejectRefund from "./reject-refund.js";
import relist from "./relist.js";
import resume from "./resume.js";
import set from "./set.js";
import ship from "./ship.js";
import snooze from "./snooze.js";
import stock from "./stock.js";
import summary from "./summary.js";
import sync from "./sync.js";
import todos from "./todos.js";
import track from "./track.js";
import unbundle from "./unbundle.js";
import whoami from "./whoami.js";
import why from "./why.js";
import xianyuDone from "./xianyu-done.js";

/** Every chat command (besides the dispatcher's built-in /help and /confirm), by static import. */
export const commands: readonly AnyCommand[] = [
  ack,
  add,
  adjust,
  alerts,
  approveHeld,
  approvePrice,
  approvePrices,
  approveRefund,
  breaker,
  cancelHeld,
  bundle,
  bulk,
  carriers,
  cost,
  count,
  dashboard,
  delist,
  flash,
  held,
  history,
  importCommand,
  late,
  link,
  move,
  orders,
  pause,
  price,
  prices,
  refund,
  refundDone,
  refunds,
  rejectPrice,
  rejectPrices,
  rejectRefund,
  relist,
  resume,
  set,
  ship,
  snooze,
  stock,
  summary,
  sync,
  todos,
  track,
  unbundle,
  whoami,
  why,
  xianyuDone,
];
