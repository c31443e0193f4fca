import type { RouteModule } from "./server.js";
import { healthRoutes } from "./health.js";
import { registerCourierRoutes } from "./courier-push.js";

/** Every HTTP route module, by static import. */
export const routeModules: readonly RouteModule[] = [healthRoutes, registerCourierRoutes];
