import { z } from "zod";
import type { Reply } from "../chat/types.js";
import { channelCommon } from "../config-fields.js";
import { AppError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
import { asChannelId } from "../ids.js";
import type { Ledger } from "../ledger/index.js";
import type { Logger } from "../log.js";
import type { Stores } from "../stores.js";
import type { ChecklistPriceTodo, ChecklistTodo } from "./checklist-store.js";
import type { ChannelStock, PriceOutcome, PushOutcome, SalesChannel } from "./types.js";

/** The `xianyu` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const XianyuConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("xianyu"),
  /** Largest quantity a Xianyu listing accepts; the policy never publishes more. */
  maxQuantity: z.number().int().min(1).max(9999).default(9999),
  /** Link shown in each to-do; `{ref}` is replaced by the listing's Xianyu item id. */
  itemUrl: z.string().includes("{ref}").default("https://www.goofish.com/item?id={ref}"),
});
/** A validated `xianyu` channel config. */
export type XianyuConfig = z.infer<typeof XianyuConfigSchema>;

/** Largest stock a Xianyu listing accepts. */
export const XIANYU_MAX_QUANTITY = 9999;

/** What {@link createXianyuChannel} needs. */
export interface XianyuChannelDeps {
  config: XianyuConfig;
  ledger: Pick<Ledger, "stock" | "listings">;
  /** The channel's to-dos (`src/channels/checklist-store.ts`). */
  checklist: Pick<Stores["checklist"], "syncTodo" | "markTodoPosted" | "syncPriceTodo" | "markPriceTodoPosted">;
  /** Posts to the ops group (`deps.notify`). */
  notify(reply: Reply): Promise<void>;
  log: Logger;
}

/** A channel whose pushes are applied by people from chat to-dos instead of by an API. */
export interface ChecklistChannel extends SalesChannel {
  readonly isChecklist: true;
}

/** True for channels updated by hand from chat to-dos (Xianyu). */
export const isChecklistChannel = (c: SalesChannel): c is ChecklistChannel =>
  (c as Partial<ChecklistChannel>).isChecklist === true;

/** The one-line chat to-do for a Xianyu change in `tr`'s language, with its Done button. */
export function todoIn(todo: ChecklistTodo, opts: { title?: string; itemUrl: string }, tr: Translator): Reply {
  const what = opts.title ? `${todo.sku} (${opts.title})` : todo.sku;
  const link = opts.itemUrl.replace("{ref}", encodeURIComponent(todo.ref));
  const action = todo.isListed
    ? tr.t("xianyu-todo-set", { what, qty: String(todo.targetQty) })
    : tr.t("xianyu-todo-off", { what });
  const replaces = todo.replaces ? ` ${tr.t("xianyu-todo-replaces", { id: todo.replaces })}` : "";
  return {
    text: tr.t("xianyu-todo", { id: todo.id, action, ref: todo.ref, link, replaces }),
    buttons: [{ label: tr.t("button-done"), action: `/xianyu-done ${todo.id}` }],
  };
}

/** The Xianyu to-do in English, rendered again in each chat's language when broadcast. */
export function renderTodo(todo: ChecklistTodo, opts: { title?: string; itemUrl: string }): Reply {
  return { ...todoIn(todo, opts, sharedI18n("UTC").translator("en")), localize: (tr) => todoIn(todo, opts, tr) };
}

/** The one-line chat price to-do for Xianyu in `tr`'s language, with its Done button. */
export function priceTodoIn(
  todo: ChecklistPriceTodo,
  opts: { title?: string; itemUrl: string },
  tr: Translator,
): Reply {
  const what = opts.title ? `${todo.sku} (${opts.title})` : todo.sku;
  const link = opts.itemUrl.replace("{ref}", encodeURIComponent(todo.ref));
  return {
    text: tr.t("xianyu-price-todo", { id: todo.id, what, price: tr.money(todo.price), ref: todo.ref, link }),
    buttons: [{ label: tr.t("button-done"), action: `/xianyu-done ${todo.id}` }],
  };
}

/** The Xianyu price to-do in English, rendered again in each chat's language when broadcast. */
export function renderPriceTodo(todo: ChecklistPriceTodo, opts: { title?: string; itemUrl: string }): Reply {
  return {
    ...priceTodoIn(todo, opts, sharedI18n("UTC").translator("en")),
    localize: (tr) => priceTodoIn(todo, opts, tr),
  };
}

/** Lines for `/sync status` and `/todos`: one per open Xianyu to-do. */
export function todoStatusLines(todos: readonly ChecklistTodo[], tr: Translator): string[] {
  return todos.map((t) =>
    tr.t("sync-todo-line", {
      id: t.id,
      channel: t.channelId,
      sku: t.sku,
      what: t.isListed ? tr.t("sync-todo-set", { qty: t.targetQty }) : tr.t("sync-todo-off"),
      since: tr.dateTime(new Date(t.createdAt)),
    }),
  );
}

/** Lines for `/todos`: one per open Xianyu price to-do, in the form of {@link todoStatusLines}. */
export function priceTodoStatusLines(todos: readonly ChecklistPriceTodo[], tr: Translator): string[] {
  return todos.map((t) =>
    tr.t("sync-todo-line", {
      id: t.id,
      channel: t.channelId,
      sku: t.sku,
      what: tr.t("xianyu-todo-price-line", { price: tr.money(t.price) }),
      since: tr.dateTime(new Date(t.createdAt)),
    }),
  );
}

/**
 * Xianyu (闲鱼) as a checklist channel: ordinary sellers have no stock API, so every push becomes one
 * to-do in the ops chat ("set A-12 to 7", or "take it off sale") with a Done button. The push stays
 * pending (a retryable "awaiting_operator" outcome, so the drainer keeps the outbox row and calls again
 * later without re-posting) until someone presses Done, which confirms exactly the target shown. Prices work the
 * same way (issue 14): one price to-do per listing ("set the price of A-12 to ¥19.90"), whose price follows a
 * newer target in place; Done confirms the price the operator was shown.
 *
 * @example
 * const xy = createXianyuChannel({ config, ledger, notify: deps.notify, log });
 */
export function createXianyuChannel(deps: XianyuChannelDeps): ChecklistChannel {
  const { config, ledger, checklist } = deps;
  const id = asChannelId(config.id);
  const log = deps.log.child({ channel: config.id, provider: "xianyu" });

  const titleOf = (sku: string): string | undefined => {
    try {
      return ledger.stock.getLevel(sku).title || undefined;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  };

  const awaiting = (id: string, what: "stock" | "price") =>
    localized(AppError, "awaiting_operator", textRef("xianyu-awaiting", { what, id }), { todo: id });

  async function ensurePosted(sku: PushOutcome["sku"]): Promise<PushOutcome> {
    const { todo } = checklist.syncTodo(config.id, sku);
    if (!todo) {
      return {
        sku,
        ok: false,
        retryable: false,
        error: localized(AppError, "no_pending_target", textRef("xianyu-no-pending", { sku, channel: config.id })),
      };
    }
    if (!todo.postedAt) {
      try {
        await deps.notify(renderTodo(todo, { title: titleOf(sku), itemUrl: config.itemUrl }));
        checklist.markTodoPosted(todo.id);
        log.info({ sku, todo: todo.id, targetQty: todo.targetQty, isListed: todo.isListed }, "xianyu to-do posted");
      } catch (err) {
        log.warn({ err, sku, todo: todo.id }, "xianyu to-do could not be posted; will retry");
      }
    }
    return {
      sku,
      ok: false,
      retryable: true,
      error: awaiting(todo.id, "stock"),
    };
  }

  async function ensurePricePosted(sku: PriceOutcome["sku"]): Promise<PriceOutcome> {
    const { todo } = checklist.syncPriceTodo(config.id, sku);
    if (!todo) {
      return {
        sku,
        ok: false,
        retryable: false,
        error: localized(
          AppError,
          "no_pending_target",
          textRef("xianyu-no-pending-price", { sku, channel: config.id }),
        ),
      };
    }
    if (!todo.postedAt) {
      try {
        await deps.notify(renderPriceTodo(todo, { title: titleOf(sku), itemUrl: config.itemUrl }));
        checklist.markPriceTodoPosted(todo.id, todo.price);
        log.info({ sku, todo: todo.id, price: todo.price }, "xianyu price to-do posted");
      } catch (err) {
        log.warn({ err, sku, todo: todo.id }, "xianyu price to-do could not be posted; will retry");
      }
    }
    return { sku, ok: false, retryable: true, error: awaiting(todo.id, "price") };
  }

  return {
    id,
    kind: "xianyu",
    isChecklist: true,
    maxBatch: 50,
    listCatalog: async () => [],
    // Nothing can be read back from Xianyu: what it shows is what an operator last confirmed with Done.
    async fetchStock(refs) {
      const out: ChannelStock[] = [];
      for (const r of refs) {
        const l = ledger.listings.skuListings(r.sku).find((x) => x.channelId === config.id);
        if (l?.confirmedQty !== null && l?.confirmedQty !== undefined)
          out.push({ sku: r.sku, ref: r.ref, quantity: l.confirmedQty, isListed: l.confirmedListed ?? true });
      }
      return out;
    },
    async pushStock(items) {
      const out: PushOutcome[] = [];
      for (const p of items) out.push(await ensurePosted(p.sku));
      return out;
    },
    // A price becomes a to-do too; the target stays in the price outbox until Done confirms it.
    async pushPrices(items) {
      const out: PriceOutcome[] = [];
      for (const p of items) out.push(await ensurePricePosted(p.sku));
      return out;
    },
    // Delisting is part of the to-do the next push posts (the outbox row carries isListed).
    setListed: async () => {},
    fetchOrders: async (cursor) => ({ orders: [], nextCursor: cursor ?? "", hasMore: false }),
  };
}
