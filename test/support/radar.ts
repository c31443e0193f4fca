import type { FastifyInstance } from "fastify";
import ky from "ky";
import { commands } from "../../commands/index.js";
import { createDispatcher } from "../../src/chat/dispatch.js";
import type { Reply } from "../../src/chat/types.js";
import { parseConfig } from "../../src/config.js";
import { createCourierRegistry } from "../../src/couriers/registry.js";
import type { Deps } from "../../src/deps.js";
import { registerCourierRoutes } from "../../src/http/courier-push.js";
import { createHttpServer } from "../../src/http/server.js";
import { silentLogger } from "../../src/log.js";
import { createMetrics } from "../../src/metrics.js";
import { createSyncEngine } from "../../src/sync/engine.js";
import { storesOf, testLedger } from "./ledger.js";

/** A radar wired like app.ts does it (real ledger, real registry, real HTTP), with a manual clock and local provider URLs. */
export async function radarHarness(raw: Record<string, unknown>, opts: { start?: string; http?: boolean } = {}) {
  const ledger = testLedger({ start: opts.start ?? "2026-11-20T08:00:00Z" });
  const config = parseConfig(
    {
      database: ":memory:",
      access: { admins: ["console:admin"], operators: ["tg:op"], viewers: ["tg:viewer"] },
      ...raw,
    },
    {},
  );
  const log = silentLogger();
  const notified: Reply[] = [];
  let server: FastifyInstance | undefined;
  const publicUrl = { value: config.http.publicUrl };
  const couriers = createCourierRegistry(config.couriers, {
    http: ky.create({ retry: 0, timeout: 10_000 }),
    log,
    clock: ledger.clock,
    get publicUrl() {
      return publicUrl.value;
    },
  });
  const sync = createSyncEngine({ ledger, clock: ledger.clock, log, channels: [], settings: config.sync });
  const metrics = createMetrics({ ledger, ops: ledger.ops, clock: ledger.clock, config, jobs: [] });
  const deps: Deps = {
    ...storesOf(ledger),
    config,
    ledger,
    clock: ledger.clock,
    log,
    channels: new Map(),
    couriers,
    sync,
    metrics,
    notify: async (r) => void notified.push(r),
  };
  if (opts.http) {
    server = await createHttpServer(deps, [registerCourierRoutes]);
    await server.listen({ host: "127.0.0.1", port: 0 });
    const addr = server.server.address();
    publicUrl.value = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  }
  const dispatcher = createDispatcher({ commands, deps });
  return {
    deps,
    ledger,
    clock: ledger.clock,
    notified,
    get baseUrl() {
      return publicUrl.value!;
    },
    /** Runs a chat command as a user (default: the operator). */
    run: async (text: string, userId = "tg:op") =>
      dispatcher.handle({ transport: "telegram", chatId: "1", userId, text }),
    close: async () => {
      await server?.close();
      ledger.close();
    },
  };
}
