import { type LedgerCtx, nowIso, write } from "../../ledger/context.js";

/** How long inbound de-duplication keys are kept; WeCom retries within seconds, so a day is ample. */
const INBOUND_KEEP_MS = 24 * 3600 * 1000;

/** Records an inbound callback key; false when it was seen before (a WeCom retry or a replay). */
export function claimWecomInbound(ctx: LedgerCtx, dedupeKey: string): boolean {
  return write(ctx, () => {
    const now = ctx.clock.now();
    ctx
      .stmt("DELETE FROM wecom_inbound WHERE received_at < ?")
      .run(new Date(now.getTime() - INBOUND_KEEP_MS).toISOString());
    const { changes } = ctx
      .stmt("INSERT INTO wecom_inbound (dedupe_key, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .run(dedupeKey, now.toISOString());
    return changes === 1;
  });
}

/** Group-robot message types the queue holds. */
export type RobotMsgType = "text" | "markdown" | "image";

/** One queued group-robot message. `body` is the robot's own JSON for that msgtype. */
export interface QueuedRobotMessage {
  id: number;
  robot: string;
  msgtype: RobotMsgType;
  body: Record<string, unknown>;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
}

interface QueueRow {
  id: number;
  robot: string;
  msgtype: RobotMsgType;
  body: string;
  enqueued_at: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
}

const toQueued = (r: QueueRow): QueuedRobotMessage => ({
  id: r.id,
  robot: r.robot,
  msgtype: r.msgtype,
  body: JSON.parse(r.body) as Record<string, unknown>,
  enqueuedAt: r.enqueued_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

/** Appends a message to a robot's queue; returns its id. */
export function enqueueRobotMessage(
  ctx: LedgerCtx,
  m: { robot: string; msgtype: RobotMsgType; body: Record<string, unknown> },
): number {
  return write(ctx, () =>
    Number(
      ctx
        .stmt("INSERT INTO wecom_robot_queue (robot, msgtype, body, enqueued_at) VALUES (?, ?, ?, ?)")
        .run(m.robot, m.msgtype, JSON.stringify(m.body), nowIso(ctx)).lastInsertRowid,
    ),
  );
}

/** The robot's queued messages in send order (oldest first), including ones waiting for a retry. */
export function robotQueue(ctx: LedgerCtx, robot: string, limit = 500): QueuedRobotMessage[] {
  return ctx
    .stmt<[string, number], QueueRow>("SELECT * FROM wecom_robot_queue WHERE robot = ? ORDER BY id LIMIT ?")
    .all(robot, limit)
    .map(toQueued);
}

/** How many messages wait in a robot's queue. */
export function robotQueueLength(ctx: LedgerCtx, robot: string): number {
  return (
    ctx.stmt<[string], { n: number }>("SELECT COUNT(*) AS n FROM wecom_robot_queue WHERE robot = ?").get(robot)?.n ?? 0
  );
}

/** Removes a message WeCom accepted. */
export function ackRobotMessage(ctx: LedgerCtx, id: number): void {
  write(ctx, () => ctx.stmt("DELETE FROM wecom_robot_queue WHERE id = ?").run(id));
}

/** Keeps a message for a later attempt (45009, network failure) and notes why. */
export function deferRobotMessage(ctx: LedgerCtx, id: number, nextAttemptAt: Date, error: string): void {
  write(ctx, () =>
    ctx
      .stmt("UPDATE wecom_robot_queue SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")
      .run(nextAttemptAt.toISOString(), ctx.redact(error).slice(0, 500), id),
  );
}

/**
 * Replaces several queued messages by one merged message, atomically: the merged row takes the place of the
 * oldest part (its id, so send order is kept), the other parts disappear in the same transaction.
 */
export function mergeRobotMessages(
  ctx: LedgerCtx,
  ids: number[],
  merged: { msgtype: RobotMsgType; body: Record<string, unknown> },
): number {
  const [first, ...rest] = [...ids].sort((a, b) => a - b);
  if (first === undefined) throw new Error("mergeRobotMessages needs at least one id");
  return write(ctx, () => {
    ctx
      .stmt("UPDATE wecom_robot_queue SET msgtype = ?, body = ?, next_attempt_at = NULL WHERE id = ?")
      .run(merged.msgtype, JSON.stringify(merged.body), first);
    const del = ctx.stmt("DELETE FROM wecom_robot_queue WHERE id = ?");
    for (const id of rest) del.run(id);
    return first;
  });
}

/** Where an interactive card was sent. */
export type CardSurface = "app" | "aibot";

/** An interactive template card we sent and how it was resolved. */
export interface WecomCard {
  taskId: string;
  surface: CardSurface;
  recipients: string[];
  title: string;
  body: string;
  buttons: { key: string; label: string }[];
  state: "open" | "running" | "done";
  pressedBy: string | null;
  pressedKey: string | null;
  outcomeText: string | null;
  createdAt: string;
  pressedAt: string | null;
}

interface CardRow {
  task_id: string;
  surface: CardSurface;
  recipients: string;
  title: string;
  body: string;
  buttons: string;
  state: WecomCard["state"];
  pressed_by: string | null;
  pressed_key: string | null;
  outcome_text: string | null;
  created_at: string;
  pressed_at: string | null;
}

const toCard = (r: CardRow): WecomCard => ({
  taskId: r.task_id,
  surface: r.surface,
  recipients: JSON.parse(r.recipients) as string[],
  title: r.title,
  body: r.body,
  buttons: JSON.parse(r.buttons) as WecomCard["buttons"],
  state: r.state,
  pressedBy: r.pressed_by,
  pressedKey: r.pressed_key,
  outcomeText: r.outcome_text,
  createdAt: r.created_at,
  pressedAt: r.pressed_at,
});

/** Records a card we are about to send. */
export function recordWecomCard(
  ctx: LedgerCtx,
  c: Pick<WecomCard, "taskId" | "surface" | "recipients" | "title" | "body" | "buttons">,
): void {
  write(ctx, () =>
    ctx
      .stmt(
        "INSERT INTO wecom_cards (task_id, surface, recipients, title, body, buttons, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
      )
      .run(c.taskId, c.surface, JSON.stringify(c.recipients), c.title, c.body, JSON.stringify(c.buttons), nowIso(ctx)),
  );
}

/** One card by task id, or undefined for a card we never sent (or one from before a database reset). */
export function wecomCard(ctx: LedgerCtx, taskId: string): WecomCard | undefined {
  const r = ctx.stmt<[string], CardRow>("SELECT * FROM wecom_cards WHERE task_id = ?").get(taskId);
  return r ? toCard(r) : undefined;
}

/**
 * Claims a card for one press: open → running, only if it was open. Returns true for the one caller that
 * may run the action; every other (retried, concurrent or late) press gets false and reads the card's state.
 */
export function claimWecomCard(ctx: LedgerCtx, taskId: string, by: string, key: string): boolean {
  return write(ctx, () => {
    const { changes } = ctx
      .stmt(
        "UPDATE wecom_cards SET state = 'running', pressed_by = ?, pressed_key = ?, pressed_at = ? WHERE task_id = ? AND state = 'open'",
      )
      .run(by, key, nowIso(ctx), taskId);
    return changes === 1;
  });
}

/** Ends a claimed press: `done` keeps the card resolved; `reopen` (a refused press) lets someone else press it. */
export function finishWecomCard(
  ctx: LedgerCtx,
  taskId: string,
  result: { state: "done"; outcomeText: string } | { state: "reopen" },
): void {
  write(ctx, () => {
    if (result.state === "done") {
      ctx
        .stmt("UPDATE wecom_cards SET state = 'done', outcome_text = ? WHERE task_id = ? AND state = 'running'")
        .run(result.outcomeText, taskId);
    } else {
      ctx
        .stmt(
          "UPDATE wecom_cards SET state = 'open', pressed_by = NULL, pressed_key = NULL, pressed_at = NULL WHERE task_id = ? AND state = 'running'",
        )
        .run(taskId);
    }
  });
}
