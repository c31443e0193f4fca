import type { JobSpec } from "../src/scheduler.js";
import alertResend from "./alert-resend.js";
import orderImport from "./order-import.js";
import reconcile from "./reconcile.js";
import reservationExpiry from "./reservation-expiry.js";
import stockSync from "./stock-sync.js";

/** Every scheduled job, by static import. */
export const jobs: readonly JobSpec[] = [alertResend, orderImport, reconcile, reservationExpiry, stockSync];
