import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { ForbiddenError, isAppError } from "../errors.js";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locales.js";
import { createI18n, type I18n } from "../i18n/translator.js";
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
  /** The reply language for a sender (i18n/resolve.ts). Default en until config `language` is wired (TODO issue 15). */
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
  const localeOf = opts.localeOf ?? ((): Locale => DEFAULT_LOCALE);
  const reqId = opts.requestId ?? newRequestId;
  const byName = new Map<string, AnyCommand>();

  const help = defineCommand({
    name: "help",
    summary: "List the commands you may run, or explain one",
    role: "viewer",
    args: z.object({
      command: z
        .string()
        .regex(/^\/?[A-Za-z_-]{1,32}$/, { message: "must be a command name such as stock" })
        .optional(),
    }),
    run: async ({ command }, ctx) => {
      if (command) {
        const c = byName.get(command.replace(/^\//, "").toLowerCase().replace(/_/g, "-"));
        if (!c || !hasRole(ctx.actor.role, c.role))
          return { text: `No command /${command.replace(/^\//, "")} for you. /help lists yours.` };
        return {
          text: [
            `${usageOf(c)}`,
            c.summary,
            ...(c.examples ?? []).map((e) => `e.g. ${e}`),
            `Needs: ${c.role}${c.confirm ? ", asks for confirmation" : ""}`,
          ].join("\n"),
        };
      }
      const mine = commandsFor(ctx.actor.role);
      return {
        text: [
          `Commands for ${ctx.actor.id} (${ctx.actor.role}):`,
          ...mine.map((c) => `${usageOf(c)} — ${c.summary}`),
        ].join("\n"),
      };
    },
  });

  const confirm = defineCommand({
    name: "confirm",
    summary: "Confirm a previewed destructive command with its token",
    role: "viewer",
    args: z.object({
      token: z.string().regex(/^[A-Za-z0-9]{6}$/, { message: "must be the 6-character token from the preview" }),
    }),
    run: async ({ token }, ctx) => {
      const c = deps.ledger.confirmations.consumeConfirmation(token, ctx.actor.id);
      const spec = byName.get(c.command);
      if (!spec) throw new ForbiddenError("unknown_command", `The confirmed command /${c.command} no longer exists.`);
      // The role is checked again: it may have been revoked since the preview.
      if (!hasRole(ctx.actor.role, spec.role))
        throw new ForbiddenError("needs_role", `/${spec.name} needs ${spec.role}; you are ${ctx.actor.role}.`);
      const input = spec.args.parse(JSON.parse(c.args));
      return spec.run(input, { ...ctx, idempotencyKey: `confirm:${c.token}`, dryRun: false });
    },
  });

  for (const c of [help, confirm, ...opts.commands]) {
    if (byName.has(c.name)) throw new Error(`duplicate command name: ${c.name}`);
    byName.set(c.name, c);
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

  async function handle(msg: InboundMessage): Promise<DispatchResult> {
    const requestId = reqId();
    const log = deps.log.child({ requestId, transport: msg.transport, actor: msg.userId });
    const parsed = parseLine(msg.text);
    const role = roleOf(deps.config.access, msg.userId);
    if (!role) {
      audit(msg.userId, msg.transport, parsed?.name ?? "(text)", parsed?.rest ?? "", "refused", requestId, {
        reason: "unknown_user",
      });
      log.warn({ userId: msg.userId }, "refused unknown user");
      return {
        reply: {
          text: `You are not on the access list (${msg.userId}). Ask an admin to add you under access in stockradar.yaml.`,
        },
        outcome: "refused",
        requestId,
      };
    }
    if (!parsed) {
      return {
        reply: { text: "Commands start with /, e.g. /stock A-12. /help lists what you can run." },
        outcome: "usage",
        requestId,
      };
    }
    const tr = i18nOf().translator(localeOf(msg));
    const spec = byName.get(parsed.name);
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
      const problems = result.success ? [] : describeIssues(spec, result.error);
      if (extra.length)
        problems.push(
          tr.t("dispatch-extra-args", {
            count: extra.length,
            tokens: `${extra.slice(0, 3).join(" ")}${extra.length > 3 ? " …" : ""}`,
          }),
        );
      audit(actor.id, actor.transport, spec.name, parsed.rest, "usage", requestId, { problems });
      const example = spec.examples?.[0] ? `\n${tr.t("dispatch-example", { example: spec.examples[0] })}` : "";
      return {
        reply: { text: `${problems.join("; ")}.\n${tr.t("dispatch-usage", { usage: usageOf(spec) })}${example}` },
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
    };
    try {
      if (spec.confirm === "preview") {
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
            text: `${preview.text}\n\nConfirm within ${Math.round(deps.config.chat.confirmTtlSeconds / 60) || 1} min: /confirm ${c.token}`,
            buttons: [{ label: "Confirm", action: `/confirm ${c.token}` }],
          },
          outcome: "ok",
          command: spec.name,
          requestId,
        };
      }
      const reply = await spec.run(result.data, ctx);
      audit(actor.id, actor.transport, spec.name, parsed.rest, "ok", requestId);
      return { reply, outcome: "ok", command: spec.name, requestId };
    } catch (err) {
      if (isAppError(err)) {
        audit(actor.id, actor.transport, spec.name, parsed.rest, "refused", requestId, { code: err.code });
        ctx.log.info({ code: err.code, details: err.details }, "command refused");
        return { reply: { text: err.userMessage }, outcome: "refused", command: spec.name, requestId };
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
        reply: { text: "This button is not valid any more. Run the command again." },
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

  return { handle, press, commandsFor, commands: (): AnyCommand[] => [...byName.values()], usageOf };
}

/** The dispatcher type. */
export type Dispatcher = ReturnType<typeof createDispatcher>;
