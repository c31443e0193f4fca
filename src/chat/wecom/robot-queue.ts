import { createHash } from "node:crypto";
import type { Clock } from "../../clock.js";
import { isDiskFull } from "../../errors.js";
import type { Logger } from "../../log.js";
import type { Stores } from "../../stores.js";
import { UpstreamError } from "../../upstream/errors.js";
import type { WecomApi } from "./api-client.js";
import type { QueuedRobotMessage } from "./store.js";

/** Robot limits (doc 91770): text ≤2048 bytes, markdown ≤4096 bytes, image ≤2 MB before base64. */
export const ROBOT_TEXT_BYTES = 2048;
/** Robot markdown limit in bytes. */
export const ROBOT_MARKDOWN_BYTES = 4096;
/** Robot image limit in bytes (before base64). */
export const ROBOT_IMAGE_BYTES = 2 * 1024 * 1024;

const WINDOW_MS = 60_000;
const MERGE_SEPARATOR = "\n\n";

/** A group-robot message in the robot's own JSON shape. */
export type RobotMessage =
  | { msgtype: "text"; text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } }
  | { msgtype: "markdown"; markdown: { content: string } }
  | { msgtype: "image"; image: { base64: string; md5: string } };

/** A persistent, rate-limited send queue for one group robot. */
export interface RobotQueue {
  /** Stores the message (it survives restarts) and wakes the sender. Returns the queue row id (0: not stored, the ledger's disk was full, so it was sent once from memory). */
  enqueue(msg: RobotMessage): number;
  /**
   * Sends what the rate window allows right now, oldest first, merging text when the backlog exceeds the
   * window. Resolves with how many were sent and how long until the next send is possible (undefined: empty).
   */
  drain(): Promise<{ sent: number; waitMs: number | undefined }>;
  /** Messages still waiting. */
  pending(): number;
  /** Starts the background sender (timer-driven; `enqueue` wakes it). */
  start(): void;
  /** Stops the background sender; resolves after an in-flight send finished. Queued messages stay stored. */
  stop(): Promise<void>;
}

/** Dependencies of {@link createRobotQueue}. */
export interface RobotQueueDeps {
  /** The robot send queue table (`src/chat/wecom/store.ts`). */
  wecom: Stores["wecom"];
  api: WecomApi;
  robotKey: string;
  /** Name of this robot in the queue table (the key itself is never stored). */
  robotName: string;
  perMinute: number;
  clock: Clock;
  log: Logger;
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character, marking the cut with "…". */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, "utf8") <= max) return s;
  const ellipsis = "…";
  let out = "";
  let used = Buffer.byteLength(ellipsis, "utf8");
  for (const ch of s) {
    const b = Buffer.byteLength(ch, "utf8");
    if (used + b > max) break;
    out += ch;
    used += b;
  }
  return out + ellipsis;
}

/** A robot image message from PNG/JPG bytes: base64 plus md5 of the raw bytes. */
export function robotImage(bytes: Buffer): RobotMessage {
  return {
    msgtype: "image",
    image: { base64: bytes.toString("base64"), md5: createHash("md5").update(bytes).digest("hex") },
  };
}

/** Markdown text of a queued text or markdown message; undefined for messages that cannot be merged. */
function mergeableText(m: QueuedRobotMessage): string | undefined {
  if (m.msgtype === "markdown") return String((m.body.markdown as { content?: string } | undefined)?.content ?? "");
  if (m.msgtype === "text") {
    const t = m.body.text as
      | { content?: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] }
      | undefined;
    // Markdown can only mention by userid (<@id>); "@all" and phone mentions would be lost, so those stay separate.
    if (t?.mentioned_mobile_list?.length || t?.mentioned_list?.includes("@all")) return undefined;
    return [t?.content ?? "", ...(t?.mentioned_list ?? []).map((u) => `<@${u}>`)].join(" ").trim();
  }
  return undefined;
}

/**
 * Creates the send queue of one group robot. WeCom allows 20 sends per minute per key (failed ones count) and
 * answers 45009 above that; the queue keeps its own sliding window below the limit, and a message leaves the
 * table only after WeCom answered errcode 0, so a 45009 (another sender on the same key) only delays it.
 *
 * @example
 * const q = createRobotQueue({ wecom, api, robotKey, robotName: "ops", perMinute: 20, clock, log });
 * q.start();
 * q.enqueue({ msgtype: "markdown", markdown: { content: "**Low stock** A-12: 2 left" } });
 */
export function createRobotQueue(deps: RobotQueueDeps): RobotQueue {
  const sends: number[] = [];
  let blockedUntil = 0;
  let running: Promise<{ sent: number; waitMs: number | undefined }> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let isStarted = false;
  const log = deps.log.child({ robot: deps.robotName });

  const now = () => deps.clock.now().getTime();
  const windowCount = (t: number) => {
    while (sends.length && (sends[0] ?? 0) <= t - WINDOW_MS) sends.shift();
    return sends.length;
  };
  const waitFor = (t: number): number => {
    const windowWait = windowCount(t) >= deps.perMinute ? (sends[0] ?? t) + WINDOW_MS - t : 0;
    return Math.max(windowWait, blockedUntil - t, 0);
  };

  /** Merges the head with following text messages, at most `extra` of them, within the markdown byte limit. */
  const mergeHead = (rows: QueuedRobotMessage[], extra: number): QueuedRobotMessage[] => {
    const head = rows[0];
    const headText = head && mergeableText(head);
    if (!head || headText === undefined || extra <= 0) return rows;
    const parts = [headText];
    const ids = [head.id];
    let bytes = Buffer.byteLength(headText, "utf8");
    for (const r of rows.slice(1)) {
      if (ids.length > extra) break;
      const t = mergeableText(r);
      if (t === undefined) break;
      const b = Buffer.byteLength(MERGE_SEPARATOR + t, "utf8");
      if (bytes + b > ROBOT_MARKDOWN_BYTES) break;
      parts.push(t);
      ids.push(r.id);
      bytes += b;
    }
    if (ids.length === 1) return rows;
    deps.wecom.mergeRobotMessages(ids, {
      msgtype: "markdown",
      body: { msgtype: "markdown", markdown: { content: parts.join(MERGE_SEPARATOR) } },
    });
    log.info({ merged: ids.length }, "wecom robot messages merged to stay under the rate limit");
    return deps.wecom.robotQueue(deps.robotName);
  };

  const drainOnce = async (): Promise<{ sent: number; waitMs: number | undefined }> => {
    let sent = 0;
    for (;;) {
      let rows = deps.wecom.robotQueue(deps.robotName);
      if (rows.length === 0) return { sent, waitMs: undefined };
      const t = now();
      const wait = waitFor(t);
      if (wait > 0) return { sent, waitMs: wait };
      const budget = deps.perMinute - windowCount(t);
      if (rows.length > budget) rows = mergeHead(rows, rows.length - budget);
      const msg = rows[0];
      if (!msg) return { sent, waitMs: undefined };
      sends.push(t);
      try {
        await deps.api.robotSend(deps.robotKey, msg.body);
        deps.wecom.ackRobotMessage(msg.id);
        sent += 1;
      } catch (err) {
        const up = err instanceof UpstreamError ? err : undefined;
        if (up?.providerCode === "45009") {
          // Someone else shares this key, or WeCom counts differently: wait out a whole window.
          blockedUntil = now() + WINDOW_MS;
          deps.wecom.deferRobotMessage(msg.id, new Date(blockedUntil), "45009");
          log.warn({ queueId: msg.id, pending: rows.length }, "wecom robot rate limited (45009); will retry");
        } else if (!up || up.retryable || up.providerCode === "93000") {
          // Network trouble, WeCom busy, or a removed/mistyped key (93000): keep everything, back off.
          const backoff = Math.min(5_000 * 2 ** msg.attempts, 10 * 60_000);
          blockedUntil = now() + backoff;
          deps.wecom.deferRobotMessage(msg.id, new Date(blockedUntil), up?.code ?? "error");
          log.error({ err, queueId: msg.id, backoffMs: backoff }, "wecom robot send failed; will retry");
        } else {
          // WeCom rejected this message itself (bad type, too long…); retrying cannot help and would block the queue.
          deps.wecom.ackRobotMessage(msg.id);
          log.error({ err, queueId: msg.id, msgtype: msg.msgtype }, "wecom robot message rejected; dropped");
        }
      }
    }
  };

  const schedule = (ms: number) => {
    if (!isStarted) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref?.();
  };
  const tick = () => {
    timer = undefined;
    queue
      .drain()
      .then((r) => {
        if (r.waitMs !== undefined) schedule(r.waitMs);
        // A message enqueued while the drain was finishing found it still running and did not schedule.
        else if (queue.pending() > 0) schedule(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, "wecom robot queue failed");
        schedule(30_000);
      });
  };

  const queue: RobotQueue = {
    enqueue(msg) {
      let body: RobotMessage = msg;
      if (msg.msgtype === "text")
        body = { ...msg, text: { ...msg.text, content: truncateBytes(msg.text.content, ROBOT_TEXT_BYTES) } };
      if (msg.msgtype === "markdown")
        body = { ...msg, markdown: { content: truncateBytes(msg.markdown.content, ROBOT_MARKDOWN_BYTES) } };
      let id: number;
      try {
        id = deps.wecom.enqueueRobotMessage({
          robot: deps.robotName,
          msgtype: msg.msgtype,
          body: body as unknown as Record<string, unknown>,
        });
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        // The queue cannot store it (the ledger's disk is full): send it once from memory, within the rate window.
        sends.push(now());
        deps.api
          .robotSend(deps.robotKey, body as unknown as Parameters<typeof deps.api.robotSend>[1])
          .catch((e: unknown) => log.error({ err: e }, "wecom robot message sent from memory failed; dropped"));
        return 0;
      }
      if (isStarted && !running && !timer) schedule(0);
      return id;
    },
    drain() {
      running ??= drainOnce().finally(() => {
        running = undefined;
      });
      return running;
    },
    pending: () => deps.wecom.robotQueueLength(deps.robotName),
    start() {
      isStarted = true;
      schedule(0);
    },
    async stop() {
      isStarted = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
  return queue;
}
