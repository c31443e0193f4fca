import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { must } from "../internal-error.js";

/** One Bot API call the fake received. */
export interface TelegramCall {
  method: string;
  token: string;
  payload: Record<string, unknown>;
}

/** A Telegram update as the Bot API delivers it (the subset stockradar reads). */
export type TelegramUpdate = Record<string, unknown> & { update_id?: number };

const BOT_USER = {
  id: 777000111,
  is_bot: true,
  first_name: "stockradar",
  username: "stockradar_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/**
 * A local Bot API server speaking the real envelope (`{ok, result}` / `{ok:false, error_code, description,
 * parameters}`) on /bot<token>/<method>: getMe, getUpdates (long polling with offset and timeout),
 * sendMessage, sendPhoto (multipart accepted), answerCallbackQuery, setMyCommands, edit*, deleteWebhook.
 * Tests queue updates and read the calls it received; `failNext` injects errors such as 429 retry_after.
 */
export async function startFakeTelegram(opts: { token?: string } = {}) {
  const token = opts.token ?? "123456:TEST-token-for-the-fake";
  const calls: TelegramCall[] = [];
  const queue: TelegramUpdate[] = [];
  const waiters: (() => void)[] = [];
  const failures: { method: string; status: number; body: Record<string, unknown> }[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 1000;

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const type = String(req.headers["content-type"] ?? "");
    if (type.includes("application/json"))
      return raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    if (type.includes("multipart/form-data")) {
      // Enough of multipart for the tests: text fields by name, files noted by their filename.
      const boundary = /boundary=(.+)$/.exec(type)?.[1];
      const out: Record<string, unknown> = {};
      if (boundary) {
        for (const part of raw.toString("latin1").split(`--${boundary}`)) {
          const name = /name="([^"]+)"/.exec(part)?.[1];
          const filename = /filename="([^"]+)"/.exec(part)?.[1];
          if (!name) continue;
          const value = part.split("\r\n\r\n").slice(1).join("\r\n\r\n").replace(/\r\n$/, "");
          out[name] = filename ? { filename, bytes: value.length } : Buffer.from(value, "latin1").toString("utf8");
        }
      }
      return out;
    }
    return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url?.split("?")[0] ?? "");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (!m) return send(404, { ok: false, error_code: 404, description: "Not Found" });
      const [, tok, method] = m as unknown as [string, string, string];
      if (tok !== token) return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
      let payload: Record<string, unknown>;
      try {
        payload = await readBody(req);
      } catch {
        return send(400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
      }
      if (method !== "getUpdates") calls.push({ method, token: tok, payload });
      const fail = failures.findIndex((f) => f.method === method);
      if (fail >= 0) {
        const f = must(failures.splice(fail, 1)[0], "fail is a found index");
        return send(f.status, f.body);
      }
      const chat = {
        id: Number(payload.chat_id ?? 0),
        type: Number(payload.chat_id) < 0 ? "supergroup" : "private",
        title: "ops",
      };
      switch (method) {
        case "getMe":
          return send(200, { ok: true, result: BOT_USER });
        case "getUpdates": {
          const offset = Number(payload.offset ?? 0);
          while (queue.length && (queue[0]?.update_id ?? 0) < offset) queue.shift();
          if (!queue.length && Number(payload.timeout ?? 0) > 0) {
            await new Promise<void>((r) => {
              const t = setTimeout(r, Math.min(Number(payload.timeout) * 1000, 2000));
              waiters.push(() => {
                clearTimeout(t);
                r();
              });
            });
          }
          return send(200, {
            ok: true,
            result: queue.filter((u) => (u.update_id ?? 0) >= offset).slice(0, Number(payload.limit ?? 100)),
          });
        }
        case "sendMessage":
        case "sendPhoto":
          return send(200, {
            ok: true,
            result: {
              message_id: nextMessageId++,
              date: Math.floor(Date.now() / 1000),
              chat,
              text: payload.text,
              caption: payload.caption,
            },
          });
        case "editMessageText":
        case "editMessageReplyMarkup":
          return send(200, {
            ok: true,
            result: { message_id: Number(payload.message_id), date: Math.floor(Date.now() / 1000), chat },
          });
        case "answerCallbackQuery":
        case "setMyCommands":
        case "deleteWebhook":
        case "setWebhook":
          return send(200, { ok: true, result: true });
        default:
          return send(400, {
            ok: false,
            error_code: 400,
            description: `Bad Request: method ${method} not supported by the fake`,
          });
      }
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    bot: BOT_USER,
    calls,
    /** Queues an update for getUpdates; returns its update_id. */
    push(update: TelegramUpdate): number {
      const id = nextUpdateId++;
      queue.push({ ...update, update_id: id });
      for (const w of waiters.splice(0)) w();
      return id;
    },
    /** A text message from `userId` in `chatId`, with the bot_command entity Telegram adds. */
    message(chatId: number, userId: number, text: string): number {
      const cmdLen = /^\/\S+/.exec(text)?.[0].length ?? 0;
      return this.push({
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: chatId < 0 ? "supergroup" : "private", title: "ops" },
          from: { id: userId, is_bot: false, first_name: `user${userId}` },
          text,
          ...(cmdLen ? { entities: [{ type: "bot_command", offset: 0, length: cmdLen }] } : {}),
        },
      });
    },
    /** A button press (callback query) with `data` on message `messageId`. */
    press(chatId: number, userId: number, data: string, messageId = 1): number {
      return this.push({
        callback_query: {
          id: `cbq${nextUpdateId}`,
          from: { id: userId, is_bot: false, first_name: `user${userId}` },
          chat_instance: "ci",
          data,
          message: {
            message_id: messageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chatId, type: "supergroup", title: "ops" },
            text: "x",
          },
        },
      });
    },
    /** Makes the next call of `method` fail with this envelope (e.g. 429 with parameters.retry_after). */
    failNext(method: string, status: number, description: string, parameters?: Record<string, unknown>): void {
      failures.push({
        method,
        status,
        body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
      });
    },
    /** Resolves when a call of `method` satisfying `pred` has arrived (polls; bounded). */
    async waitFor(
      method: string,
      pred: (c: TelegramCall) => boolean = () => true,
      timeoutMs = 10_000,
    ): Promise<TelegramCall> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = calls.find((c) => c.method === method && pred(c));
        if (hit) return hit;
        if (Date.now() > end)
          throw new Error(
            `fake telegram: no ${method} call within ${timeoutMs} ms; got ${calls.map((c) => c.method).join(", ")}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((r) => {
        for (const w of waiters.splice(0)) w();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
