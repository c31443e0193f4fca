import type { RouteModule } from "./server.js";
import { healthRoutes } from "./health.js";
import { webhookRoutes } from "./webhooks.js";
import { reservationRoutes } from "./reservations.js";

/** Every HTTP route module, by static import. */
export const routeModules: readonly RouteModule[] = [healthRoutes, webhookRoutes, reservationRoutes];
