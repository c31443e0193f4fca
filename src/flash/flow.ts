import type { Deps } from "../deps.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
import type { FlashWindow } from "./store.js";

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "2h", "1d" (1 minute to 30 days) as milliseconds; a clear error otherwise. */
export function parseFlashDuration(text: string): number {
  const m = /^(\d{1,4})([mhd])$/i.exec(text);
  const ms = m ? Number(m[1]) * (UNITS[(m[2] ?? "").toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (!(ms >= 60_000 && ms <= 30 * 86_400_000))
    throw localized(InvalidInputError, "bad_duration", textRef("flash-bad-duration", { duration: text }), {
      duration: text,
    });
  return ms;
}

/** Throws a clear NotFoundError for the first SKU the ledger does not know. */
export function checkFlashSkus(deps: Deps, skus: readonly string[]): void {
  for (const sku of skus)
    if (!deps.ledger.stock.findLevel(sku))
      throw localized(NotFoundError, "unknown_sku", textRef("flash-unknown-sku", { sku }), { sku });
}

/** Re-computes every listing of the window's SKUs under the policy that applies now; returns the outbox rows written. */
function republish(deps: Deps, skus: readonly string[]): number {
  return skus.reduce((n, sku) => n + deps.ledger.outbox.enqueueForSku(sku), 0);
}

/** Opens a window and queues the flash publication of its SKUs, in one transaction. */
export function startFlash(
  deps: Deps,
  skus: readonly string[],
  ms: number,
  who: string,
): { window: FlashWindow; queued: number } {
  checkFlashSkus(deps, skus);
  const r = deps.ledger.transaction(() => {
    const window = deps.flash.openWindow(skus, new Date(deps.ledger.now().getTime() + ms), who);
    return { window, queued: republish(deps, skus) };
  });
  // The flash publication goes out at once, not after sync.debounceMs.
  if (r.queued) deps.sync.nudge(undefined, true);
  return r;
}

/** An open window by id; a clear error when it is unknown or already ended. */
export function openFlashWindow(deps: Deps, id: string): FlashWindow {
  const w = deps.flash.getWindow(id);
  if (!w) throw localized(NotFoundError, "unknown_flash", textRef("flash-unknown-window", { id }), { id });
  if (w.endedAt)
    throw localized(InvalidInputError, "flash_ended", textRef("flash-already-ended", { id: w.id }), { id });
  return w;
}

/** Ends a window and queues its SKUs' normal publication, in one transaction; undefined when it was already ended. */
export function endFlash(deps: Deps, id: string, who: string): { window: FlashWindow; queued: number } | undefined {
  const r = deps.ledger.transaction(() => {
    const window = deps.flash.getWindow(id);
    if (!window || !deps.flash.endWindow(window.id, who)) return undefined;
    return { window, queued: republish(deps, window.skus) };
  });
  if (r?.queued) deps.sync.nudge(undefined, true);
  return r;
}

/** The chat announcement of an ended window, in English with every chat's language through `localize`. */
async function announceEnd(deps: Deps, w: FlashWindow, queued: number, who: string | undefined): Promise<void> {
  const render = (tr: Translator) => ({
    text: tr.t("flash-ended", {
      id: w.id,
      skus: w.skus.join(", "),
      reason: who ? tr.t("flash-reason-by", { who }) : tr.t("flash-reason-time"),
      queued,
    }),
  });
  await deps.notify({ ...render(sharedI18n(deps.config.timezone).translator("en")), localize: render });
}

/** Ends a window early (`/flash end ID`) and announces it. */
export async function endFlashNow(
  deps: Deps,
  id: string,
  who: string,
): Promise<{ window: FlashWindow; queued: number }> {
  openFlashWindow(deps, id);
  const r = endFlash(deps, id, who);
  if (!r) throw localized(InvalidInputError, "flash_ended", textRef("flash-already-ended", { id }), { id });
  await announceEnd(deps, r.window, r.queued, who);
  return r;
}

/**
 * The `flash` job's minute: ends every window past its end time (also one that ended while the bot was down),
 * re-publishes its SKUs with the normal policy and announces it; re-queues any drifted target of the active ones.
 */
export async function flashTick(deps: Deps): Promise<{ ended: number; queued: number }> {
  let ended = 0;
  let queued = 0;
  for (const w of deps.flash.expiredWindows()) {
    const r = endFlash(deps, w.id, "job:flash");
    if (!r) continue;
    ended += 1;
    queued += r.queued;
    await announceEnd(deps, r.window, r.queued, undefined);
  }
  const active = deps.flash.activeWindows();
  if (active.length)
    queued += deps.ledger.transaction(() => republish(deps, [...new Set(active.flatMap((w) => w.skus))]));
  return { ended, queued };
}
