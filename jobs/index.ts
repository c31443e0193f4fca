import type { JobSpec } from "../src/scheduler.js";
import alertResend from "./alert-resend.js";
import breakerPage from "./breaker-page.js";
import dailySummary from "./daily-summary.js";
import reservationExpiry from "./reservation-expiry.js";

/** Every scheduled job, by static import. */
export const jobs: readonly JobSpec[] = [alertResend, breakerPage, dailySummary, reservationExpiry];
