import type { SalesChannel } from "./channels/types.js";
import type { ChatStatus, Reply } from "./chat/types.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { CourierRegistry } from "./couriers/registry.js";
import type { Ledger } from "./ledger/index.js";
import type { Logger } from "./log.js";
import type { Metrics } from "./metrics.js";
import type { Stores } from "./stores.js";
import type { SyncEngine } from "./sync/engine.js";

/**
 * What commands, jobs, routes and transports receive. Built only by `src/app.ts`; tests build it the
 * same way with local URLs in the config. Add a field here when a new subsystem needs to be reachable.
 */
export interface Deps extends Stores {
  config: Config;
  /** The stock ledger core; feature tables are reached through the stores (`src/stores.ts`). */
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  /** Configured sales channels by id. */
  channels: ReadonlyMap<string, SalesChannel>;
  /** Pushes stock to channels, imports orders, takes webhooks, reconciles (`src/sync/engine.ts`). */
  sync: SyncEngine;
  /** Prometheus registry and counters (`src/metrics.ts`); `/metrics` renders it, adapters are counted through it. */
  metrics: Metrics;
  /** Configured courier-tracking providers (config `couriers`). */
  couriers: CourierRegistry;
  /** Posts to the ops group on every running transport (alerts, summaries, to-dos). */
  notify(reply: Reply): Promise<void>;
  /** Each chat transport's connection state (/healthz); absent where no transport runs. */
  chatStatus?: () => ChatStatus[];
  /** Where the HTTP server listens once started (`http://127.0.0.1:8787`); links fall back to it. */
  httpUrl?: () => string | undefined;
}
