import type { RouteModule } from "./server.js";
import { healthRoutes } from "./health.js";

/** Every HTTP route module, by static import. */
export const routeModules: readonly RouteModule[] = [healthRoutes];
