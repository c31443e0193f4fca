import { NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asChannelId, asSku, type ChannelId, type Money, type Sku } from "../ids.js";
import { must } from "../internal-error.js";
import { type LedgerCtx, nowIso, write } from "../ledger/context.js";
import { allOutbox } from "../ledger/outbox.js";
import type { OutboxRow } from "../ledger/rows.js";
import { confirmPriceTarget, type PriceTarget, pendingPriceChanges } from "../money/price-outbox-store.js";
import { confirmAndLog } from "../sync/channel-state.js";

/** A hand-applied change on a checklist channel (Xianyu): set `sku` to `targetQty`, or delist it. */
export interface ChecklistTodo {
  id: string;
  channelId: ChannelId;
  sku: Sku;
  ref: string;
  /** The outbox version this to-do mirrors; Done confirms exactly this version. */
  version: number;
  targetQty: number;
  isListed: boolean;
  status: "open" | "done" | "superseded";
  /** The to-do this one replaced (the target changed before anyone pressed Done). */
  replaces: string | null;
  createdAt: string;
  postedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
}

interface TodoRow {
  id: string;
  channel_id: string;
  sku: string;
  ref: string;
  version: number;
  target_qty: number;
  is_listed: number;
  status: ChecklistTodo["status"];
  replaces: string | null;
  created_at: string;
  posted_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
}

const toTodo = (r: TodoRow): ChecklistTodo => ({
  id: r.id,
  channelId: asChannelId(r.channel_id),
  sku: asSku(r.sku),
  ref: r.ref,
  version: r.version,
  targetQty: r.target_qty,
  isListed: r.is_listed === 1,
  status: r.status,
  replaces: r.replaces,
  createdAt: r.created_at,
  postedAt: r.posted_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
});

const matches = (t: ChecklistTodo, row: OutboxRow): boolean =>
  t.version === row.version && t.targetQty === row.targetQty && t.isListed === row.isListed && t.ref === row.ref;

function openTodoFor(ctx: LedgerCtx, channelId: string, sku: string): ChecklistTodo | undefined {
  const r = ctx
    .stmt<[string, string], TodoRow>(
      "SELECT * FROM checklist_todos WHERE channel_id = ? AND sku = ? AND status = 'open'",
    )
    .get(channelId, sku);
  return r ? toTodo(r) : undefined;
}

function pendingRow(ctx: LedgerCtx, channelId: string, sku: string): OutboxRow | undefined {
  return allOutbox(ctx, channelId).find((r) => r.sku === sku);
}

function supersede(ctx: LedgerCtx, id: string): void {
  ctx
    .stmt("UPDATE checklist_todos SET status = 'superseded', closed_at = ? WHERE id = ? AND status = 'open'")
    .run(nowIso(ctx), id);
}

/**
 * Makes the open to-do of (channel, sku) mirror the current outbox target: keeps it when it already does,
 * otherwise supersedes it and opens a new one. Without a pending target, closes any open to-do as
 * superseded and returns `todo: undefined`. One transaction; `isNew` says a new to-do must be posted.
 */
export function syncTodo(
  ctx: LedgerCtx,
  channelId: string,
  sku: string,
): { todo: ChecklistTodo | undefined; isNew: boolean } {
  return write(ctx, () => {
    const row = pendingRow(ctx, channelId, sku);
    const open = openTodoFor(ctx, channelId, sku);
    if (!row) {
      if (open) supersede(ctx, open.id);
      return { todo: undefined, isNew: false };
    }
    if (open && matches(open, row)) return { todo: open, isNew: false };
    if (open) supersede(ctx, open.id);
    const id = ctx.newId("X");
    ctx
      .stmt(
        `INSERT INTO checklist_todos (id, channel_id, sku, ref, version, target_qty, is_listed, status, replaces, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      )
      .run(
        id,
        channelId,
        sku,
        row.ref,
        row.version,
        row.targetQty,
        row.isListed ? 1 : 0,
        open?.id ?? null,
        nowIso(ctx),
      );
    return { todo: getTodo(ctx, id), isNew: true };
  });
}

/** Records that a to-do was posted to the chat (it is not posted again). */
export function markTodoPosted(ctx: LedgerCtx, id: string): void {
  write(ctx, () => {
    ctx.stmt("UPDATE checklist_todos SET posted_at = ? WHERE id = ? AND posted_at IS NULL").run(nowIso(ctx), id);
  });
}

/** One to-do by id; NotFoundError otherwise. */
export function getTodo(ctx: LedgerCtx, id: string): ChecklistTodo {
  const r = ctx.stmt<[string], TodoRow>("SELECT * FROM checklist_todos WHERE id = ?").get(id);
  if (!r) throw localized(NotFoundError, "unknown_todo", textRef("todo-unknown", { id }), { id });
  return toTodo(r);
}

/** Open to-dos, oldest first, optionally of one channel. */
export function openTodos(ctx: LedgerCtx, channelId?: string): ChecklistTodo[] {
  return ctx
    .stmt<[string | null, string | null], TodoRow>(
      "SELECT * FROM checklist_todos WHERE status = 'open' AND (? IS NULL OR channel_id = ?) ORDER BY created_at, id",
    )
    .all(channelId ?? null, channelId ?? null)
    .map(toTodo);
}

/** What pressing Done did. */
export type TodoCompletion =
  | { kind: "done"; todo: ChecklistTodo }
  | { kind: "already_done"; todo: ChecklistTodo }
  /** The target changed after this to-do was shown; `current` is the to-do to do instead, if any. */
  | { kind: "superseded"; todo: ChecklistTodo; current: ChecklistTodo | undefined };

/**
 * Done on a to-do: confirms the outbox row as applied on the channel, but only if the row still holds
 * the exact version and target the to-do showed (a newer target stays queued and gets its own to-do).
 * Idempotent: pressing Done twice reports who did it first.
 */
export function completeTodo(ctx: LedgerCtx, id: string, actor: string): TodoCompletion {
  return write(ctx, () => {
    const todo = getTodo(ctx, id);
    if (todo.status === "done") return { kind: "already_done", todo };
    const row = pendingRow(ctx, todo.channelId, todo.sku);
    if (todo.status === "open" && row && matches(todo, row) && confirmAndLog(ctx, row, todo.targetQty, todo.isListed)) {
      ctx
        .stmt("UPDATE checklist_todos SET status = 'done', closed_at = ?, closed_by = ? WHERE id = ?")
        .run(nowIso(ctx), actor, id);
      return { kind: "done", todo: getTodo(ctx, id) };
    }
    supersede(ctx, id);
    const current = openTodoFor(ctx, todo.channelId, todo.sku);
    return { kind: "superseded", todo: getTodo(ctx, id), current };
  });
}

/** A hand-applied price change on a checklist channel (Xianyu): set the price of `sku` to `price`. */
export interface ChecklistPriceTodo {
  id: string;
  channelId: ChannelId;
  sku: Sku;
  ref: string;
  /** The price outbox version this to-do follows (updated in place while it is open). */
  version: number;
  /** The current target price. */
  price: Money;
  /** The price the operator was last shown (the posted to-do, or the reply to an out-of-date Done); null until posted. */
  shown: Money | null;
  status: "open" | "done" | "superseded";
  createdAt: string;
  postedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
}

interface PriceTodoRow {
  id: string;
  channel_id: string;
  sku: string;
  ref: string;
  version: number;
  target_minor: number;
  currency: string;
  shown_minor: number | null;
  shown_currency: string | null;
  status: ChecklistPriceTodo["status"];
  created_at: string;
  posted_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
}

const toPriceTodo = (r: PriceTodoRow): ChecklistPriceTodo => ({
  id: r.id,
  channelId: asChannelId(r.channel_id),
  sku: asSku(r.sku),
  ref: r.ref,
  version: r.version,
  price: { amountMinor: r.target_minor, currency: r.currency },
  shown:
    r.shown_minor !== null && r.shown_currency !== null
      ? { amountMinor: r.shown_minor, currency: r.shown_currency }
      : null,
  status: r.status,
  createdAt: r.created_at,
  postedAt: r.posted_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
});

const samePrice = (a: Money, b: Money): boolean => a.amountMinor === b.amountMinor && a.currency === b.currency;

function openPriceTodoFor(ctx: LedgerCtx, channelId: string, sku: string): ChecklistPriceTodo | undefined {
  const r = ctx
    .stmt<[string, string], PriceTodoRow>(
      "SELECT * FROM checklist_price_todos WHERE channel_id = ? AND sku = ? AND status = 'open'",
    )
    .get(channelId, sku);
  return r ? toPriceTodo(r) : undefined;
}

const pendingPrice = (ctx: LedgerCtx, channelId: string, sku: string): PriceTarget | undefined =>
  pendingPriceChanges(ctx, sku).find((t) => t.channelId === channelId);

function closePriceTodo(ctx: LedgerCtx, id: string, status: "done" | "superseded", actor: string | null): void {
  ctx
    .stmt("UPDATE checklist_price_todos SET status = ?, closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'")
    .run(status, nowIso(ctx), actor, id);
}

/** One price to-do by id, or undefined (ids share the `X-` form of the stock to-dos). */
export function findPriceTodo(ctx: LedgerCtx, id: string): ChecklistPriceTodo | undefined {
  const r = ctx.stmt<[string], PriceTodoRow>("SELECT * FROM checklist_price_todos WHERE id = ?").get(id);
  return r ? toPriceTodo(r) : undefined;
}

/**
 * Makes the open price to-do of (channel, sku) follow the current price outbox target: at most one is open, and a
 * new target replaces its price in place (same id, nothing is posted again). Without a pending target, closes
 * the open one as superseded and returns `todo: undefined`. One transaction; `isNew` says a to-do was opened.
 */
export function syncPriceTodo(
  ctx: LedgerCtx,
  channelId: string,
  sku: string,
): { todo: ChecklistPriceTodo | undefined; isNew: boolean } {
  return write(ctx, () => {
    const target = pendingPrice(ctx, channelId, sku);
    const open = openPriceTodoFor(ctx, channelId, sku);
    if (!target) {
      if (open) closePriceTodo(ctx, open.id, "superseded", null);
      return { todo: undefined, isNew: false };
    }
    if (open) {
      if (open.version !== target.version || open.ref !== target.ref || !samePrice(open.price, target.price))
        ctx
          .stmt("UPDATE checklist_price_todos SET version = ?, ref = ?, target_minor = ?, currency = ? WHERE id = ?")
          .run(target.version, target.ref, target.price.amountMinor, target.price.currency, open.id);
      return { todo: must(findPriceTodo(ctx, open.id), "the open price to-do reads back"), isNew: false };
    }
    const id = ctx.newId("X");
    ctx
      .stmt(
        `INSERT INTO checklist_price_todos (id, channel_id, sku, ref, version, target_minor, currency, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
      )
      .run(
        id,
        channelId,
        sku,
        target.ref,
        target.version,
        target.price.amountMinor,
        target.price.currency,
        nowIso(ctx),
      );
    return { todo: must(findPriceTodo(ctx, id), "the price to-do just written reads back"), isNew: true };
  });
}

/** Records that a price to-do was posted, showing its current price (it is not posted again). */
export function markPriceTodoPosted(ctx: LedgerCtx, id: string, shown: Money): void {
  write(ctx, () => {
    ctx
      .stmt(
        "UPDATE checklist_price_todos SET posted_at = ?, shown_minor = ?, shown_currency = ? WHERE id = ? AND posted_at IS NULL",
      )
      .run(nowIso(ctx), shown.amountMinor, shown.currency, id);
  });
}

/** Open price to-dos, oldest first, optionally of one channel. */
export function openPriceTodos(ctx: LedgerCtx, channelId?: string): ChecklistPriceTodo[] {
  return ctx
    .stmt<[string | null, string | null], PriceTodoRow>(
      "SELECT * FROM checklist_price_todos WHERE status = 'open' AND (? IS NULL OR channel_id = ?) ORDER BY created_at, id",
    )
    .all(channelId ?? null, channelId ?? null)
    .map(toPriceTodo);
}

/** What pressing Done on a price to-do did. */
export type PriceTodoCompletion =
  | { kind: "done"; todo: ChecklistPriceTodo }
  | { kind: "already_done"; todo: ChecklistPriceTodo }
  /** The target moved after the operator was shown `applied`: that is recorded as the channel's price, `todo.shown` is the new one to set. */
  | { kind: "changed"; todo: ChecklistPriceTodo; applied: Money }
  /** No price is queued any more for this listing. */
  | { kind: "superseded"; todo: ChecklistPriceTodo };

/**
 * Done on a price to-do: the operator set the price they were shown. When that is still the target, it is confirmed
 * (recorded as the channel's price, and the target leaves the price outbox). When the target moved since, the
 * shown price is recorded as what the channel holds, the target stays queued, and the to-do now shows the new
 * price (the reply tells the operator). Idempotent: Done twice reports who did it first.
 */
export function completePriceTodo(ctx: LedgerCtx, id: string, actor: string): PriceTodoCompletion {
  return write(ctx, () => {
    const todo = findPriceTodo(ctx, id);
    if (!todo) throw localized(NotFoundError, "unknown_todo", textRef("todo-unknown", { id }), { id });
    if (todo.status === "done") return { kind: "already_done", todo };
    const target = todo.status === "open" ? pendingPrice(ctx, todo.channelId, todo.sku) : undefined;
    if (!target) {
      closePriceTodo(ctx, id, "superseded", null);
      return { kind: "superseded", todo: must(findPriceTodo(ctx, id), "the price to-do just written reads back") };
    }
    const applied = todo.shown ?? target.price;
    if (confirmPriceTarget(ctx, target, applied)) {
      closePriceTodo(ctx, id, "done", actor);
      return { kind: "done", todo: must(findPriceTodo(ctx, id), "the price to-do just written reads back") };
    }
    ctx
      .stmt(
        "UPDATE checklist_price_todos SET version = ?, ref = ?, target_minor = ?, currency = ?, shown_minor = ?, shown_currency = ? WHERE id = ?",
      )
      .run(
        target.version,
        target.ref,
        target.price.amountMinor,
        target.price.currency,
        target.price.amountMinor,
        target.price.currency,
        id,
      );
    return { kind: "changed", todo: must(findPriceTodo(ctx, id), "the price to-do just written reads back"), applied };
  });
}
