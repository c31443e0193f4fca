import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { jobs } from "../jobs/index.js";
import { createApp } from "./app.js";
import { backupDirOf, restoreLedger } from "./backup.js";
import { consoleLogFile } from "./chat/transports/console.js";
import type { Outcome } from "./chat/types.js";
import { configCliLocale, earlyLocale, envLocale } from "./cli-locale.js";
import { type Config, loadConfig, secretValues } from "./config.js";
import { runDoctor } from "./doctor.js";
import { InvalidInputError, isAppError } from "./errors.js";
import { renderRef, textRef } from "./i18n/ref.js";
import { createI18n, sharedI18n, type Translator } from "./i18n/translator.js";
import {
  type ImportReport,
  importBundles,
  importListings,
  importSkus,
  importStocktake,
  readImportFile,
  type SkuImportReport,
} from "./import.js";
import { INIT_CHATS, parseInitChannels, runInit } from "./init.js";
import { acquireLedgerLock, type LedgerLock } from "./lock.js";
import { createLogger, fileDestination } from "./log.js";
import { importPrices } from "./money/price-batch.js";
import { runImportChannel } from "./onboarding/cli.js";
import { runSlot } from "./scheduler.js";
import { createRedactor } from "./upstream/redact.js";

/** The help text in `tr`'s language. */
const helpText = (tr: Translator): string => tr.t("cli-help", { jobs: jobs.map((j) => j.name).join(", ") });

/** The translator for lines printed before a command runs ({@link earlyLocale}: --lang, config, LANG, en). */
const earlyTranslator = (file: string | undefined, lang?: string): Translator =>
  sharedI18n("UTC").translator(earlyLocale({ file, lang }));

/** An error as one line for the reader: its catalog message when it has one, else its English text. */
const errorLine = (err: unknown, tr: Translator): string =>
  isAppError(err) ? (err.i18n ? renderRef(tr, err.i18n) : err.userMessage) : (err as Error).message;

/** Pushes already on the wire get this long to finish on SIGTERM / SIGINT; the rest stay queued for the next start. */
const SHUTDOWN_GRACE_MS = 5_000;
/** Hard limit for a graceful stop (systemd's TimeoutStopSec is 20 s). */
const SHUTDOWN_LIMIT_MS = 10_000;

const parseCli = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string", short: "c" },
      as: { type: "string" },
      "dry-run": { type: "boolean" },
      file: { type: "string" },
      set: { type: "boolean" },
      channels: { type: "string" },
      chat: { type: "string" },
      yes: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      lang: { type: "string" },
      quantity: { type: "string" },
      source: { type: "string" },
    },
  });

/** Exit codes: 0 ok, 1 refused / failed, 2 usage or configuration error. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    const tr = sharedI18n("UTC").translator(envLocale(process.env) ?? "en");
    process.stderr.write(`${tr.t("cli-bad-option", { reason: (err as Error).message })}\n\n${helpText(tr)}\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command || command === "help") {
    process.stdout.write(`${helpText(earlyTranslator(parsed.values.config, parsed.values.lang))}\n`);
    return command || parsed.values.help ? 0 : 2;
  }
  if (command === "init")
    return runInitCommand(
      parsed.values.channels,
      parsed.values.chat,
      earlyTranslator(parsed.values.config, parsed.values.lang),
    );
  let config: Config;
  let source: string;
  try {
    // cmd, job and import never talk to the chat: its unset secrets (TELEGRAM_BOT_TOKEN …) are not demanded.
    const optionalEnv = ["cmd", "job", "import"].includes(command) ? ["chat.telegram", "chat.wecom"] : [];
    ({ config, source } = loadConfig({ file: parsed.values.config, optionalEnv }));
  } catch (err) {
    process.stderr.write(`${errorLine(err, earlyTranslator(parsed.values.config, parsed.values.lang))}\n`);
    return 2;
  }
  switch (command) {
    case "run":
      return runBot(config, source);
    case "demo": {
      const { runDemo } = await import("./sandbox/demo.js");
      return runDemo(config);
    }
    case "cmd":
      return runCommand(config, rest.join(" "), parsed.values.as);
    case "job":
      return runJob(config, rest[0]);
    case "import":
      if (rest[0] === "channel") {
        const app = await createApp({ config, withConsole: false });
        const { values: v } = parsed;
        const args = { channel: rest[1], dryRun: v["dry-run"], quantity: v.quantity, source: v.source, file: v.file };
        const write = {
          stdout: (s: string) => process.stdout.write(s),
          stderr: (s: string) => process.stderr.write(s),
        };
        return runImportChannel(app, args, write).finally(() => app.stop());
      }
      return runImport(config, rest[0], rest[1], { set: parsed.values.set, yes: parsed.values.yes });
    case "restore":
      return runRestore(config, rest[0]);
    case "doctor": {
      const findings = await runDoctor(config, source);
      const tr = cliTranslator(config);
      const fail = tr.t("doctor-mark-fail");
      // Fluent trims trailing spaces: the marks are padded here so the lines stay aligned.
      const ok = tr.t("doctor-mark-ok").padEnd(fail.length);
      for (const f of findings) process.stdout.write(`${f.ok ? ok : fail} ${f.line}\n`);
      return findings.every((f) => f.ok) ? 0 : 1;
    }
    default:
      process.stderr.write(
        `${cliTranslator(config).t("cli-unknown-command", { command })}\n\n${helpText(cliTranslator(config))}\n`,
      );
      return 2;
  }
}

async function runBot(config: Config, source: string): Promise<number> {
  // With the console as the chat on a terminal, logs go to a file: a JSON line must not land in the prompt.
  const logFile = consoleLogFile(config, Boolean(process.stdin.isTTY && process.stdout.isTTY));
  // One redactor for the logger and the app: tokens learned at run time (LWA, eBay OAuth, WeCom) are scrubbed from logs too.
  const redactor = createRedactor(secretValues(config));
  const log = createLogger({
    level: config.logLevel,
    redactor,
    ...(logFile ? { destination: fileDestination(logFile) } : {}),
  });
  if (logFile) process.stderr.write(`${cliTranslator(config).t("first-log-file", { file: logFile })}\n`);
  let lock: LedgerLock | undefined;
  try {
    lock =
      config.database === ":memory:"
        ? undefined
        : acquireLedgerLock(config.database, { ref: textRef("cli-lock-starting") });
  } catch (err) {
    process.stderr.write(`${errorLine(err, cliTranslator(config))}\n`);
    return 1;
  }
  const releasePid = () => lock?.release();
  const app = await createApp({ config, log, redactor });
  log.info(
    { config: source, database: config.database, transports: app.transports.map((t) => t.name) },
    "stockradar starting",
  );
  // Signals are taken from here on: one that arrives while start-up is still running (HTTP already answers) is
  // kept and served as soon as start-up returns, so the bot never dies mid-start without closing the ledger.
  let pendingSignal: string | undefined;
  let onSignal: ((signal: string) => void) | undefined;
  const takeSignal = (signal: string) => {
    if (onSignal) return onSignal(signal);
    if (pendingSignal) process.exit(130);
    pendingSignal = signal;
  };
  process.on("SIGINT", () => takeSignal("SIGINT"));
  process.on("SIGTERM", () => takeSignal("SIGTERM"));
  try {
    await app.start();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (isAppError(err) && (err.code === "telegram_token_refused" || err.code === "wecom_credential_refused")) {
      // A refused credential is a configuration error: the doctor's one line, exit 2, no stack.
      process.stderr.write(`${err.userMessage}\n`);
      await app.stop().catch(() => undefined);
      releasePid();
      return 2;
    }
    if (e.code === "EADDRINUSE")
      log.fatal(cliTranslator(config).t("cli-port-in-use", { port: String(config.http.port), host: config.http.host }));
    else log.fatal({ err }, "start-up failed");
    await app.stop().catch(() => undefined);
    releasePid();
    return 1;
  }
  const isClean = await new Promise<boolean>((resolveStop) => {
    let isStopping = false;
    const stop = (signal: string) => {
      if (isStopping) {
        // A second Ctrl-C means "now": committed work is safe in the ledger, pushes still queued are retried at start.
        log.warn({ signal }, "second signal; exiting now");
        process.exit(130);
      }
      isStopping = true;
      const started = Date.now();
      log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, "stopping: no new work, finishing pushes in flight");
      const timer = setTimeout(() => {
        log.error({ limitMs: SHUTDOWN_LIMIT_MS }, "shutdown took too long; exiting");
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS);
      timer.unref();
      app.stop({ graceMs: SHUTDOWN_GRACE_MS }).then(
        () => {
          log.info({ ms: Date.now() - started }, "stopped cleanly");
          resolveStop(true);
        },
        (err) => {
          log.error({ err }, "shutdown failed");
          resolveStop(false);
        },
      );
    };
    onSignal = stop;
    if (pendingSignal) stop(pendingSignal);
  });
  releasePid();
  return isClean ? 0 : 1;
}

async function runCommand(config: Config, text: string, as: string | undefined): Promise<number> {
  // "/stock A-1", or a Chinese command name with or without the slash ("库存 A-1"), as on the console.
  if (!text.trim()) {
    process.stderr.write(`${cliTranslator(config).t("cli-cmd-usage")}\n`);
    return 2;
  }
  const redactor = createRedactor(secretValues(config));
  const log = createLogger({ level: process.env.LOG_LEVEL ?? "warn", redactor });
  const app = await createApp({ config, log, redactor, withConsole: false });
  try {
    const r = await app.dispatcher.handle({ transport: "cli", chatId: "cli", userId: as ?? CLI_USER, text });
    const out = r.outcome === "ok" ? process.stdout : process.stderr;
    out.write(`${r.reply.text}\n`);
    if (r.reply.buttons?.length) out.write(`${r.reply.buttons.map((b) => `[${b.label}: ${b.action}]`).join(" ")}\n`);
    // Text that is no command at all ("stock" without the slash): also how `cmd` itself is used.
    if (r.outcome === "usage" && !text.trim().startsWith("/"))
      process.stderr.write(`${cliTranslator(config).t("cli-cmd-usage")}\n`);
    return r.outcome === "ok" ? 0 : r.outcome === "usage" ? 2 : 1;
  } finally {
    await app.stop();
  }
}

/** Who a command line run is, in the audit and as `cmd`'s default user. */
const CLI_USER = "cli:local";

async function runJob(config: Config, name: string | undefined): Promise<number> {
  const job = jobs.find((j) => j.name === name);
  if (!job) {
    process.stderr.write(`${cliTranslator(config).t("cli-job-usage", { jobs: jobs.map((j) => j.name).join(", ") })}\n`);
    return 2;
  }
  const app = await createApp({ config, withConsole: false });
  try {
    const now = app.deps.clock.now();
    const report = await runSlot(job, app.deps, now, { slotKey: `manual:${now.toISOString()}` });
    process.stdout.write(
      `${cliTranslator(config).t("cli-job-report", { job: job.name, report: JSON.stringify(report) })}\n`,
    );
    return report && report.problems.length === 0 ? 0 : 1;
  } finally {
    await app.stop();
  }
}

async function runImport(
  config: Config,
  what: string | undefined,
  file: string | undefined,
  opts: { set?: boolean | undefined; yes?: boolean | undefined },
): Promise<number> {
  const app = await createApp({ config, withConsole: false });
  const tr = app.dispatcher.translator(app.dispatcher.chatLocale("cli"));
  // Audited as chat commands are: who (the CLI user), what, with which arguments, and how it ended.
  const requestId = `import-${what ?? "none"}:${randomUUID()}`;
  const args = [what, file, opts.set ? "--set" : "", opts.yes ? "--yes" : ""].filter(Boolean).join(" ");
  const audit = (outcome: Outcome, detail: Record<string, unknown> | null = null): void => {
    try {
      app.deps.ledger.audit.recordAudit({
        actor: CLI_USER,
        transport: "cli",
        action: "import",
        args,
        outcome,
        requestId,
        detail,
      });
    } catch (err) {
      app.deps.log.error({ err, requestId }, "audit write failed");
    }
  };
  if (what === "prices" && file) {
    try {
      const r = await importPrices(app.deps, tr, readImportFile(file, tr), file, {
        actor: "cli:import",
        transport: "cli",
        requestId,
      });
      audit(r.kind === "refused" ? "refused" : "ok", { kind: r.kind });
      process.stdout.write(`${r.text}\n`);
      return r.kind === "refused" ? 1 : 0;
    } catch (err) {
      const isUsage = isAppError(err) && err.code.startsWith("bad_csv");
      audit(isUsage ? "usage" : "failed", { code: isAppError(err) ? err.code : "internal" });
      process.stderr.write(`${errorLine(err, tr)}\n`);
      return isUsage ? 2 : 1;
    } finally {
      await app.stop();
    }
  }
  if ((what !== "skus" && what !== "listings" && what !== "stocktake" && what !== "bundles") || !file) {
    audit("usage");
    await app.stop();
    process.stderr.write(`${tr.t("first-import-usage")}\n`);
    return 2;
  }
  try {
    const report: ImportReport & Partial<SkuImportReport> =
      what === "skus"
        ? importSkus(app.deps, file, "import", tr, { set: opts.set ?? false, yes: opts.yes ?? false })
        : what === "stocktake"
          ? importStocktake(app.deps, file, "import", tr)
          : what === "bundles"
            ? importBundles(app.deps, file, "import", tr)
            : importListings(app.deps, file, tr);
    if (what === "bundles" && report.problems.length)
      process.stdout.write(`${tr.t("import-bundles-refused", { file, count: report.problems.length })}\n`);
    if (report.overwrites && report.needsConfirmation) {
      process.stdout.write(`${tr.t("first-import-set-preview", { count: report.overwrites.length })}\n`);
      for (const o of report.overwrites) process.stdout.write(`  ${tr.t("first-import-set-line", o)}\n`);
      process.stdout.write(`${tr.t("first-import-set-confirm")}\n`);
      audit("refused", { needsConfirmation: true, overwrites: report.overwrites.length });
      return 1;
    }
    audit(report.problems.length ? "refused" : "ok", {
      applied: report.applied,
      unchanged: report.unchanged,
      refused: report.problems.length,
    });
    process.stdout.write(
      `${tr.t("first-import-summary", { what, applied: report.applied, unchanged: report.unchanged, refused: report.problems.length })}\n`,
    );
    for (const p of report.problems) process.stdout.write(`  ${p}\n`);
    if (report.overwrites?.length && !opts.set)
      process.stdout.write(`${tr.t("first-import-kept", { count: report.overwrites.length })}\n`);
    return report.problems.length ? 1 : 0;
  } catch (err) {
    const isUsage = isAppError(err) && err.code.startsWith("bad_csv");
    audit(isUsage ? "usage" : "failed", { code: isAppError(err) ? err.code : "internal" });
    process.stderr.write(`${errorLine(err, tr)}\n`);
    return isUsage ? 2 : 1;
  } finally {
    await app.stop();
  }
}

/** CLI lines in the configured language (`languages.cli`, else `language`). */
const cliTranslator = (config: Config) => createI18n({ timeZone: config.timezone }).translator(configCliLocale(config));

async function runInitCommand(channels: string | undefined, chat: string | undefined, tr: Translator): Promise<number> {
  try {
    if (chat !== undefined && !(INIT_CHATS as readonly string[]).includes(chat))
      throw new InvalidInputError(
        "init_usage",
        tr.t("first-init-unknown", { what: "--chat", given: chat, known: INIT_CHATS.join(", ") }),
      );
    const [yaml = "", env = ""] = runInit(
      process.cwd(),
      { channels: parseInitChannels(channels, tr), chat: chat ?? "console" },
      tr,
    );
    process.stdout.write(`${tr.t("first-init-done", { yaml, env })}\n`);
    return 0;
  } catch (err) {
    if (!isAppError(err)) throw err;
    process.stderr.write(`${errorLine(err, tr)}\n`);
    return err.code === "init_usage" ? 2 : 1;
  }
}

async function runRestore(config: Config, file: string | undefined): Promise<number> {
  const tr = cliTranslator(config);
  if (!file) {
    process.stderr.write(`${tr.t("cli-restore-usage")}\n`);
    return 2;
  }
  if (config.database === ":memory:") {
    process.stderr.write(`${tr.t("cli-restore-memory")}\n`);
    return 2;
  }
  let lock: LedgerLock | undefined;
  try {
    lock = acquireLedgerLock(config.database, { ref: textRef("cli-lock-restoring") });
    const r = await restoreLedger(file, config.database, {
      backupDir: backupDirOf(config),
      now: new Date(),
      ...(config.language ? { locale: config.language } : {}),
    });
    process.stdout.write(
      `${tr.t("cli-restored", { database: config.database, from: r.restoredFrom, skus: r.skus })}\n`,
    );
    if (r.safetyCopy) process.stdout.write(`${tr.t("cli-restore-safety-copy", { file: r.safetyCopy })}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${errorLine(err, tr)}\n`);
    return 1;
  } finally {
    lock?.release();
  }
}
