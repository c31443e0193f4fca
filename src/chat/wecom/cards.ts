import { randomBytes } from "node:crypto";
import type { Reply } from "../types.js";

/** WeCom's display limits for a template card (doc 90236; "建议不超过" values, in characters). */
export const CARD_LIMITS = {
  title: 26,
  titleDesc: 30,
  subTitle: 112,
  buttonText: 10,
  sourceDesc: 13,
  buttons: 6,
} as const;

/** One button on a card: what it shows and the short key we stored its action under. */
export interface CardButton {
  key: string;
  label: string;
}

/** Cuts to `max` characters with "…". */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** A fresh card task id: unique per app, ≤128 bytes of `[0-9A-Za-z_-@]`. */
export function newTaskId(now: Date): string {
  return `sr-${now.getTime().toString(36)}-${randomBytes(6).toString("hex")}`;
}

/** How a reply's text splits over a card: the first line is the title, the rest the sub-title; `isClipped` when something did not fit. */
export function cardText(text: string): { title: string; body: string; isClipped: boolean } {
  const [first = "", ...rest] = text.trim().split("\n");
  const body = rest.join("\n").trim();
  const title = clip(first.trim() || "stockradar", CARD_LIMITS.title);
  const sub = clip(body, CARD_LIMITS.subTitle);
  return { title, body: sub, isClipped: title !== first.trim() || sub !== body };
}

/** The `template_card` of type `button_interaction` for a reply with buttons (≤6 are shown). */
export function buttonCard(taskId: string, reply: Reply, buttons: CardButton[]): Record<string, unknown> {
  const { title, body } = cardText(reply.text);
  return {
    card_type: "button_interaction",
    source: { desc: "stockradar" },
    main_title: { title },
    ...(body ? { sub_title_text: body } : {}),
    task_id: taskId,
    button_list: buttons
      .slice(0, CARD_LIMITS.buttons)
      .map((b, i) => ({ text: clip(b.label, CARD_LIMITS.buttonText), style: i === 0 ? 1 : 2, key: b.key })),
  };
}

/** The label a pressed card's buttons turn into, e.g. "Approve · lisi". */
export function resolvedLabel(label: string, userId: string): string {
  return clip(`${label} · ${userId}`, 20);
}

/** A card as it looks after a press (AI bot passive update): same task, the outcome as sub-title, one greyed-out button. */
export function resolvedCard(
  taskId: string,
  title: string,
  label: string,
  userId: string,
  outcome: string,
): Record<string, unknown> {
  return {
    card_type: "button_interaction",
    source: { desc: "stockradar" },
    main_title: { title: clip(title, CARD_LIMITS.title), desc: clip(`${label} · ${userId}`, CARD_LIMITS.titleDesc) },
    sub_title_text: clip(outcome, CARD_LIMITS.subTitle),
    task_id: taskId,
    button_list: [{ text: clip(`✓ ${label}`, CARD_LIMITS.buttonText), style: 2, key: "done" }],
  };
}

/** The buttons written out as commands, for surfaces without clickable cards (robot pushes, late AI-bot replies). */
export function buttonHints(reply: Reply): string {
  if (!reply.buttons?.length) return "";
  return reply.buttons.map((b) => `${b.label}: ${b.action}`).join("\n");
}
