import { AppError } from "../errors.js";
import { UpstreamError } from "../upstream/errors.js";

/** A short, user-safe description of a failure: never raw provider text, never a URL that may carry a key. */
export function describeError(err: unknown): string {
  if (err instanceof UpstreamError)
    return `${err.provider} ${err.status ?? ""} ${err.providerCode ?? err.code}`.replace(/\s+/g, " ").trim();
  if (err instanceof AppError) return err.code;
  if (err instanceof Error) return err.name === "Error" ? "error" : err.name;
  return "error";
}
