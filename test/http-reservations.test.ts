import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { silentLogger } from "../src/log.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { seed, testLedger } from "./support/ledger.js";
import { depsFor, fastSync } from "./support/sync.js";

const TOKEN = "test-api-token-123";

describe("reservation API", () => {
  let app: FastifyInstance;
  let url: string;
  let ledger: ReturnType<typeof testLedger>;

  beforeEach(async () => {
    ledger = testLedger();
    const sync = createSyncEngine({
      ledger,
      clock: ledger.clock,
      log: silentLogger(),
      channels: [],
      settings: fastSync,
    });
    app = await createHttpServer(depsFor(ledger, sync, [], { http: { apiToken: TOKEN } }, ledger.clock), routeModules);
    url = await app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterEach(async () => {
    await app.close();
    ledger.close();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it("gives exactly 10 of 50 concurrent holds for the last 10 units a 201, the rest 409 with what is available", async () => {
    const a = seed(ledger, "A-1", 10);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call("POST", "/api/v1/reservations", { sku: a, qty: 1, ref: `cart-${i}` }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        })),
      ),
    );
    const created = answers.filter((x) => x.status === 201);
    const refused = answers.filter((x) => x.status === 409);
    expect(created).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(refused.every((x) => x.body.available === 0 && x.body.error === "insufficient_stock")).toBe(true);
    expect(new Set(created.map((x) => x.body.id)).size).toBe(10);
    expect(created[0]!.body.expiresAt).toBe("2026-11-20T08:15:00.000Z");
    expect(ledger.stock.getLevel(a)).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
  });

  it("gives expired holds back to available stock", async () => {
    const a = seed(ledger, "A-1", 3);
    const r = await call("POST", "/api/v1/reservations", { sku: a, qty: 3, ttlSeconds: 60, ref: "cart-1" });
    expect(r.status).toBe(201);
    expect((await call("POST", "/api/v1/reservations", { sku: a, qty: 1, ref: "cart-2" })).status).toBe(409);
    ledger.clock.advance(61_000);
    expect(ledger.reservations.expireHolds()).toHaveLength(1);
    expect(ledger.stock.getLevel(a).available).toBe(3);
    expect((await call("POST", "/api/v1/reservations", { sku: a, qty: 1, ref: "cart-2" })).status).toBe(201);
  });

  it("commits a hold so it no longer expires, and releases a hold on DELETE", async () => {
    const a = seed(ledger, "A-1", 5);
    const one = (await (
      await call("POST", "/api/v1/reservations", { sku: a, qty: 2, ttlSeconds: 60, ref: "c1" })
    ).json()) as { id: string };
    const two = (await (await call("POST", "/api/v1/reservations", { sku: a, qty: 1, ref: "c2" })).json()) as {
      id: string;
    };
    const committed = await call("POST", `/api/v1/reservations/${one.id}/commit`);
    expect(committed.status).toBe(200);
    expect(await committed.json()).toMatchObject({ id: one.id, kind: "order", status: "active", expiresAt: null });
    const released = await call("DELETE", `/api/v1/reservations/${two.id}`);
    expect(await released.json()).toMatchObject({ id: two.id, status: "released" });
    ledger.clock.advance(3600_000);
    ledger.reservations.expireHolds();
    expect(ledger.stock.getLevel(a)).toMatchObject({ reserved: 2, available: 3 });
  });

  it("ships a committed storefront order once, and refuses to ship an uncommitted hold", async () => {
    const a = seed(ledger, "A-1", 5);
    const hold = (await (await call("POST", "/api/v1/reservations", { sku: a, qty: 2, ref: "c1" })).json()) as {
      id: string;
    };
    const early = await call("POST", `/api/v1/reservations/${hold.id}/ship`);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { message: string }).message).toContain("Commit it before shipping");
    await call("POST", `/api/v1/reservations/${hold.id}/commit`);
    const shipped = await call("POST", `/api/v1/reservations/${hold.id}/ship`);
    expect(await shipped.json()).toMatchObject({ id: hold.id, status: "shipped" });
    expect((await call("POST", `/api/v1/reservations/${hold.id}/ship`)).status).toBe(200);
    expect(ledger.stock.getLevel(a)).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
  });

  it("refuses to commit an expired hold with 409", async () => {
    const a = seed(ledger, "A-1", 5);
    const hold = (await (
      await call("POST", "/api/v1/reservations", { sku: a, qty: 2, ttlSeconds: 60, ref: "c1" })
    ).json()) as { id: string };
    ledger.clock.advance(120_000);
    const r = await call("POST", `/api/v1/reservations/${hold.id}/commit`);
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: string }).error).toBe("reservation_closed");
  });

  it("returns the first hold for a retried create with the same Idempotency-Key", async () => {
    const a = seed(ledger, "A-1", 5);
    const first = await call(
      "POST",
      "/api/v1/reservations",
      { sku: a, qty: 2, ref: "c1" },
      { "idempotency-key": "k-1" },
    );
    const again = await call(
      "POST",
      "/api/v1/reservations",
      { sku: a, qty: 2, ref: "c1" },
      { "idempotency-key": "k-1" },
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(ledger.stock.getLevel(a).reserved).toBe(2);
  });

  it("answers 401 without the bearer token and 400 for a malformed body, changing nothing", async () => {
    const a = seed(ledger, "A-1", 5);
    const noAuth = await fetch(`${url}/api/v1/reservations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku: a, qty: 1, ref: "x" }),
    });
    expect(noAuth.status).toBe(401);
    const wrong = await call(
      "POST",
      "/api/v1/reservations",
      { sku: a, qty: 1, ref: "x" },
      { authorization: "Bearer nope" },
    );
    expect(wrong.status).toBe(401);
    const bad = await call("POST", "/api/v1/reservations", { sku: "A 1", qty: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: string[] }).issues.join(" ")).toMatch(/sku|qty|ref/);
    expect((await call("POST", "/api/v1/reservations", { sku: "NOPE-1", qty: 1, ref: "x" })).status).toBe(404);
    expect(ledger.stock.getLevel(a).reserved).toBe(0);
  });

  it("does not let the storefront touch a channel order's reservation", async () => {
    const a = seed(ledger, "A-1", 5);
    const { reservation } = ledger.reservations.recordOrderLine({
      channelId: "shop1",
      orderId: "1001",
      lineId: "1",
      sku: a,
      qty: 1,
      actor: "t",
    });
    expect((await call("DELETE", `/api/v1/reservations/${reservation.id}`)).status).toBe(404);
    expect(ledger.stock.getLevel(a).reserved).toBe(1);
  });
});
