import type { CourierConfig } from "../config.js";
import type { CourierCode } from "../ids.js";
import { configSecrets, createRedactor, redactAdapter } from "../upstream/redact.js";
import { detectCarrierLocally } from "./carrier-codes.js";
import type { CourierFactoryDeps } from "./generic.js";
import { createKdniaoAdapter } from "./kdniao.js";
import { createKuaidi100Adapter } from "./kuaidi100.js";
import { createSeventeenTrackAdapter } from "./seventeentrack.js";
import type { CourierAdapter, ProviderKind } from "./types.js";

/** The configured tracking providers, in config order (first match wins). */
export interface CourierRegistry {
  /** Every configured adapter. */
  list(): CourierAdapter[];
  /** The adapter of a provider kind, when configured. */
  get(kind: string): CourierAdapter | undefined;
  /** The provider that should track a carrier: the first configured one that supports it (and lists it, if it lists carriers). */
  forCarrier(carrier: CourierCode): CourierAdapter | undefined;
  /** Whether pushes are enabled for a provider (config `push`, default true). */
  usesPush(kind: string): boolean;
  /** Candidate carriers for a number: provider detection first, then local number patterns. */
  detectCarrier(trackingNo: string, signal: AbortSignal): Promise<CourierCode[]>;
}

/** Builds one adapter from its config entry. */
export function createCourierAdapter(config: CourierConfig, deps: CourierFactoryDeps): CourierAdapter {
  switch (config.kind) {
    case "kuaidi100":
      return createKuaidi100Adapter(config, deps);
    case "17track":
      return createSeventeenTrackAdapter(config, deps);
    case "kdniao":
      return createKdniaoAdapter(config, deps);
  }
}

/** Builds the registry from `config.couriers`; called once by app.ts. */
export function createCourierRegistry(configs: readonly CourierConfig[], deps: CourierFactoryDeps): CourierRegistry {
  // Nothing a provider adapter returns or throws may carry a configured key or salt.
  const redactor = createRedactor(configSecrets(configs));
  const entries = configs.map((config) => ({
    config,
    adapter: redactAdapter(createCourierAdapter(config, deps), redactor),
  }));
  const byKind = new Map<string, (typeof entries)[number]>(entries.map((e) => [e.adapter.kind, e]));
  return {
    list: () => entries.map((e) => e.adapter),
    get: (kind) => byKind.get(kind)?.adapter,
    usesPush: (kind) => byKind.get(kind)?.config.push ?? false,
    forCarrier(carrier) {
      const listed = entries.find((e) => e.config.carriers.includes(carrier) && e.adapter.supports(carrier));
      if (listed) return listed.adapter;
      return entries.find((e) => e.config.carriers.length === 0 && e.adapter.supports(carrier))?.adapter;
    },
    async detectCarrier(trackingNo, signal) {
      const found: CourierCode[] = [];
      for (const e of entries) {
        if (!e.adapter.detectCarrier) continue;
        try {
          found.push(...(await e.adapter.detectCarrier(trackingNo, signal)));
        } catch (err) {
          deps.log.warn({ err, provider: e.adapter.kind }, "carrier detection failed");
        }
        if (found.length) break;
      }
      for (const c of detectCarrierLocally(trackingNo)) if (!found.includes(c)) found.push(c);
      return found;
    },
  };
}

/** Provider kinds we know how to build. */
export const PROVIDER_KINDS: readonly ProviderKind[] = ["kuaidi100", "17track", "kdniao"];

/** A registry with no providers (tests and tools that build Deps by hand and track no parcels). */
export function emptyCourierRegistry(): CourierRegistry {
  return {
    list: () => [],
    get: () => undefined,
    forCarrier: () => undefined,
    usesPush: () => false,
    detectCarrier: async () => [],
  };
}
