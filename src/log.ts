import { type DestinationStream, type Logger, pino } from "pino";
import { createRedactor, type Redactor } from "./upstream/redact.js";

export type { Logger } from "pino";

/** Field paths pino blanks out wherever they appear in a log object. */
const REDACT_PATHS = [
  "token",
  "*.token",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "apiKey",
  "*.apiKey",
  "key",
  "*.key",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "clientSecret",
  "*.clientSecret",
  "consumerSecret",
  "*.consumerSecret",
  "appSecret",
  "*.appSecret",
  "webhookSecret",
  "*.webhookSecret",
  "lwaClientSecret",
  "*.lwaClientSecret",
  "robotKey",
  "*.robotKey",
  "encodingAesKey",
  "*.encodingAesKey",
  "salt",
  "*.salt",
  "session",
  "*.session",
  "apiToken",
  "*.apiToken",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
  'headers["x-amz-access-token"]',
  '*.headers["x-amz-access-token"]',
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** Every configured secret value; any log line containing one has it replaced, whatever the field. */
  secrets?: readonly string[];
  /**
   * The process's shared redactor instead of `secrets`: it also knows the tokens learned at run time (an access
   * token a provider just issued), so log lines quoting one are scrubbed too.
   */
  redactor?: Redactor;
  destination?: DestinationStream;
}

/**
 * Builds the process logger: pino JSON, path-based redaction, and a last-line scrub that replaces any
 * configured secret value in any of its forms (a token inside a URL, an error message quoting a key) with "[redacted]".
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = opts.secrets ?? [];
  const redactor = opts.redactor ?? createRedactor(secrets);
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      hooks:
        secrets.length || opts.redactor
          ? {
              // Every form a secret takes (raw, URL-encoded, JSON-escaped, Basic credentials), as the upstream redactor does.
              streamWrite: (line: string) => redactor.text(line),
            }
          : {},
    },
    opts.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything (tests that do not inspect logs). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/** A log destination appending to `file` (its directory is created), for when stderr is someone's chat prompt. */
export function fileDestination(file: string): DestinationStream {
  return pino.destination({ dest: file, mkdir: true, sync: true, append: true });
}
