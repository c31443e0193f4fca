import type { RouteModule } from "./body.js";
import { registerCourierRoutes } from "./courier-push.js";
import { healthRoutes, metricsRoutes } from "./health.js";
import { reservationRoutes } from "./reservations.js";
import { webhookRoutes } from "./webhooks.js";

/** Every HTTP route module, by static import. */
export const routeModules: readonly RouteModule[] = [
  healthRoutes,
  metricsRoutes,
  webhookRoutes,
  reservationRoutes,
  registerCourierRoutes,
];
