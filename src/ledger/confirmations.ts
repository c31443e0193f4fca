import { ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { type LedgerCtx, nowIso, write } from "./context.js";

/** A pending confirmation of a destructive command. */
export interface Confirmation {
  token: string;
  actor: string;
  command: string;
  args: string;
  expiresAt: string;
}

/** Issues a short-lived token bound to this actor and these exact arguments. */
export function issueConfirmation(
  ctx: LedgerCtx,
  c: { actor: string; command: string; args: string; ttlSeconds: number },
): Confirmation {
  const token = ctx.newId("C").slice(2, 8);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + c.ttlSeconds * 1000).toISOString();
  ctx
    .stmt("INSERT INTO confirmations (token, actor, command, args, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
    .run(token, c.actor, c.command, c.args, now.toISOString(), expiresAt);
  return { token, actor: c.actor, command: c.command, args: c.args, expiresAt };
}

/** Consumes a token exactly once: only by the actor it was issued to, only before it expires. */
export function consumeConfirmation(ctx: LedgerCtx, token: string, actor: string): Confirmation {
  return write(ctx, () => {
    const r = ctx
      .stmt<
        [string],
        { token: string; actor: string; command: string; args: string; expires_at: string; used_at: string | null }
      >("SELECT * FROM confirmations WHERE token = ?")
      .get(token.toUpperCase());
    if (!r) throw localized(NotFoundError, "unknown_confirmation", textRef("err-confirm-unknown", { token }));
    if (r.actor !== actor)
      throw localized(ForbiddenError, "not_your_confirmation", textRef("err-confirm-not-yours", { token }));
    if (r.used_at) throw localized(ConflictError, "confirmation_used", textRef("err-confirm-used", { token }));
    if (r.expires_at <= nowIso(ctx))
      throw localized(ConflictError, "confirmation_expired", textRef("err-confirm-expired", { token }));
    ctx.stmt("UPDATE confirmations SET used_at = ? WHERE token = ? AND used_at IS NULL").run(nowIso(ctx), r.token);
    return { token: r.token, actor: r.actor, command: r.command, args: r.args, expiresAt: r.expires_at };
  });
}
