import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type CallbackCrypto, createCallbackCrypto } from "../chat/wecom/crypto-callback.js";
import { cdata } from "../chat/wecom/wire.js";
import { type Clock, systemClock } from "../clock.js";

/** A request the simulator accepted or refused, as it arrived (query secrets included: it is a test fake). */
export interface SimRequest {
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  errcode: number;
}

/** Settings for {@link startWecomSimulator}. */
export interface WecomSimOptions {
  corpId: string;
  corpSecret: string;
  agentId: number;
  /** Callback token and AES key of the self-built app. */
  token: string;
  encodingAesKey: string;
  /** Robot keys the webhook accepts (anything else gets 93000). */
  robotKeys: string[];
  /** Robot sends per minute per key before 45009 (WeCom: 20; failed sends count too). */
  robotPerMinute?: number;
  /** AI bot callback token and AES key (receive id ""). */
  aiBot?: { token: string; encodingAesKey: string };
  clock?: Clock;
  tokenTtlSeconds?: number;
  /** gettoken answers 60020, as WeCom does when the caller's IP is not on the app's 企业可信IP list. */
  untrustedIp?: boolean;
}

/** A running WeCom simulator: the server API plus a callback sender that encrypts like WeCom. */
export interface WecomSimulator {
  url: string;
  /** Every API request, in arrival order. */
  requests: SimRequest[];
  /** Robot messages WeCom accepted (errcode 0), per key. */
  robotDelivered(key: string): Record<string, unknown>[];
  /** `message/send` bodies accepted. */
  appMessages(): Record<string, unknown>[];
  /** `update_template_card` bodies accepted. */
  cardUpdates(): Record<string, unknown>[];
  /** Bodies posted to AI-bot `response_url`s. */
  aiBotResponses(): Record<string, unknown>[];
  /** Number of gettoken calls answered. */
  tokensIssued(): number;
  /** Revokes every issued access_token (the next API call answers 40014). */
  revokeTokens(): void;
  /** Makes the next `n` robot sends answer 45009 whatever the window says (someone else shares the key). */
  throttleRobotNext(n: number): void;
  /** Signs and encrypts `xml` for the app, POSTs it to `target` like WeCom; returns status and body. */
  postAppCallback(
    target: string,
    xml: string,
    opts?: { timestamp?: string; tamper?: "signature" | "corp"; nonce?: string },
  ): Promise<{ status: number; body: string }>;
  /** The GET URL check WeCom does when the callback URL is saved. */
  verifyAppUrl(target: string, echo?: string): Promise<{ status: number; body: string }>;
  /** Encrypts a JSON message for the AI bot and POSTs `{"encrypt"}`; returns status and the (decrypted, when present) reply. */
  postAiBotCallback(
    target: string,
    message: Record<string, unknown>,
    opts?: { timestamp?: string },
  ): Promise<{ status: number; reply: Record<string, unknown> | undefined; raw: string }>;
  /** A fresh single-use `ResponseCode`, as WeCom puts one in every card-click callback. */
  newClickResponseCode(): string;
  /** A `response_url` for one AI-bot message (single use). */
  newResponseUrl(): string;
  /** The crypto the simulator encrypts app callbacks with. */
  appCrypto: CallbackCrypto;
  close(): Promise<void>;
}

/** The decrypted XML of a text message a user sends to the app. */
export function appTextXml(m: {
  corpId: string;
  from: string;
  content: string;
  msgId: string;
  agentId: number;
  createTime: number;
}): string {
  return `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName><CreateTime>${m.createTime}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata(m.content)}</Content><MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID></xml>`;
}

/** The decrypted XML of a `template_card_event` (a button press on an app card, doc 90240). */
export function appCardEventXml(m: {
  corpId: string;
  from: string;
  taskId: string;
  eventKey: string;
  responseCode: string;
  agentId: number;
  createTime: number;
}): string {
  return `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName><CreateTime>${m.createTime}</CreateTime><MsgType>${cdata("event")}</MsgType><Event>${cdata("template_card_event")}</Event><EventKey>${cdata(m.eventKey)}</EventKey><TaskId>${cdata(m.taskId)}</TaskId><CardType>${cdata("button_interaction")}</CardType><ResponseCode>${cdata(m.responseCode)}</ResponseCode><AgentID>${m.agentId}</AgentID></xml>`;
}

const byteLength = (s: unknown) => Buffer.byteLength(typeof s === "string" ? s : "", "utf8");

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts a local WeCom: `gettoken`, `message/send`, `message/update_template_card`, `webhook/send` (with the
 * 20/min/key limit and 45009), and AI-bot `response_url`s. It speaks WeCom's wire format: HTTP 200 with
 * `errcode` in the body for every outcome.
 */
export async function startWecomSimulator(opts: WecomSimOptions): Promise<WecomSimulator> {
  const clock = opts.clock ?? systemClock;
  const perMinute = opts.robotPerMinute ?? 20;
  const tokens = new Map<string, number>();
  const responseCodes = new Set<string>();
  const aiResponseCodes = new Set<string>();
  const robotWindow = new Map<string, number[]>();
  const requests: SimRequest[] = [];
  let issued = 0;
  let forcedThrottle = 0;
  const appCrypto = createCallbackCrypto({
    token: opts.token,
    encodingAesKey: opts.encodingAesKey,
    receiveId: opts.corpId,
    clock,
    windowSeconds: 1e9,
  });
  const aiCrypto = opts.aiBot
    ? createCallbackCrypto({ ...opts.aiBot, receiveId: "", clock, windowSeconds: 1e9 })
    : undefined;

  const tokenOk = (q: Record<string, string>): number => {
    const t = q.access_token;
    if (!t) return 41001;
    const exp = tokens.get(t);
    if (exp === undefined) return 40014;
    return exp > clock.now().getTime() ? 0 : 42001;
  };

  const robotCheck = (key: string, body: Record<string, unknown>): number => {
    if (!opts.robotKeys.includes(key)) return 93000;
    const now = clock.now().getTime();
    const window = (robotWindow.get(key) ?? []).filter((t) => t > now - 60_000);
    window.push(now);
    robotWindow.set(key, window);
    if (forcedThrottle > 0) {
      forcedThrottle -= 1;
      return 45009;
    }
    if (window.length > perMinute) return 45009;
    const type = body.msgtype;
    const part = (body[String(type)] ?? {}) as Record<string, unknown>;
    if (type === "text") return byteLength(part.content) === 0 ? 44004 : byteLength(part.content) > 2048 ? 45002 : 0;
    if (type === "markdown")
      return byteLength(part.content) === 0 ? 44004 : byteLength(part.content) > 4096 ? 45002 : 0;
    if (type === "image") {
      const raw = Buffer.from(String(part.base64 ?? ""), "base64");
      if (raw.length === 0 || raw.length > 2 * 1024 * 1024) return 40009;
      return createHash("md5").update(raw).digest("hex") === part.md5 ? 0 : 40009;
    }
    return 40008;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? "/", "http://sim");
    const query = Object.fromEntries(u.searchParams);
    const text = req.method === "POST" ? await readBody(req) : "";
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    let reply: Record<string, unknown> = {};
    let errcode = 0;
    switch (u.pathname) {
      case "/cgi-bin/gettoken": {
        if (query.corpid !== opts.corpId) errcode = 40013;
        else if (opts.untrustedIp) errcode = 60020;
        else if (query.corpsecret !== opts.corpSecret) errcode = 40001;
        else {
          const token = randomBytes(24).toString("hex");
          const ttl = opts.tokenTtlSeconds ?? 7200;
          tokens.set(token, clock.now().getTime() + ttl * 1000);
          issued += 1;
          reply = { access_token: token, expires_in: ttl };
        }
        break;
      }
      case "/cgi-bin/message/send": {
        errcode = tokenOk(query);
        if (errcode === 0 && body.agentid !== opts.agentId) errcode = 40056;
        if (errcode === 0 && body.msgtype === "template_card") {
          const card = body.template_card as { task_id?: string; card_type?: string } | undefined;
          if (!card?.task_id || !/^[0-9A-Za-z_\-@]{1,128}$/.test(card.task_id)) errcode = 40058;
        }
        if (
          errcode === 0 &&
          body.msgtype === "text" &&
          byteLength((body.text as { content?: string } | undefined)?.content) > 2048
        )
          errcode = 45002;
        if (errcode === 0) {
          const code = randomBytes(12).toString("hex");
          if (body.msgtype === "template_card") responseCodes.add(code);
          reply = {
            invaliduser: "",
            msgid: randomBytes(8).toString("hex"),
            ...(body.msgtype === "template_card" ? { response_code: code } : {}),
          };
        }
        break;
      }
      case "/cgi-bin/message/update_template_card": {
        errcode = tokenOk(query);
        const code = String(body.response_code ?? "");
        if (errcode === 0 && !responseCodes.delete(code)) errcode = 40078;
        break;
      }
      case "/cgi-bin/webhook/send":
        errcode = robotCheck(query.key ?? "", body);
        break;
      case "/cgi-bin/aibot/response": {
        if (!aiResponseCodes.delete(query.response_code ?? "")) errcode = 40078;
        break;
      }
      default:
        errcode = 404;
    }
    requests.push({ path: u.pathname, query, body, errcode });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ errcode, errmsg: errcode === 0 ? "ok" : `sim error ${errcode}`, ...reply }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accepted = (path: string) => requests.filter((r) => r.path === path && r.errcode === 0).map((r) => r.body);

  const nowTs = () => String(Math.floor(clock.now().getTime() / 1000));
  const nonce = () => String(randomBytes(4).readUInt32BE(0));

  return {
    url,
    requests,
    appCrypto,
    robotDelivered: (key) =>
      requests
        .filter((r) => r.path === "/cgi-bin/webhook/send" && r.errcode === 0 && r.query.key === key)
        .map((r) => r.body),
    appMessages: () => accepted("/cgi-bin/message/send"),
    cardUpdates: () => accepted("/cgi-bin/message/update_template_card"),
    aiBotResponses: () => accepted("/cgi-bin/aibot/response"),
    tokensIssued: () => issued,
    revokeTokens: () => tokens.clear(),
    throttleRobotNext: (n) => {
      forcedThrottle += n;
    },
    async postAppCallback(target, xml, o = {}) {
      const sealed = appCrypto.seal(xml, { timestamp: o.timestamp ?? nowTs(), nonce: o.nonce ?? nonce() });
      let encrypted = sealed.encrypt;
      let signature = sealed.msgSignature;
      if (o.tamper === "signature") signature = signature.replace(/^./, (c) => (c === "0" ? "1" : "0"));
      if (o.tamper === "corp") {
        // Encrypted for another corp but correctly signed: only the receive-id check can catch it.
        const other = createCallbackCrypto({
          token: opts.token,
          encodingAesKey: opts.encodingAesKey,
          receiveId: "wwsomeoneelse00000",
          clock,
          windowSeconds: 1e9,
        });
        const s = other.seal(xml, { timestamp: sealed.timestamp, nonce: sealed.nonce });
        encrypted = s.encrypt;
        signature = s.msgSignature;
      }
      const q = new URLSearchParams({ msg_signature: signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
      const envelope = `<xml><ToUserName>${cdata(opts.corpId)}</ToUserName>\n<Encrypt>${cdata(encrypted)}</Encrypt>\n<AgentID>${cdata(String(opts.agentId))}</AgentID>\n</xml>`;
      const res = await fetch(`${target}?${q}`, {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: envelope,
      });
      return { status: res.status, body: await res.text() };
    },
    async verifyAppUrl(target, echo = "1288432023552776189") {
      const sealed = appCrypto.seal(echo, { timestamp: nowTs(), nonce: nonce() });
      const q = new URLSearchParams({
        msg_signature: sealed.msgSignature,
        timestamp: sealed.timestamp,
        nonce: sealed.nonce,
        echostr: sealed.encrypt,
      });
      const res = await fetch(`${target}?${q}`);
      return { status: res.status, body: await res.text() };
    },
    async postAiBotCallback(target, message, o = {}) {
      if (!aiCrypto) throw new Error("simulator started without aiBot settings");
      const sealed = aiCrypto.seal(JSON.stringify(message), { timestamp: o.timestamp ?? nowTs(), nonce: nonce() });
      const q = new URLSearchParams({
        msg_signature: sealed.msgSignature,
        timestamp: sealed.timestamp,
        nonce: sealed.nonce,
      });
      const res = await fetch(`${target}?${q}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ encrypt: sealed.encrypt }),
      });
      const raw = await res.text();
      let reply: Record<string, unknown> | undefined;
      if (raw) {
        const env = JSON.parse(raw) as { encrypt: string; msgsignature: string; timestamp: string; nonce: string };
        const plain = aiCrypto.open(
          { msgSignature: env.msgsignature, timestamp: String(env.timestamp), nonce: env.nonce },
          env.encrypt,
        );
        reply = JSON.parse(plain) as Record<string, unknown>;
      }
      return { status: res.status, reply, raw };
    },
    newClickResponseCode() {
      const code = randomBytes(12).toString("hex");
      responseCodes.add(code);
      return code;
    },
    newResponseUrl() {
      const code = randomBytes(16).toString("hex");
      aiResponseCodes.add(code);
      return `${url}/cgi-bin/aibot/response?response_code=${code}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
