import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { reportDiskFull } from "../disk-full.js";
import { DiskFullError, ForbiddenError, isAppError, isDiskFull } from "../errors.js";
import { argTextOf, buildAliasIndex, localizedUsage, msg, textOf } from "../i18n/commands.js";
import { type Locale, parseLocale } from "../i18n/locales.js";
import { renderRef } from "../i18n/ref.js";
import { languageConfigOf, resolveLocale } from "../i18n/resolve.js";
import { createI18n, type I18n, type Translator } from "../i18n/translator.js";
import { roleOf } from "./access.js";
import { type Actor, type AnyCommand, type CommandCtx, defineCommand, hasRole, type Role } from "./command.js";
import { bindTokens, describeIssues, parseLine, suggest, usageOf } from "./parse.js";
import type { InboundMessage, Outcome, Reply } from "./types.js";

/** How one inbound message or button press ended. */
export interface DispatchResult {
  reply: Reply;
  outcome: Outcome;
  command?: string;
  requestId: string;
}

/** A button press as transports report it. */
export interface ButtonPress {
  transport: string;
  chatId: string;
  userId: string;
  actionId: string;
  /** The platform's id for this press (Telegram callback query id, WeCom event key); de-duplicates retries. */
  pressId?: string;
}

/** Transports where Chinese command names (aliases) are accepted (`stockradar cmd` too); Telegram's menu stays Latin. */
const ALIAS_TRANSPORTS = new Set(["wecom", "console", "cli"]);

const LANG_NAME = { en: "lang-name-en", "zh-CN": "lang-name-zh" } as const;

const newRequestId = (): string => randomBytes(3).toString("hex");

/**
 * The dispatcher: parse → role check → argument validation → (preview + confirmation) → run → audit.
 * Platform objects never reach it; every transport hands it an InboundMessage.
 */
export function createDispatcher(opts: {
  commands: readonly AnyCommand[];
  deps: Deps;
  requestId?: () => string;
  i18n?: I18n;
  /** The reply language for a sender; default: their /lang choice, then config `language` (i18n/resolve.ts). */
  localeOf?: (who: { transport: string; chatId: string; userId: string }) => Locale;
}) {
  const { deps } = opts;
  // Built on first use, so indexing the declarations (docs generator) needs no config.
  let i18nMemo = opts.i18n;
  const i18nOf = (): I18n =>
    (i18nMemo ??= createI18n({
      timeZone: deps.config.timezone,
      onProblem: (p) => deps.log.warn(p, "translation problem"),
    }));
  const localeOf =
    opts.localeOf ??
    ((who: { transport: string; chatId: string; userId: string }): Locale =>
      resolveLocale({
        config: languageConfigOf(deps.config),
        transport: who.transport,
        chatId: who.chatId,
        userPref: deps.languages.getLanguage(who.userId),
      }));
  /** A chat's language for messages to everyone in it (alerts, summaries): no one's /lang applies. */
  const chatLocale = (transport: string, chatId?: string): Locale =>
    resolveLocale({ config: languageConfigOf(deps.config), transport, ...(chatId !== undefined ? { chatId } : {}) });
  const reqId = opts.requestId ?? newRequestId;
  const byName = new Map<string, AnyCommand>();

  const help = defineCommand({
    name: "help",
    summary: msg("cmd-help-summary"),
    aliases: { "zh-CN": ["帮助"] },
    role: "viewer",
    args: z.object({
      command: z
        .string()
        .regex(/^\/?[A-Za-z_\p{Script=Han}-]{1,32}$/u, { message: "must be a command name such as stock" })
        .optional(),
    }),
    run: async ({ command }, ctx) => {
      const tr = trOf(ctx.actor);
      const aliasOn = ALIAS_TRANSPORTS.has(ctx.actor.transport);
      if (command) {
        const typed = command.replace(/^\//, "");
        const name = aliases().match(typed)?.name ?? typed.toLowerCase().replace(/_/g, "-");
        const c = byName.get(name);
        if (!c || !hasRole(ctx.actor.role, c.role)) return { text: tr.t("help-no-such-command", { name: typed }) };
        const names = c.aliases?.[tr.locale] ?? [];
        return {
          text: [
            localizedUsage(c, tr),
            textOf(tr, c.summary),
            ...(names.length ? [tr.t("help-aliases", { aliases: names.join(tr.locale === "en" ? ", " : "、") })] : []),
            ...Object.keys(c.args.shape).flatMap((key) => {
              const a = argTextOf(c, key);
              return a?.name && a.description ? [`${textOf(tr, a.name)}: ${textOf(tr, a.description)}`] : [];
            }),
            ...(c.examples ?? []).map((e) => tr.t("dispatch-example", { example: textOf(tr, e) })),
            c.confirm
              ? tr.t("help-needs-confirm", { role: tr.t(`role-${c.role}`) })
              : tr.t("help-needs", { role: tr.t(`role-${c.role}`) }),
          ].join("\n"),
        };
      }
      const mine = commandsFor(ctx.actor.role);
      return {
        text: [
          tr.t("help-header", { actor: ctx.actor.id, role: tr.t(`role-${ctx.actor.role}`) }),
          ...mine.map((c) => `${localizedUsage(c, tr, { viaAlias: aliasOn })} — ${textOf(tr, c.summary)}`),
        ].join("\n"),
      };
    },
  });

  const lang = defineCommand({
    name: "lang",
    summary: msg("cmd-lang-summary"),
    aliases: { "zh-CN": ["语言"] },
    argText: { language: { name: msg("arg-language"), description: msg("arg-language-help") } },
    role: "viewer",
    args: z.object({ language: z.string().max(16).optional() }),
    run: async ({ language }, ctx) => {
      const { id, transport, chatId } = ctx.actor;
      if (!language)
        return {
          text: trOf(ctx.actor).t("lang-current", {
            language: trOf(ctx.actor).t(LANG_NAME[trOf(ctx.actor).locale]),
          }),
        };
      if (/^(auto|default|reset|自动|默认)$/i.test(language.trim())) {
        deps.languages.clearLanguage(id);
        const tr = i18nOf().translator(chatLocale(transport, chatId));
        return { text: tr.t("lang-reset", { language: tr.t(LANG_NAME[tr.locale]) }) };
      }
      const locale = parseLocale(language);
      if (!locale) return { text: trOf(ctx.actor).t("lang-unknown", { input: language }) };
      deps.languages.setLanguage(id, locale);
      const tr = i18nOf().translator(locale);
      return { text: tr.t("lang-set", { language: tr.t(LANG_NAME[locale]) }) };
    },
  });

  const confirm = defineCommand({
    name: "confirm",
    summary: msg("cmd-confirm-summary"),
    aliases: { "zh-CN": ["确认"] },
    role: "viewer",
    args: z.object({
      token: z.string().regex(/^[A-Za-z0-9]{6}$/, { message: "must be the 6-character token from the preview" }),
    }),
    run: async ({ token }, ctx) => {
      const c = deps.ledger.confirmations.consumeConfirmation(token, ctx.actor.id);
      const tr = trOf(ctx.actor);
      const spec = byName.get(c.command);
      if (!spec) throw new ForbiddenError("unknown_command", tr.t("confirm-command-gone", { command: c.command }));
      // The role is checked again: it may have been revoked since the preview.
      if (!hasRole(ctx.actor.role, spec.role))
        throw new ForbiddenError(
          "needs_role",
          tr.t("dispatch-needs-role", {
            command: spec.name,
            needs: tr.t(`role-${spec.role}`),
            has: tr.t(`role-${ctx.actor.role}`),
          }),
        );
      const input = spec.args.parse(JSON.parse(c.args));
      return spec.run(input, { ...ctx, idempotencyKey: `confirm:${c.token}`, dryRun: false });
    },
  });

  for (const c of [help, confirm, lang, ...opts.commands]) {
    if (byName.has(c.name)) throw new Error(`duplicate command name: ${c.name}`);
    byName.set(c.name, c);
  }
  // Built on first use too; throws (like a duplicate name) when two commands declare one alias.
  let aliasMemo: ReturnType<typeof buildAliasIndex> | undefined;
  const aliases = () => (aliasMemo ??= buildAliasIndex([...byName.values()]));
  function trOf(who: { transport: string; chatId: string; id?: string; userId?: string }): Translator {
    return i18nOf().translator(
      localeOf({ transport: who.transport, chatId: who.chatId, userId: who.userId ?? who.id ?? "" }),
    );
  }

  /** Commands `role` may run, alphabetical. */
  function commandsFor(role: Role): AnyCommand[] {
    return [...byName.values()].filter((c) => hasRole(role, c.role)).sort((a, b) => a.name.localeCompare(b.name));
  }

  function audit(
    actor: string,
    transport: string,
    action: string,
    args: string,
    outcome: Outcome,
    requestId: string,
    detail?: Record<string, unknown>,
  ): void {
    try {
      deps.ledger.audit.recordAudit({ actor, transport, action, args, outcome, requestId, detail: detail ?? null });
    } catch (err) {
      deps.log.error({ err, requestId }, "audit write failed");
    }
  }

  /** /whoami for someone the config does not know yet (or in a chat it does not serve): the ids and the lines to add. */
  function whoamiForStranger(msg: InboundMessage, role: Role | undefined): string {
    const tr = i18nOf().translator(chatLocale(msg.transport, msg.chatId));
    const out = [tr.t("first-whoami-ids", { user: msg.userId, chat: msg.chatId, transport: msg.transport })];
    if (msg.unserved === "chat")
      out.push(
        tr.t("first-whoami-add-chat"),
        `chat:\n  ${msg.transport}:\n    chatId: ${/^-?\d+$/.test(msg.chatId) ? msg.chatId : JSON.stringify(msg.chatId)}`,
      );
    if (!role) out.push(tr.t("first-whoami-add-user"), `access:\n  viewers: ["${msg.userId}"]`);
    return out.join("\n");
  }

  async function handle(msg: InboundMessage): Promise<DispatchResult> {
    const requestId = reqId();
    const log = deps.log.child({ requestId, transport: msg.transport, actor: msg.userId });
    const line = (ALIAS_TRANSPORTS.has(msg.transport) && aliases().canonical(msg.text)) || msg.text;
    const parsed = parseLine(line);
    const role = roleOf(deps.config.access, msg.userId);
    if (!role || msg.unserved) {
      try {
        deps.unknownChats.noteUnknownChat({
          transport: msg.transport,
          chatId: msg.chatId,
          userId: msg.userId,
          isChatKnown: msg.unserved !== "chat",
        });
      } catch (err) {
        log.warn({ err }, "could not note an unknown chat");
      }
      if (parsed && (parsed.name === "whoami" || parsed.name === "start")) {
        log.info({ chatId: msg.chatId, unserved: msg.unserved ?? "user" }, "told an unknown chat or person its ids");
        return { reply: { text: whoamiForStranger(msg, role) }, outcome: "ok", requestId };
      }
      if (msg.unserved) {
        log.info({ chatId: msg.chatId }, "ignored a message from a chat the bot does not serve");
        return { reply: { text: "" }, outcome: "refused", requestId };
      }
    }
    if (!role) {
      audit(msg.userId, msg.transport, parsed?.name ?? "(text)", parsed?.rest ?? "", "refused", requestId, {
        reason: "unknown_user",
      });
      log.warn({ userId: msg.userId }, "refused unknown user");
      const tr = i18nOf().translator(chatLocale(msg.transport, msg.chatId));
      return {
        reply: { text: tr.t("dispatch-unknown-user", { user: msg.userId }) },
        outcome: "refused",
        requestId,
      };
    }
    const tr = trOf(msg);
    if (!parsed) {
      return {
        reply: { text: tr.t("dispatch-not-a-command") },
        outcome: "usage",
        requestId,
      };
    }
    // Telegram's /start (the first message of every private chat) answers like /whoami.
    const spec = byName.get(parsed.name === "start" ? "whoami" : parsed.name);
    if (!spec) {
      const close = suggest(
        parsed.name,
        commandsFor(role).map((c) => c.name),
      );
      audit(msg.userId, msg.transport, parsed.name, parsed.rest, "usage", requestId, { reason: "unknown_command" });
      return {
        reply: {
          text: close.length
            ? tr.t("dispatch-unknown-command-suggest", {
                name: parsed.name,
                suggestions: tr.list(
                  close.map((c) => `/${c}`),
                  "or",
                ),
              })
            : tr.t("dispatch-unknown-command", { name: parsed.name }),
        },
        outcome: "usage",
        requestId,
      };
    }
    const actor: Actor = { id: msg.userId, role, transport: msg.transport, chatId: msg.chatId };
    if (!hasRole(role, spec.role)) {
      audit(actor.id, actor.transport, spec.name, parsed.rest, "refused", requestId, {
        reason: "needs_role",
        needs: spec.role,
        has: role,
      });
      const text = tr.t("dispatch-needs-role", {
        command: spec.name,
        needs: tr.t(`role-${spec.role}`),
        has: tr.t(`role-${role}`),
      });
      return { reply: { text }, outcome: "refused", command: spec.name, requestId };
    }
    const { input, extra } = bindTokens(spec, parsed.tokens);
    const result = spec.args.safeParse(input);
    if (!result.success || extra.length) {
      const problems = result.success ? [] : describeIssues(spec, result.error, tr);
      if (extra.length)
        problems.push(
          tr.t("dispatch-extra-args", {
            count: extra.length,
            tokens: `${extra.slice(0, 3).join(" ")}${extra.length > 3 ? " …" : ""}`,
          }),
        );
      audit(actor.id, actor.transport, spec.name, parsed.rest, "usage", requestId, { problems });
      const example = spec.examples?.[0]
        ? `\n${tr.t("dispatch-example", { example: textOf(tr, spec.examples[0]) })}`
        : "";
      return {
        reply: {
          text: `${problems.join("; ")}.\n${tr.t("dispatch-usage", { usage: localizedUsage(spec, tr) })}${example}`,
        },
        outcome: "usage",
        command: spec.name,
        requestId,
      };
    }
    const ctx: CommandCtx = {
      actor,
      deps,
      log: log.child({ command: spec.name }),
      requestId,
      idempotencyKey: msg.messageId ? `${msg.transport}:${msg.chatId}:${msg.messageId}` : `req:${requestId}`,
      dryRun: false,
      tr,
    };
    try {
      if (spec.confirm === "preview" && (spec.confirmWhen?.(result.data) ?? true)) {
        const preview = await spec.run(result.data, { ...ctx, dryRun: true });
        const c = deps.ledger.confirmations.issueConfirmation({
          actor: actor.id,
          command: spec.name,
          args: JSON.stringify(input),
          ttlSeconds: deps.config.chat.confirmTtlSeconds,
        });
        audit(actor.id, actor.transport, spec.name, parsed.rest, "ok", requestId, { preview: true, token: c.token });
        return {
          reply: {
            text: `${preview.text}\n\n${tr.t("dispatch-confirm-within", { minutes: Math.round(deps.config.chat.confirmTtlSeconds / 60) || 1, token: c.token })}`,
            buttons: [{ label: tr.t("button-confirm"), action: `/confirm ${c.token}` }],
          },
          outcome: "ok",
          command: spec.name,
          requestId,
        };
      }
      const reply = await spec.run(result.data, ctx);
      audit(actor.id, actor.transport, spec.name, parsed.rest, "ok", requestId);
      return { reply, outcome: "ok", command: spec.name, requestId };
    } catch (caught) {
      // A full disk is its own kind: a clear refusal, one alert to the group (throttled), never "something went wrong".
      const err = isDiskFull(caught)
        ? new DiskFullError(tr.t("disk-full-refused", { ref: requestId }), { cause: caught })
        : caught;
      if (err instanceof DiskFullError) void reportDiskFull(deps, `/${spec.name}`);
      if (isAppError(err)) {
        audit(actor.id, actor.transport, spec.name, parsed.rest, "refused", requestId, { code: err.code });
        ctx.log.info({ code: err.code, details: err.details }, "command refused");
        // A refusal raised below the chat layer names its catalog message: the asker reads it in their language.
        const text = err.i18n ? renderRef(tr, err.i18n) : err.userMessage;
        return { reply: { text }, outcome: "refused", command: spec.name, requestId };
      }
      audit(actor.id, actor.transport, spec.name, parsed.rest, "failed", requestId);
      ctx.log.error({ err }, "command failed");
      return {
        reply: { text: tr.t("dispatch-failed", { ref: requestId }) },
        outcome: "failed",
        command: spec.name,
        requestId,
      };
    }
  }

  /** Runs the action behind a button as the person who pressed it (role-checked and audited like typing it). */
  async function press(p: ButtonPress): Promise<DispatchResult> {
    const action = deps.ledger.jobs.buttonAction(p.actionId);
    if (!action) {
      const requestId = reqId();
      audit(p.userId, p.transport, "(button)", p.actionId.slice(0, 64), "refused", requestId, {
        reason: "unknown_button",
      });
      return {
        reply: { text: trOf(p).t("dispatch-button-expired") },
        outcome: "refused",
        requestId,
      };
    }
    return handle({
      transport: p.transport,
      chatId: p.chatId,
      userId: p.userId,
      text: action,
      ...(p.pressId ? { messageId: `btn:${p.pressId}` } : {}),
    });
  }

  /** The Telegram menu in `locale`: every non-admin command with its summary in that language. */
  const menu = (locale: Locale): { name: string; summary: string }[] => {
    const tr = i18nOf().translator(locale);
    return commandsFor("approver").map((c) => ({ name: c.name, summary: textOf(tr, c.summary) }));
  };

  return {
    handle,
    press,
    commandsFor,
    commands: (): AnyCommand[] => [...byName.values()],
    usageOf,
    menu,
    chatLocale,
    i18n: i18nOf,
    translator: (locale: Locale): Translator => i18nOf().translator(locale),
  };
}

/** The dispatcher type. */
export type Dispatcher = ReturnType<typeof createDispatcher>;
