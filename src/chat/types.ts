import type { Translator } from "../i18n/translator.js";

/** A chat message normalised by a transport; platform objects (grammY ctx, WeCom XML) never leave it. */
export interface InboundMessage {
  /** "telegram" | "wecom" | "console" | "cli" … */
  transport: string;
  /** Where the reply goes, in the transport's own id space (Telegram chat id, WeCom user id, "console"). */
  chatId: string;
  /** The actor key used for access control, e.g. "tg:123", "wecom:zhangsan", "console:local". */
  userId: string;
  text: string;
  /** Platform message id when there is one; makes redelivered messages idempotent. */
  messageId?: string;
  /**
   * Set by a transport for traffic it does not serve: "chat" (a group that is not configured), "user" (a private
   * chat of someone not on the access list). Only /whoami and /start are answered; the rest is noted, not replied to
   * (the reply text is empty).
   */
  unserved?: "chat" | "user";
}

/** A button under a reply; `action` is a command line (e.g. "/ack 12") run as whoever presses it. */
export interface Button {
  label: string;
  action: string;
}

/** A PNG (or other image) attached to a reply. */
export interface ReplyImage {
  png: Buffer;
  filename: string;
  caption?: string;
}

/** What a command or alert produces; each transport renders it (escaping, length limits, buttons). */
export interface Reply {
  text: string;
  buttons?: Button[];
  image?: ReplyImage;
  /** Send to the asker only, not the group (e.g. a confirmation token). */
  privately?: boolean;
  /** People to page (user keys such as "tg:111", "wecom:zhangsan"); each transport mentions the ones it can reach. */
  mentions?: string[];
  /** The same reply in another language: broadcasts call it with each chat's translator (`text` etc. are the English). */
  localize?: (tr: Translator) => Reply | Promise<Reply>;
}

/** How a dispatched command ended; drives the CLI exit code and the audit row. */
export type Outcome = "ok" | "refused" | "usage" | "failed";

/** A chat transport: receives messages into the dispatcher and pushes replies and alerts out. */
export interface Transport {
  readonly name: string;
  /** Starts receiving; every inbound message goes to `onMessage`, every button press to `onButton`. */
  start(handlers: TransportHandlers): Promise<void>;
  /** Posts to the configured ops group (alerts, summaries). Returns the platform message id when known. */
  broadcast(reply: Reply): Promise<string | undefined>;
  /** Stops receiving; resolves when in-flight handlers finished. */
  stop(): Promise<void>;
  /** Whether the platform is reachable (a transport that can be down reports it; /healthz shows it). */
  status?(): ChatStatus;
}

/** A chat transport's connection state: `down` while its API is unreachable or refused the credential. */
export interface ChatStatus {
  transport: string;
  state: "starting" | "up" | "down";
  /** Why it is down: an upstream kind ("timeout", "network") or "token refused". */
  reason?: string;
}

/** A button press's reply and how it ended; WeCom locks a card only after an `ok` press (a refused one leaves it for others). */
export type PressResult = Reply & { outcome?: Outcome };

/** Callbacks a transport calls for inbound traffic. */
export interface TransportHandlers {
  onMessage(msg: InboundMessage): Promise<Reply>;
  /** A button press; `actionId` is the opaque id the transport put on the button. */
  onButton(press: {
    transport: string;
    chatId: string;
    userId: string;
    actionId: string;
    messageId?: string;
  }): Promise<PressResult>;
}
