import type { JobSpec } from "../src/scheduler.js";
import alertResend from "./alert-resend.js";
import reservationExpiry from "./reservation-expiry.js";

/** Every scheduled job, by static import. */
export const jobs: readonly JobSpec[] = [alertResend, reservationExpiry];
