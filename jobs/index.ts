import type { JobSpec } from "../src/scheduler.js";
import alertResend from "./alert-resend.js";
import backup from "./backup.js";
import breakerPage from "./breaker-page.js";
import courierCheck from "./courier-check.js";
import dailySummary from "./daily-summary.js";
import flash from "./flash.js";
import orderImport from "./order-import.js";
import reconcile from "./reconcile.js";
import reservationExpiry from "./reservation-expiry.js";
import retention from "./retention.js";
import stockSync from "./stock-sync.js";

/** Every scheduled job, by static import. */
export const jobs: readonly JobSpec[] = [
  alertResend,
  backup,
  breakerPage,
  courierCheck,
  dailySummary,
  flash,
  orderImport,
  reconcile,
  reservationExpiry,
  retention,
  stockSync,
];
