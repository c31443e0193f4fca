import { autoRetry } from "@grammyjs/auto-retry";
import { type RunnerHandle, run } from "@grammyjs/runner";
import { type Bot, type Context, GrammyError, HttpError, InlineKeyboard, InputFile } from "grammy";
import { type Clock, realSleep, type Sleep, systemClock } from "../../clock.js";
import { ConfigError } from "../../errors.js";
import type { Locale } from "../../i18n/locales.js";
import type { Logger } from "../../log.js";
import { UpstreamError } from "../../upstream/errors.js";
import { telegramError } from "../../upstream/telegram.js";
import { escapeHtml, rows, splitText, TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT } from "../render.js";
import type { ChatStatus, Reply, Transport, TransportHandlers } from "../types.js";
import { reconnectWithBackoff } from "./reconnect.js";

/** Settings the Telegram transport needs (config `chat.telegram`). */
export interface TelegramSettings {
  chatId: number;
  mode: "polling" | "webhook";
  maxRetryAttempts: number;
  maxRetryDelaySeconds: number;
}

/** What the transport needs besides the bot: button id storage, the menu, and user lookup. */
export interface TelegramTransportDeps {
  log: Logger;
  /** Stores a button action and returns its short id (callback_data must fit 64 bytes). */
  storeButton(action: string): string;
  /** Commands for the menu (setMyCommands) with their summaries in `locale`; Telegram names stay Latin. */
  menu(locale: Locale): { name: string; summary: string }[];
  /** The menu's default language (the group's); a Chinese menu is also registered for language_code "zh". */
  menuLocale?: Locale;
  /** True when the user key (tg:ID) is on the access list; unknown users in private chats are ignored. */
  isKnownUser(userId: string): boolean;
  /** The one line `run` exits with when Telegram refuses the token (the doctor's line). */
  refusedLine: string;
  /** Seams for the start-up retry: the clock that spaces the "still unreachable" log, the sleep between attempts. */
  clock?: Clock;
  sleep?: Sleep;
}

/** grammY types its signals with the abort-controller shim; Node's own AbortSignal is what it gets at run time. */
type GrammySignal = Parameters<Bot["api"]["getMe"]>[0];

/** How long start-up waits for the first getMe before it carries on without chat (ms). */
export const TELEGRAM_FIRST_CONTACT_MS = 10_000;

/**
 * Telegram via grammY. Serves only the configured group and private chats of known users; long polling
 * with @grammyjs/runner by default, or webhook (the HTTP server calls `webhookHandler`). Replies are HTML,
 * escaped, split under 4096 characters; buttons carry short ids, never the action itself.
 */
export function createTelegramTransport(
  bot: Bot,
  settings: TelegramSettings,
  deps: TelegramTransportDeps,
): Transport & { bot: Bot } {
  const { log } = deps;
  let runner: RunnerHandle | undefined;
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: settings.maxRetryAttempts,
      maxDelaySeconds: settings.maxRetryDelaySeconds,
      rethrowHttpErrors: false,
    }),
  );

  const keyboard = (reply: Reply): InlineKeyboard | undefined => {
    if (!reply.buttons?.length) return undefined;
    const kb = new InlineKeyboard();
    try {
      for (const row of rows(reply.buttons, 3)) {
        for (const b of row) kb.text(b.label.slice(0, 64), `a:${deps.storeButton(b.action)}`);
        kb.row();
      }
    } catch (err) {
      // The button ids could not be stored (e.g. the ledger's disk is full): the reply still goes out, without buttons.
      log.warn({ err: (err as Error).message }, "reply buttons not stored; sending the text without them");
      return undefined;
    }
    return kb;
  };

  /** Sends a reply; Bot API and network failures come back as UpstreamError (src/upstream/telegram.ts). */
  const send = (chatId: number | string, reply: Reply, replyTo?: number): Promise<string | undefined> =>
    sendReply(chatId, reply, replyTo).catch((err: unknown) => {
      throw telegramError(err);
    });

  async function sendReply(chatId: number | string, reply: Reply, replyTo?: number): Promise<string | undefined> {
    const kb = keyboard(reply);
    // Text mentions by id notify the person even without a public @username.
    const pings = (reply.mentions ?? [])
      .filter((m) => /^tg:\d+$/.test(m))
      .map((m) => `<a href="tg://user?id=${m.slice(3)}">@${m.slice(3)}</a>`);
    const html = escapeHtml(reply.text) + (pings.length ? `\n${pings.join(" ")}` : "");
    let lastId: number | undefined;
    if (reply.image) {
      const caption = html.length <= TELEGRAM_CAPTION_LIMIT ? html : undefined;
      try {
        const m = await bot.api.sendPhoto(chatId, new InputFile(reply.image.png, reply.image.filename), {
          ...(caption ? { caption, parse_mode: "HTML" as const } : {}),
          ...(kb && caption ? { reply_markup: kb } : {}),
          ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
        });
        lastId = m.message_id;
        if (caption) return String(lastId);
      } catch (err) {
        // An API without sendPhoto (or a refused image) still gets the text: the image is a garnish, not the message.
        const e = telegramError(err);
        log.warn(
          e instanceof UpstreamError ? { kind: e.kind, code: e.providerCode } : { err: (e as Error).message },
          "sendPhoto failed; sending the text only",
        );
      }
    }
    const chunks = splitText(html, TELEGRAM_TEXT_LIMIT);
    for (const [i, chunk] of chunks.entries()) {
      const isLast = i === chunks.length - 1;
      const m = await bot.api.sendMessage(chatId, chunk, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(isLast && kb ? { reply_markup: kb } : {}),
        ...(i === 0 && replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      });
      lastId = m.message_id;
    }
    return lastId === undefined ? undefined : String(lastId);
  }

  const isServedChat = (ctx: Context): boolean => {
    const chat = ctx.chat;
    if (!chat) return false;
    if (chat.id === settings.chatId) return true;
    return chat.type === "private" && deps.isKnownUser(`tg:${ctx.from?.id}`);
  };

  let handlers: TransportHandlers | undefined;

  bot.use(async (ctx, next) => {
    if (!isServedChat(ctx)) {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      const text = ctx.message?.text;
      // Commands from a chat we do not serve are noted (doctor lists them); only /whoami and /start get an answer.
      if (
        !handlers ||
        !ctx.chat ||
        !ctx.from ||
        ctx.from.is_bot ||
        ctx.message?.sender_chat ||
        !text?.startsWith("/")
      ) {
        log.debug({ chatId: ctx.chat?.id, from: ctx.from?.id }, "ignored update from a chat we do not serve");
        return;
      }
      const reply = await handlers.onMessage({
        transport: "telegram",
        chatId: String(ctx.chat.id),
        userId: `tg:${ctx.from.id}`,
        text,
        messageId: String(ctx.message?.message_id),
        unserved: ctx.chat.type === "private" ? "user" : "chat",
      });
      if (reply.text) await send(ctx.chat.id, reply, ctx.message?.message_id);
      return;
    }
    // Messages "sent as the group" by anonymous admins carry a fake sender: not attributable, not served.
    if (ctx.message?.sender_chat || ctx.from?.is_bot) return;
    await next();
  });

  bot.on("message:text", async (ctx) => {
    if (!handlers) return;
    const text = ctx.message.text;
    if (!text.startsWith("/")) return;
    const reply = await handlers.onMessage({
      transport: "telegram",
      chatId: String(ctx.chat.id),
      userId: `tg:${ctx.from.id}`,
      text,
      messageId: String(ctx.message.message_id),
    });
    await send(ctx.chat.id, reply, ctx.message.message_id);
  });

  bot.on("callback_query:data", async (ctx) => {
    if (!handlers) return;
    const data = ctx.callbackQuery.data;
    const m = /^a:([A-Za-z0-9]{1,32})$/.exec(data);
    const reply = await handlers.onButton({
      transport: "telegram",
      chatId: String(ctx.chat?.id ?? ctx.from.id),
      userId: `tg:${ctx.from.id}`,
      actionId: m?.[1] ? m[1] : `invalid:${data.slice(0, 40)}`,
      messageId: ctx.callbackQuery.id,
    });
    await ctx
      .answerCallbackQuery({ text: reply.text.slice(0, 200) })
      .catch((err) => log.debug({ err }, "answerCallbackQuery failed"));
    await send(ctx.chat?.id ?? ctx.from.id, reply);
  });

  bot.catch((err) => {
    const e = err.error;
    if (e instanceof UpstreamError)
      log.error({ kind: e.kind, code: e.providerCode, ...e.details }, "telegram API error");
    else if (e instanceof GrammyError)
      log.error({ method: e.method, code: e.error_code, description: e.description }, "telegram API error");
    else if (e instanceof HttpError) log.error({ err: e.error }, "telegram network error");
    else log.error({ err: e }, "telegram handler failed");
  });

  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const stopping = new AbortController();
  let status: ChatStatus = { transport: "telegram", state: "starting" };
  let reconnecting: Promise<void> | undefined;

  /** One getMe, given up after TELEGRAM_FIRST_CONTACT_MS: ok, refused (the token), or unreachable with a reason. */
  async function contact(): Promise<{ ok: true } | { ok: false; isRefused: boolean; reason: string }> {
    const request = new AbortController();
    const timer = new AbortController();
    const onStop = () => request.abort();
    stopping.signal.addEventListener("abort", onStop, { once: true });
    sleep(TELEGRAM_FIRST_CONTACT_MS, timer.signal).then(
      () => request.abort(),
      () => undefined,
    );
    try {
      bot.botInfo = await bot.api.getMe(request.signal as unknown as GrammySignal);
      return { ok: true };
    } catch (err) {
      // 401 is a wrong token; 404 a token Telegram cannot even route (a malformed one).
      const isRefused = err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404);
      const e = telegramError(err);
      return { ok: false, isRefused, reason: e instanceof UpstreamError ? e.kind : "error" };
    } finally {
      timer.abort();
      stopping.signal.removeEventListener("abort", onStop);
    }
  }

  /** Connected: the menu (in the background) and, for polling, the runner. */
  function goLive(): void {
    status = { transport: "telegram", state: "up" };
    const menu = (locale: Locale) =>
      deps
        .menu(locale)
        .map((c) => ({ command: c.name.replace(/-/g, "_"), description: c.summary.slice(0, 256) }))
        .slice(0, 100);
    const menus: [Locale, { language_code?: "en" | "zh" }][] = [
      [deps.menuLocale ?? "en", {}],
      ["en", { language_code: "en" }],
      ["zh-CN", { language_code: "zh" }],
    ];
    void (async () => {
      for (const [locale, other] of menus) {
        if (stopping.signal.aborted) return;
        await bot.api
          .setMyCommands(menu(locale), other, stopping.signal as unknown as GrammySignal)
          .catch((err) => log.warn({ err: (err as Error).message }, "setMyCommands failed; the menu stays as it was"));
      }
    })();
    if (settings.mode === "polling") {
      runner = run(bot, {
        runner: {
          fetch: { allowed_updates: ["message", "callback_query"] },
          maxRetryTime: 24 * 3600_000,
          retryInterval: "exponential",
          silent: true,
        },
      });
    }
  }

  /** Telegram was unreachable at start-up: retry with backoff, say so in the log at most once a minute. */
  const reconnect = (firstReason: string): Promise<void> =>
    reconnectWithBackoff({
      name: "telegram",
      firstReason,
      contact,
      clock,
      sleep,
      log,
      signal: stopping.signal,
      onUp: goLive,
      onDown: (r) => {
        status = { transport: "telegram", state: "down", reason: r.reason };
      },
      onRefused: () => {
        status = { transport: "telegram", state: "down", reason: "token refused" };
        log.error(deps.refusedLine);
      },
    });

  return {
    name: "telegram",
    bot,
    async start(h: TransportHandlers) {
      handlers = h;
      const first = await contact();
      if (first.ok) return goLive();
      if (first.isRefused) {
        status = { transport: "telegram", state: "down", reason: "token refused" };
        throw new ConfigError("telegram_token_refused", deps.refusedLine);
      }
      status = { transport: "telegram", state: "down", reason: first.reason };
      reconnecting = reconnect(first.reason);
    },
    status: () => status,
    async broadcast(reply: Reply) {
      if (status.state !== "up")
        throw new UpstreamError({
          provider: "telegram",
          kind: "network",
          message: "Telegram could not be reached.",
          details: { state: status.state },
        });
      return send(settings.chatId, reply);
    },
    async stop() {
      stopping.abort();
      await reconnecting;
      if (runner?.isRunning()) await runner.stop();
    },
  };
}
