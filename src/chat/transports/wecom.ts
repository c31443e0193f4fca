import { type Clock, realSleep, type Sleep } from "../../clock.js";
import type { Config } from "../../config.js";
import { ConfigError, isDiskFull } from "../../errors.js";
import { sharedI18n, type Translator } from "../../i18n/translator.js";
import type { Ledger } from "../../ledger/index.js";
import type { Logger } from "../../log.js";
import type { Stores } from "../../stores.js";
import { UpstreamError } from "../../upstream/errors.js";
import type { ChatStatus, PressResult, Reply, Transport, TransportHandlers } from "../types.js";
import type { WecomApi } from "../wecom/api-client.js";
import {
  buttonCard,
  buttonHints,
  CARD_LIMITS,
  type CardButton,
  cardText,
  newTaskId,
  resolvedCard,
  resolvedLabel,
} from "../wecom/cards.js";
import {
  type CallbackCrypto,
  createCallbackCrypto,
  type SignedQuery,
  WecomCallbackError,
} from "../wecom/crypto-callback.js";
import {
  ROBOT_IMAGE_BYTES,
  ROBOT_TEXT_BYTES,
  type RobotQueue,
  robotImage,
  truncateBytes,
} from "../wecom/robot-queue.js";
import {
  AiBotEnvelopeSchema,
  type AiBotMessage,
  AiBotMessageSchema,
  AppEnvelopeSchema,
  type AppMessage,
  AppMessageSchema,
  parseWecomXml,
} from "../wecom/wire.js";
import { reconnectWithBackoff } from "./reconnect.js";

/** The `chat.wecom` section of the config. */
export type WecomSettings = NonNullable<Config["chat"]["wecom"]>;

/** What the WeCom transport needs; built by `src/app.ts`. */
export interface WecomTransportDeps {
  settings: WecomSettings;
  ledger: Ledger;
  /** Inbound de-duplication and the template cards we sent (`src/chat/wecom/store.ts`). */
  wecom: Stores["wecom"];
  api: WecomApi;
  /** The ops group's robot queue; undefined when no `robotKey` is configured (pushes then go to `cardRecipients` 1:1). */
  robot: RobotQueue | undefined;
  /** WeCom userids that get the interactive card of a group push with buttons. */
  cardRecipients: string[];
  clock: Clock;
  log: Logger;
  /** The one line `run` exits with when gettoken refuses the credentials (the doctor's line for that errcode). */
  refusedLine(errcode: string | undefined): string;
  /** The one line a message to app recipients is refused with while WeCom is down (as Telegram's broadcast is). */
  downLine: string;
  /** The sleep between start-up connection attempts and the first gettoken's time limit; tests step a manual clock. */
  sleep?: Sleep;
}

/** How long start-up waits for the first gettoken before it carries on without WeCom (ms). */
export const WECOM_FIRST_CONTACT_MS = 10_000;

/** An HTTP callback as the server received it; the raw query keeps `+` in base64 values intact. */
export interface CallbackRequest {
  method: string;
  rawQuery: string;
  body: string;
  ip?: string;
}

/** What to answer WeCom. */
export interface CallbackResponse {
  status: number;
  body: string;
  contentType: string;
}

/** A checked fact about the WeCom setup, for `doctor`. */
export interface WecomCheck {
  ok: boolean;
  line: string;
}

/** The WeCom transport plus what the HTTP routes and `doctor` call. */
export interface WecomTransport extends Transport {
  /** `GET|POST` on the self-built app's callback URL. */
  handleAppCallback(req: CallbackRequest): Promise<CallbackResponse>;
  /** `GET|POST` on the AI bot's callback URL. */
  handleAiBotCallback(req: CallbackRequest): Promise<CallbackResponse>;
  /** Resolves once every command started by a callback has finished and answered, and the group robot sent what it may. */
  idle(): Promise<void>;
  /** Checks the app token and the robot key against WeCom. */
  check(): Promise<WecomCheck[]>;
}

const EMPTY: CallbackResponse = { status: 200, body: "", contentType: "text/plain; charset=utf-8" };
const plain = (status: number, body: string): CallbackResponse => ({
  status,
  body,
  contentType: "text/plain; charset=utf-8",
});

/** Decodes a raw query string with decodeURIComponent: unlike URLSearchParams it never turns a literal `+` into a space. */
export function parseRawQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const i = part.indexOf("=");
    const k = i < 0 ? part : part.slice(0, i);
    const v = i < 0 ? "" : part.slice(i + 1);
    try {
      out[decodeURIComponent(k)] = decodeURIComponent(v);
    } catch {
      // A malformed %-escape: leave the parameter out; the signature check then refuses the request.
    }
  }
  return out;
}

/** Splits text into pieces of at most `max` UTF-8 bytes, preferring line breaks. */
export function splitBytes(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of text.split("\n")) {
    const next = cur ? `${cur}\n${line}` : line;
    if (Buffer.byteLength(next, "utf8") <= max) {
      cur = next;
      continue;
    }
    if (cur) out.push(cur);
    cur = Buffer.byteLength(line, "utf8") <= max ? line : truncateBytes(line, max);
  }
  if (cur || !out.length) out.push(cur);
  return out;
}

/** Text of an AI-bot group message without the leading `@BotName` (desktop clients may add "(name)" too). */
export function stripMention(content: string): string {
  const slash = content.indexOf("/");
  if (slash >= 0) return content.slice(slash).trim();
  return content.replace(/@\S+/g, "").trim();
}

/** Keeps user-supplied text (SKU titles, notes) from mentioning people in WeCom markdown. */
const defuseMentions = (s: string): string => s.replace(/<@/g, "<\u200b@");

/**
 * WeCom (企业微信): group pushes through the robot queue, commands and card presses through the self-built
 * app's encrypted callback (1:1 with the app), and group @-commands through the AI bot's callback. Every
 * callback is answered at once (WeCom gives 5 s and retries); the command runs afterwards and answers
 * through `message/send` or the AI bot's `response_url`. WeCom XML and JSON never leave this file.
 */
export function createWecomTransport(deps: WecomTransportDeps): WecomTransport {
  const { settings, ledger, wecom, api, clock } = deps;
  const log = deps.log;
  const appCrypto: CallbackCrypto = createCallbackCrypto({
    token: settings.token,
    encodingAesKey: settings.encodingAesKey,
    receiveId: settings.corpId,
    clock,
    windowSeconds: settings.timestampWindowSeconds,
  });
  const aiCrypto: CallbackCrypto | undefined = settings.aiBot
    ? createCallbackCrypto({
        token: settings.aiBot.token,
        encodingAesKey: settings.aiBot.encodingAesKey,
        receiveId: "",
        clock,
        windowSeconds: settings.timestampWindowSeconds,
      })
    : undefined;
  let handlers: TransportHandlers | undefined;
  const inflight = new Set<Promise<void>>();

  const track = (what: string, fn: () => Promise<void>): void => {
    const p: Promise<void> = fn()
      .catch((err: unknown) => log.error({ err, what }, "wecom handler failed"))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  /** Dedupe keys the ledger could not store (its disk was full): remembered in memory instead, bounded. */
  const unstoredInbound = new Set<string>();
  /** Claims an inbound callback once; on a full disk the claim lives in memory, so reads still get answered. */
  const claimInbound = (key: string): boolean => {
    try {
      return wecom.claimWecomInbound(key);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      if (unstoredInbound.has(key)) return false;
      if (unstoredInbound.size >= 10_000) unstoredInbound.clear();
      unstoredInbound.add(key);
      log.warn({ dedupeKey: key }, "wecom callback claimed in memory: the ledger's disk is full");
      return true;
    }
  };

  const storeButtons = (reply: Reply): CardButton[] =>
    (reply.buttons ?? [])
      .slice(0, CARD_LIMITS.buttons)
      .map((b) => ({ key: ledger.jobs.storeButtonAction(b.action), label: b.label }));

  async function sendText(users: string[], text: string): Promise<void> {
    for (const chunk of splitBytes(text, ROBOT_TEXT_BYTES))
      await api.sendMessage({ touser: users.join("|"), msgtype: "text", text: { content: chunk } });
  }

  /** Sends a reply with buttons as a button_interaction card; the full text goes first when the card cannot hold it. */
  async function sendCard(users: string[], reply: Reply): Promise<string> {
    const taskId = newTaskId(clock.now());
    const buttons = storeButtons(reply);
    const { title, body, isClipped } = cardText(reply.text);
    const extra = (reply.buttons ?? []).slice(CARD_LIMITS.buttons);
    // Recorded before sending, so a press that arrives before message/send returns finds its card.
    wecom.recordWecomCard({ taskId, surface: "app", recipients: users, title, body, buttons });
    if (isClipped || extra.length)
      await sendText(users, [reply.text, buttonHints({ text: "", buttons: extra })].filter(Boolean).join("\n"));
    await api.sendMessage({
      touser: users.join("|"),
      msgtype: "template_card",
      template_card: buttonCard(taskId, reply, buttons),
    });
    return taskId;
  }

  /** The reply as plain text with its buttons written as commands (when the card cannot be stored). */
  const asText = (reply: Reply): string => [reply.text, buttonHints(reply)].filter(Boolean).join("\n");

  async function sendToUser(user: string, reply: Reply): Promise<void> {
    if (reply.buttons?.length) {
      try {
        await sendCard([user], reply);
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        // The card and its buttons could not be stored: the answer still goes out, as text.
        log.warn({ user }, "wecom card not stored (disk full); sending text");
        await sendText([user], asText(reply));
      }
    } else await sendText([user], reply.text);
    // TODO(#7): app 1:1 images need media/upload (multipart); charts reach WeCom through the group robot for now.
    if (reply.image) log.debug({ user }, "wecom app reply image not sent (group robot only)");
  }

  /** A group push as robot markdown: the text, the buttons as commands, and mentions when someone must act. */
  function groupMessages(reply: Reply): Parameters<RobotQueue["enqueue"]>[0][] {
    const hints = buttonHints(reply);
    const body = defuseMentions(reply.text) + (hints ? `\n\n${defuseMentions(hints)}` : "");
    // People the reply asks to page (breaker: the admins) plus the configured on-call list when someone must act.
    const paged = (reply.mentions ?? []).filter((m) => m.startsWith("wecom:")).map((m) => m.slice("wecom:".length));
    const mentions = [...new Set([...(reply.buttons?.length ? settings.robotMentions : []), ...paged])];
    if (mentions.includes("@all")) return [{ msgtype: "text", text: { content: body, mentioned_list: mentions } }];
    return [
      {
        msgtype: "markdown",
        markdown: { content: [body, mentions.map((u) => `<@${u}>`).join(" ")].filter(Boolean).join("\n") },
      },
    ];
  }

  async function onAppText(m: AppMessage, h: TransportHandlers): Promise<void> {
    const reply = await h.onMessage({
      transport: "wecom",
      chatId: m.FromUserName,
      userId: `wecom:${m.FromUserName}`,
      text: (m.Content ?? "").trim(),
      ...(m.MsgId ? { messageId: m.MsgId } : {}),
    });
    await sendToUser(m.FromUserName, reply);
  }

  /**
   * One press on one of our cards. The card is claimed (open → running) before the action runs, so a retried
   * callback, a second approver or a double tap finds it taken; a refused press reopens it for someone else.
   */
  async function pressCard(
    p: { surface: "app" | "aibot"; user: string; taskId: string; key: string },
    h: TransportHandlers,
  ): Promise<{ result: PressResult; label: string; title: string; isDone: boolean } | { busy: string }> {
    const card = wecom.wecomCard(p.taskId);
    if (!card) return { busy: "This card is not valid any more. Run the command again." };
    const label = card.buttons.find((b) => b.key === p.key)?.label ?? "Done";
    if (!wecom.claimWecomCard(p.taskId, `wecom:${p.user}`, p.key)) {
      const now = wecom.wecomCard(p.taskId);
      const who = now?.pressedBy ?? "someone";
      const what = now?.buttons.find((b) => b.key === now.pressedKey)?.label ?? "it";
      return {
        busy:
          now?.state === "done" ? `Already done: ${what} by ${who}.` : `${who} is handling this right now (${what}).`,
      };
    }
    let result: PressResult;
    try {
      result = await h.onButton({
        transport: "wecom",
        chatId: p.user,
        userId: `wecom:${p.user}`,
        actionId: p.key,
        messageId: `${p.taskId}:${p.user}`,
      });
    } catch (err) {
      wecom.finishWecomCard(p.taskId, { state: "reopen" });
      throw err;
    }
    const isDone = (result.outcome ?? "ok") === "ok";
    wecom.finishWecomCard(
      p.taskId,
      isDone ? { state: "done", outcomeText: result.text.split("\n")[0] ?? "" } : { state: "reopen" },
    );
    return { result, label, title: card.title, isDone };
  }

  async function onAppCardEvent(m: AppMessage, h: TransportHandlers): Promise<void> {
    const user = m.FromUserName;
    const r = await pressCard({ surface: "app", user, taskId: m.TaskId ?? "", key: m.EventKey ?? "" }, h);
    if ("busy" in r) {
      await sendText([user], r.busy);
      return;
    }
    if (r.isDone && m.ResponseCode) {
      const card = wecom.wecomCard(m.TaskId ?? "");
      await api
        .updateTemplateCard({
          userids: card?.recipients ?? [user],
          response_code: m.ResponseCode,
          button: { replace_name: resolvedLabel(r.label, user) },
        })
        .catch((err: unknown) => log.warn({ err, taskId: m.TaskId }, "wecom card update failed"));
    }
    await sendToUser(user, r.result);
  }

  async function onAppMessage(m: AppMessage, h: TransportHandlers): Promise<void> {
    if (m.MsgType === "text") return onAppText(m, h);
    if (m.MsgType === "event" && m.Event === "template_card_event") return onAppCardEvent(m, h);
    if (m.MsgType === "event") {
      log.debug({ event: m.Event }, "wecom event ignored");
      return;
    }
    await sendText([m.FromUserName], "Send a command as text, e.g. /help.");
  }

  const refused = (err: WecomCallbackError, req: CallbackRequest, route: string): CallbackResponse => {
    log.warn({ code: err.code, route, ip: req.ip, ...err.details }, "wecom callback refused");
    return plain(err.code === "malformed_callback" ? 400 : 403, "");
  };

  async function handleAppCallback(req: CallbackRequest): Promise<CallbackResponse> {
    const q = parseRawQuery(req.rawQuery);
    const signed: SignedQuery = {
      msgSignature: q.msg_signature ?? "",
      timestamp: q.timestamp ?? "",
      nonce: q.nonce ?? "",
    };
    try {
      if (req.method === "GET") return plain(200, appCrypto.verifyUrl({ ...signed, echostr: q.echostr ?? "" }));
      const env = AppEnvelopeSchema.safeParse(parseWecomXml(req.body));
      if (!env.success) throw new WecomCallbackError("malformed_callback", "Callback XML has no Encrypt.");
      const parsed = AppMessageSchema.safeParse(parseWecomXml(appCrypto.open(signed, env.data.Encrypt)));
      if (!parsed.success)
        throw new WecomCallbackError("malformed_callback", "Decrypted callback is not a WeCom message.");
      const m = parsed.data;
      if (m.AgentID && m.AgentID !== String(settings.agentId)) {
        log.warn({ agentId: m.AgentID }, "wecom callback for another app ignored");
        return EMPTY;
      }
      const h = handlers;
      if (!h) return plain(503, "");
      // Messages de-duplicate on MsgId; events (no MsgId) on sender + CreateTime, as WeCom documents.
      const key = m.MsgId
        ? `app:msg:${m.MsgId}`
        : `app:evt:${m.FromUserName}:${m.CreateTime}:${m.Event ?? ""}:${m.TaskId ?? ""}:${m.EventKey ?? ""}`;
      if (!claimInbound(key)) {
        log.info({ dedupeKey: key }, "wecom duplicate callback ignored");
        return EMPTY;
      }
      track("app callback", () => onAppMessage(m, h));
      return EMPTY;
    } catch (err) {
      if (err instanceof WecomCallbackError) return refused(err, req, "app");
      throw err;
    }
  }

  /** Races `work` against the AI bot's 5-second window; WeCom drops card events it did not see answered. */
  async function within<T>(work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ done: false }>((r) => {
      timer = setTimeout(() => r({ done: false }), ms);
    });
    try {
      return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  const respondMarkdown = async (m: AiBotMessage, reply: Reply): Promise<void> => {
    if (!m.response_url) return;
    const hints = buttonHints(reply);
    const content = truncateBytes(defuseMentions(reply.text) + (hints ? `\n\n${defuseMentions(hints)}` : ""), 20_480);
    await api.respond(m.response_url, { msgtype: "markdown", markdown: { content } });
  };

  function sealAiReply(body: Record<string, unknown>, nonce: string): CallbackResponse {
    if (!aiCrypto) return EMPTY;
    const s = aiCrypto.seal(JSON.stringify(body), { nonce });
    return plain(
      200,
      JSON.stringify({ encrypt: s.encrypt, msgsignature: s.msgSignature, timestamp: s.timestamp, nonce: s.nonce }),
    );
  }

  async function onAiText(m: AiBotMessage, h: TransportHandlers, nonce: string): Promise<CallbackResponse> {
    const user = m.from.userid;
    const work = h.onMessage({
      transport: "wecom",
      chatId: m.chatid ?? user,
      userId: `wecom:${user}`,
      text: stripMention(m.text?.content ?? ""),
      messageId: `aibot:${m.msgid}`,
    });
    const r = await within(work, settings.aiBot?.replyDeadlineMs ?? 3500);
    if (r.done && r.value.buttons?.length) {
      const taskId = newTaskId(clock.now());
      try {
        const buttons = storeButtons(r.value);
        const { title, body } = cardText(r.value.text);
        wecom.recordWecomCard({ taskId, surface: "aibot", recipients: [user], title, body, buttons });
        return sealAiReply({ msgtype: "template_card", template_card: buttonCard(taskId, r.value, buttons) }, nonce);
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        // No card without its stored buttons: the answer goes out as markdown below.
        log.warn({ user }, "wecom AI bot card not stored (disk full); answering in markdown");
      }
    }
    track("aibot reply", async () => respondMarkdown(m, r.done ? r.value : await work));
    return EMPTY;
  }

  async function onAiCardEvent(m: AiBotMessage, h: TransportHandlers, nonce: string): Promise<CallbackResponse> {
    const ev = m.event?.template_card_event;
    const user = m.from.userid;
    if (!ev) return EMPTY;
    const work = pressCard({ surface: "aibot", user, taskId: ev.task_id, key: ev.event_key }, h);
    const r = await within(work, settings.aiBot?.replyDeadlineMs ?? 3500);
    if (!r.done) {
      // Too slow for the card window: the result still reaches the group, as a message.
      track("aibot late press", async () => {
        const late = await work;
        await respondMarkdown(m, "busy" in late ? { text: late.busy } : late.result);
      });
      return EMPTY;
    }
    const v = r.value;
    if ("busy" in v) {
      track("aibot busy", () => respondMarkdown(m, { text: v.busy }));
      return EMPTY;
    }
    if (v.result.buttons?.length || !v.isDone) track("aibot press reply", () => respondMarkdown(m, v.result));
    if (!v.isDone) return EMPTY;
    return sealAiReply(
      {
        response_type: "update_template_card",
        userids: [user],
        template_card: resolvedCard(ev.task_id, v.title, v.label, user, v.result.text),
      },
      nonce,
    );
  }

  async function handleAiBotCallback(req: CallbackRequest): Promise<CallbackResponse> {
    if (!aiCrypto) return plain(404, "");
    const q = parseRawQuery(req.rawQuery);
    const signed: SignedQuery = {
      msgSignature: q.msg_signature ?? "",
      timestamp: q.timestamp ?? "",
      nonce: q.nonce ?? "",
    };
    try {
      if (req.method === "GET") return plain(200, aiCrypto.verifyUrl({ ...signed, echostr: q.echostr ?? "" }));
      let outer: unknown;
      try {
        outer = JSON.parse(req.body);
      } catch {
        throw new WecomCallbackError("malformed_callback", "AI bot callback body is not JSON.");
      }
      const env = AiBotEnvelopeSchema.safeParse(outer);
      if (!env.success) throw new WecomCallbackError("malformed_callback", "AI bot callback has no encrypt field.");
      let inner: unknown;
      try {
        inner = JSON.parse(aiCrypto.open(signed, env.data.encrypt));
      } catch (err) {
        if (err instanceof WecomCallbackError) throw err;
        throw new WecomCallbackError("malformed_callback", "Decrypted AI bot callback is not JSON.");
      }
      const parsed = AiBotMessageSchema.safeParse(inner);
      if (!parsed.success)
        throw new WecomCallbackError("malformed_callback", "Decrypted AI bot callback is not a WeCom message.");
      const m = parsed.data;
      const h = handlers;
      if (!h) return plain(503, "");
      if (!claimInbound(`aibot:${m.msgid}`)) {
        log.info({ msgid: m.msgid }, "wecom duplicate callback ignored");
        return EMPTY;
      }
      if (m.msgtype === "text") return await onAiText(m, h, signed.nonce);
      if (m.msgtype === "event" && m.event?.eventtype === "template_card_event")
        return await onAiCardEvent(m, h, signed.nonce);
      return EMPTY;
    } catch (err) {
      if (err instanceof WecomCallbackError) return refused(err, req, "aibot");
      throw err;
    }
  }

  const sleep = deps.sleep ?? realSleep;
  const stopping = new AbortController();
  let status: ChatStatus = { transport: "wecom", state: "starting" };
  let reconnecting: Promise<void> | undefined;

  /**
   * One gettoken, given up after WECOM_FIRST_CONTACT_MS: ok, refused (WeCom answered with an errcode that is
   * not "busy" or "slow down": wrong secret or corpid, IP not trusted), or unreachable with a reason.
   */
  async function contact(): Promise<
    { ok: true } | { ok: false; isRefused: boolean; errcode: string | undefined; reason: string }
  > {
    const request = new AbortController();
    const timer = new AbortController();
    const onStop = () => request.abort();
    stopping.signal.addEventListener("abort", onStop, { once: true });
    sleep(WECOM_FIRST_CONTACT_MS, timer.signal).then(
      () => request.abort(),
      () => undefined,
    );
    try {
      await api.accessToken({ force: true, signal: request.signal });
      return { ok: true };
    } catch (err) {
      if (!(err instanceof UpstreamError))
        return {
          ok: false,
          isRefused: false,
          errcode: undefined,
          reason: request.signal.aborted ? "timeout" : "error",
        };
      const isRefused = err.providerCode !== undefined && (err.kind === "auth" || err.kind === "rejected");
      return {
        ok: false,
        isRefused,
        errcode: err.providerCode,
        reason: isRefused ? "credential refused" : err.kind,
      };
    } finally {
      timer.abort();
      stopping.signal.removeEventListener("abort", onStop);
    }
  }

  /** WeCom was unreachable at start-up: retry gettoken with backoff, say so in the log at most once a minute. */
  const reconnect = (firstReason: string): Promise<void> =>
    reconnectWithBackoff({
      name: "wecom",
      firstReason,
      contact,
      clock,
      sleep,
      log,
      signal: stopping.signal,
      onUp: () => {
        status = { transport: "wecom", state: "up" };
      },
      onDown: (r) => {
        status = { transport: "wecom", state: "down", reason: r.reason };
      },
      onRefused: (r) => {
        status = { transport: "wecom", state: "down", reason: r.reason };
        log.error({ errcode: r.errcode }, deps.refusedLine(r.errcode));
      },
    });

  return {
    name: "wecom",
    handleAppCallback,
    handleAiBotCallback,
    async start(h) {
      handlers = h;
      const first = await contact();
      if (!first.ok && first.isRefused) {
        status = { transport: "wecom", state: "down", reason: first.reason };
        handlers = undefined;
        throw new ConfigError("wecom_credential_refused", deps.refusedLine(first.errcode), {
          errcode: first.errcode,
        });
      }
      // The group robot keeps its own outbox: it starts either way and sends once WeCom answers.
      deps.robot?.start();
      if (first.ok) {
        status = { transport: "wecom", state: "up" };
        return;
      }
      status = { transport: "wecom", state: "down", reason: first.reason };
      reconnecting = reconnect(first.reason);
    },
    status: () => status,
    async broadcast(reply) {
      if (deps.robot) {
        for (const msg of groupMessages(reply)) deps.robot.enqueue(msg);
        if (reply.image && reply.image.png.length <= ROBOT_IMAGE_BYTES) deps.robot.enqueue(robotImage(reply.image.png));
      }
      if (!deps.cardRecipients.length) return undefined;
      // App messages need a token WeCom cannot hand out while it is down: refused at once, not after a timeout.
      if (status.state === "down" && (reply.buttons?.length || !deps.robot))
        throw new UpstreamError({
          provider: "wecom",
          kind: "network",
          message: deps.downLine,
          details: { state: status.state, reason: status.reason },
        });
      if (reply.buttons?.length) return sendCard(deps.cardRecipients, reply);
      if (!deps.robot) await sendText(deps.cardRecipients, reply.text);
      return undefined;
    },
    async stop() {
      handlers = undefined;
      stopping.abort();
      await reconnecting;
      await deps.robot?.stop();
      await Promise.allSettled([...inflight]);
    },
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
      // The group robot sends on its own timer; draining it here sends what its rate window allows now.
      await deps.robot?.drain();
    },
    check: () => checkWecom(api, settings),
  };
}

/** The one line for a refused gettoken (start-up and doctor): what the errcode means and what to fix. */
export function wecomRefusedLine(tr: Translator, errcode: string | undefined): string {
  if (errcode === undefined) return tr.t("doctor-wecom-token-failed");
  if (errcode === "40001") return tr.t("first-wecom-refused-40001");
  if (errcode === "40013") return tr.t("first-wecom-refused-40013");
  if (errcode === "60020") return tr.t("first-wecom-refused-60020");
  return tr.t("first-wecom-refused-other", { errcode });
}

/** Checks the app token (gettoken) and the robot key without posting anything to the group; one line per finding. */
export async function checkWecom(
  api: WecomApi,
  settings: WecomSettings,
  tr: Translator = sharedI18n("UTC").translator("en"),
): Promise<WecomCheck[]> {
  const out: WecomCheck[] = [];
  const codeOf = (err: unknown) => (err instanceof UpstreamError ? err.providerCode : undefined);
  try {
    await api.accessToken({ force: true });
    out.push({
      ok: true,
      line: tr.t("doctor-wecom-token-ok", { corp: settings.corpId, agent: String(settings.agentId) }),
    });
  } catch (err) {
    out.push({ ok: false, line: wecomRefusedLine(tr, codeOf(err)) });
  }
  if (settings.robotKey) {
    try {
      // An unknown msgtype sends nothing: 40008 proves the key is valid, 93000 that it is not.
      await api.robotSend(settings.robotKey, { msgtype: "stockradar_doctor" });
      out.push({ ok: true, line: tr.t("doctor-wecom-robot-ok") });
    } catch (err) {
      const code = codeOf(err);
      if (code === "40008") out.push({ ok: true, line: tr.t("doctor-wecom-robot-ok") });
      else if (code === "93000") out.push({ ok: false, line: tr.t("doctor-wecom-robot-refused") });
      else out.push({ ok: false, line: tr.t("doctor-wecom-robot-failed", { errcode: code ?? "none" }) });
    }
  }
  return out;
}

/** Who gets the interactive card of a group push with buttons: `chat.wecom.cardTo`, else every wecom: user who may act (operator and up). */
export function wecomCardRecipients(config: Config): string[] {
  if (config.chat.wecom?.cardTo) return config.chat.wecom.cardTo;
  const keys = [...config.access.admins, ...config.access.approvers, ...config.access.operators];
  return [...new Set(keys.filter((k) => k.startsWith("wecom:")).map((k) => k.slice("wecom:".length)))];
}
