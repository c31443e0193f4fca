import type { z } from "zod";
import type { Deps } from "../deps.js";
import type { ArgText, CommandAliases, LocalText } from "../i18n/commands.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { Reply } from "./types.js";

/** Roles, weakest first. */
export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
/** A role from config `access`. */
export type Role = (typeof ROLES)[number];

/** True when `have` is at least `need`. */
export const hasRole = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);

/** Who is running a command. */
export interface Actor {
  /** Access-control key, e.g. "tg:123", "wecom:zhangsan", "console:local". */
  id: string;
  role: Role;
  transport: string;
  chatId: string;
}

/** Everything a command's `run` receives besides its parsed arguments. */
export interface CommandCtx {
  actor: Actor;
  deps: Deps;
  log: Logger;
  requestId: string;
  /** Stable per inbound message (platform message id when there is one): a redelivered message changes nothing twice. */
  idempotencyKey: string;
  /** True while producing a confirmation preview: describe, change nothing. */
  dryRun: boolean;
  /** Translator in the asker's language (their `/lang`, else the chat's): every reply text goes through it. */
  tr: Translator;
}

/**
 * One chat command, declared once: parsing, usage, /help, the Telegram menu and the role check all
 * come from this declaration.
 *
 * @example
 * export default defineCommand({
 *   name: "stock", summary: "Show stock for a SKU", role: "viewer",
 *   args: z.object({ sku: SkuSchema }),
 *   run: async ({ sku }, ctx) => ({ text: `${sku}: ${ctx.deps.ledger.stock.getLevel(sku).available} available` }),
 * });
 */
export interface CommandSpec<A extends z.ZodObject = z.ZodObject> {
  /** "approve-refund": the same as the file name. Telegram sees it as approve_refund. */
  name: string;
  /** One line for operators, `msg("cmd-<name>-summary")` in both languages; feeds /help, the docs and the Telegram menu. */
  summary: LocalText;
  /** How each argument reads in the usage line and /help ("SKU" / "货号"), by argument key. */
  argText?: { readonly [K in keyof z.infer<A> & string]?: ArgText };
  /** Other names the command answers to on WeCom and the console ("库存"); listed by /help in that language. */
  aliases?: CommandAliases;
  /** Tokens fill the shape's keys in declaration order; a `restText()` last key takes the rest of the line. */
  args: A;
  /** Minimum role; no default. */
  role: Role;
  /** Destructive: run once with dryRun for a preview, then `/confirm TOKEN` runs it for real. */
  confirm?: "preview";
  /** With `confirm`: only inputs for which this is true need the preview (a read-only form of the command runs at once). */
  confirmWhen?: (input: z.infer<A>) => boolean;
  /** Extra usage lines shown under the generated one (examples, alternative forms), per language when they hold words. */
  examples?: LocalText[];
  run(input: z.infer<A>, ctx: CommandCtx): Promise<Reply>;
}

/** Identity function that gives a command declaration its types. */
export const defineCommand = <A extends z.ZodObject>(s: CommandSpec<A>): CommandSpec<A> => s;

/** Any command, for registries. */
export type AnyCommand = CommandSpec<z.ZodObject>;
