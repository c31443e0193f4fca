import type { AnyCommand } from "../src/chat/command.js";
import ack from "./ack.js";
import adjust from "./adjust.js";
import alerts from "./alerts.js";
import carriers from "./carriers.js";
import delist from "./delist.js";
import history from "./history.js";
import late from "./late.js";
import link from "./link.js";
import orders from "./orders.js";
import pause from "./pause.js";
import relist from "./relist.js";
import resume from "./resume.js";
import set from "./set.js";
import ship from "./ship.js";
import snooze from "./snooze.js";
import stock from "./stock.js";
import sync from "./sync.js";
import track from "./track.js";
import todos from "./todos.js";
import whoami from "./whoami.js";
import why from "./why.js";
import xianyuDone from "./xianyu-done.js";

/** Every chat command (besides the dispatcher's built-in /help and /confirm), by static import. */
export const commands: readonly AnyCommand[] = [] = [ack, adjust, alerts, carriers, delist, history, late, link, orders, pause, relist, resume, set, ship, snooze, stock, sync, todos, track, whoami, why, xianyuDone];
