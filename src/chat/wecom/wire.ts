import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import { localized } from "../../i18n/errors.js";
import { textRef } from "../../i18n/ref.js";
import { WecomCallbackError } from "./crypto-callback.js";

const parser = new XMLParser({
  ignoreAttributes: true,
  // WeCom ids (MsgId, AgentID, ResponseCode) must stay strings: MsgId exceeds 2^53.
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === "SelectedItem" || name === "OptionId",
});

/** Parses a WeCom `<xml>…</xml>` document and returns the children of its root; throws WecomCallbackError on anything else. */
export function parseWecomXml(xml: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw localized(WecomCallbackError, "malformed_callback", textRef("wecom-cb-not-xml"));
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml;
  if (!root || typeof root !== "object")
    throw localized(WecomCallbackError, "malformed_callback", textRef("wecom-cb-no-root"));
  return root as Record<string, unknown>;
}

/** The outer envelope of an app callback POST: `<xml><ToUserName/><AgentID/><Encrypt/></xml>`. */
export const AppEnvelopeSchema = z.object({
  ToUserName: z.string().optional(),
  AgentID: z.string().optional(),
  Encrypt: z.string().min(1),
});

/** A decrypted app callback (doc 90238 messages, 90240 events); only the fields we act on are typed. */
export const AppMessageSchema = z.looseObject({
  ToUserName: z.string(),
  FromUserName: z.string().min(1),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.string(),
  Content: z.string().optional(),
  MsgId: z.string().optional(),
  AgentID: z.string().optional(),
  Event: z.string().optional(),
  EventKey: z.string().optional(),
  TaskId: z.string().optional(),
  CardType: z.string().optional(),
  ResponseCode: z.string().optional(),
});
/** A decrypted app callback. */
export type AppMessage = z.infer<typeof AppMessageSchema>;

/** The outer body of an AI-bot callback POST: `{"encrypt": "…"}`. */
export const AiBotEnvelopeSchema = z.object({ encrypt: z.string().min(1) });

/** A decrypted AI-bot callback (doc 100719 messages, 101027 events). */
export const AiBotMessageSchema = z.looseObject({
  msgid: z.string().min(1),
  aibotid: z.string().optional(),
  chatid: z.string().optional(),
  chattype: z.enum(["single", "group"]).optional(),
  from: z.object({ userid: z.string().min(1) }),
  response_url: z.string().optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  create_time: z.number().optional(),
  event: z
    .looseObject({
      eventtype: z.string(),
      template_card_event: z
        .looseObject({ card_type: z.string().optional(), event_key: z.string(), task_id: z.string() })
        .optional(),
    })
    .optional(),
});
/** A decrypted AI-bot callback. */
export type AiBotMessage = z.infer<typeof AiBotMessageSchema>;

/** Every WeCom API answer carries `errcode` / `errmsg` (HTTP 200 even on failure). */
export const ApiEnvelopeSchema = z.looseObject({
  errcode: z.number().int().default(0),
  errmsg: z.string().default(""),
});

/** `gettoken` answer. */
export const TokenResponseSchema = ApiEnvelopeSchema.extend({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/** `message/send` answer. */
export const SendResponseSchema = ApiEnvelopeSchema.extend({
  invaliduser: z.string().optional(),
  msgid: z.string().optional(),
  response_code: z.string().optional(),
});

/** Escapes text for a CDATA section (`]]>` would end it early). */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
