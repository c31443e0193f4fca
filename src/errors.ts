import type { TextRef } from "./i18n/ref.js";

/** Expected failures carry a stable snake_case code and a short message that is safe to show a user. */
export class AppError extends Error {
  /** Stable machine-readable code, e.g. "insufficient_stock". */
  readonly code: string;
  /** Short, user-safe text that says what to do next. Never raw provider text. */
  readonly userMessage: string;
  /** Structured context for logs (never shown to users). */
  readonly details: Record<string, unknown>;
  /** The same text as a catalog message: the dispatcher renders it in the asker's language (code throwing it stays language-free). */
  readonly i18n: TextRef | undefined;

  constructor(
    code: string,
    userMessage: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown; i18n?: TextRef },
  ) {
    super(`${code}: ${userMessage}`, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.userMessage = userMessage;
    this.details = details;
    this.i18n = options?.i18n;
  }
}

/** Something the user named does not exist. */
export class NotFoundError extends AppError {}
/** The actor may not do this. */
export class ForbiddenError extends AppError {}
/** The input is malformed or out of range. */
export class InvalidInputError extends AppError {}
/** The request clashes with current state (insufficient stock, already approved, …). */
export class ConflictError extends AppError {}
/** Configuration is missing or wrong; retrying will not help. */
export class ConfigError extends AppError {}

/** The ledger's disk is full (SQLite SQLITE_FULL): nothing was stored; retrying after space is freed works. */
export class DiskFullError extends AppError {
  constructor(userMessage: string, options?: { cause?: unknown }) {
    super("disk_full", userMessage, {}, options);
  }
}

/** True when `err` is an expected, typed failure whose `userMessage` may be shown. */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Whether `err` is SQLite reporting a full disk (or a database file that may not grow): its own error kind, `disk_full`. */
export const isDiskFull = (err: unknown): boolean =>
  typeof err === "object" && err !== null && (err as { code?: unknown }).code === "SQLITE_FULL";
