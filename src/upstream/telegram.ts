import { GrammyError, HttpError } from "grammy";
import { textRef } from "../i18n/ref.js";
import { kindOfStatus, UpstreamError, type UpstreamKind } from "./errors.js";

/**
 * Maps grammY's errors to the one upstream error: a `GrammyError` (Bot API answered `ok: false`) takes its kind
 * from `error_code` and its Retry-After from `parameters.retry_after`; an `HttpError` (no answer) is a timeout
 * or a network failure. 403 means the chat blocked or removed the bot, so it is `rejected`, not `auth`;
 * only 401 (a wrong bot token) is `auth`. Anything else is returned unchanged (it is our own bug).
 */
export function telegramError(err: unknown): unknown {
  if (err instanceof GrammyError) {
    const kind: UpstreamKind = err.error_code === 403 ? "rejected" : kindOfStatus(err.error_code);
    return new UpstreamError({
      provider: "telegram",
      kind,
      i18n: textRef("up-telegram-refused", { method: err.method, code: err.error_code }),
      status: err.error_code,
      providerCode: err.error_code,
      retryAfterSeconds: err.parameters.retry_after,
      // The description may quote the chat; it goes to logs only.
      details: { method: err.method, description: err.description.slice(0, 200) },
      cause: err,
    });
  }
  if (err instanceof HttpError) {
    const inner = err.error as { name?: string } | undefined;
    const isTimeout = inner?.name === "TimeoutError" || inner?.name === "AbortError";
    return new UpstreamError({
      provider: "telegram",
      kind: isTimeout ? "timeout" : "network",
      i18n: textRef(isTimeout ? "up-timeout" : "up-unreachable", { provider: "Telegram" }),
      details: { reason: inner?.name ?? "error" },
    });
  }
  return err;
}
