import type { CourierAdapter, PushReply, PushRequest, Tracking } from "../couriers/types.js";
import type { Deps } from "../deps.js";
import { ForbiddenError, InvalidInputError } from "../errors.js";
import { evaluateParcel, type RuleOutcome, radarSettings } from "./rules.js";
import type { ApplyResult, Shipment } from "./store.js";

/** What the radar needs from Deps. */
export type RadarDeps = Pick<Deps, "config" | "ledger" | "shipments" | "radarLanes" | "clock" | "log" | "couriers">;

/** When to look at a parcel again after a successful update. */
export function nextCheckAfterSync(deps: RadarDeps, s: Pick<Shipment, "subscribedAt" | "provider">, now: Date): Date {
  const settings = radarSettings(deps.config);
  const isPushed = s.subscribedAt !== null && s.provider !== null && deps.couriers.usesPush(s.provider);
  // Pushed parcels are polled only when no push kept them fresh; the others on the regular cadence.
  const hours = isPushed ? settings.trackingFreshHours : settings.pollEveryHours;
  return new Date(now.getTime() + hours * 3_600_000);
}

/** Applies one provider answer and evaluates the rules, in one transaction (state and alerts commit together). */
export function ingestTracking(
  deps: RadarDeps,
  shipment: Shipment,
  tracking: Tracking,
  opts: { source: string; isPoll: boolean },
): ApplyResult & { rules: RuleOutcome } {
  const now = deps.clock.now();
  return deps.ledger.transaction(() => {
    const applied = deps.shipments.applyTracking(shipment.id, tracking, {
      source: opts.source,
      isPoll: opts.isPoll,
      nextCheckAt: nextCheckAfterSync(deps, shipment, now),
    });
    const rules = evaluateParcel(deps, applied.after, radarSettings(deps.config), now, { before: applied.before });
    return { ...applied, rules };
  });
}

/** What a push did. */
export interface PushHandled {
  reply: PushReply;
  /** Parcels updated. */
  applied: number;
  /** New events stored (0 for a repeated push). */
  newEvents: number;
  /** Numbers the push named that are not in our ledger. */
  unknown: string[];
}

/**
 * Verifies and applies a provider push. A bad signature or malformed body changes nothing and gets the
 * provider's refusal format; numbers we do not track are acknowledged (so the provider stops retrying) and logged.
 */
export function handlePush(deps: RadarDeps, adapter: CourierAdapter, req: PushRequest): PushHandled {
  if (!adapter.parsePush)
    return { reply: refusal(adapter, 404, "push not supported"), applied: 0, newEvents: 0, unknown: [] };
  let parsed: ReturnType<NonNullable<CourierAdapter["parsePush"]>>;
  try {
    parsed = adapter.parsePush(req);
  } catch (err) {
    if (err instanceof ForbiddenError || err instanceof InvalidInputError) {
      deps.log.warn({ provider: adapter.kind, code: err.code }, "courier push refused");
      return {
        reply: refusal(adapter, err instanceof ForbiddenError ? 403 : 400, err.userMessage),
        applied: 0,
        newEvents: 0,
        unknown: [],
      };
    }
    throw err;
  }
  const out: PushHandled = { reply: parsed.reply, applied: 0, newEvents: 0, unknown: [] };
  for (const t of parsed.trackings) {
    const shipment = deps.shipments.findByTracking(t.trackingNo, t.carrier || undefined);
    if (!shipment) {
      out.unknown.push(t.trackingNo);
      continue;
    }
    if (shipment.endedAt !== null && shipment.status === "DELIVERED") continue;
    const r = ingestTracking(
      deps,
      shipment,
      { ...t, carrier: t.carrier || shipment.carrier },
      { source: adapter.kind, isPoll: false },
    );
    out.applied += 1;
    out.newEvents += r.newEvents;
  }
  for (const s of parsed.stopped) {
    const shipment = deps.shipments.findByTracking(s.trackingNo, s.carrier);
    if (shipment && shipment.endedAt === null) {
      // The provider stopped pushing; fall back to polling it on the regular cadence.
      deps.shipments.scheduleCheck(shipment.id, null, deps.clock.now());
      deps.log.info({ provider: adapter.kind, trackingNo: s.trackingNo }, "provider stopped tracking; will poll");
    }
  }
  if (out.unknown.length)
    deps.log.info({ provider: adapter.kind, count: out.unknown.length }, "courier push for numbers we do not track");
  return out;
}

function refusal(adapter: CourierAdapter, status: number, reason: string): PushReply {
  const r = adapter.pushRefusal?.(reason) ?? {
    status,
    contentType: "application/json",
    body: JSON.stringify({ ok: false }),
  };
  return { ...r, status };
}
