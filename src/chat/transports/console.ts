import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "../../log.js";
import type { Reply, Transport, TransportHandlers } from "../types.js";

/**
 * Where the logs go while the console is the chat on a terminal: a file beside the ledger (`stockradar.log`), so no
 * JSON log line lands in the prompt. Undefined (logs stay on stderr) without a terminal or when a chat platform is the chat.
 */
export function consoleLogFile(
  config: { database: string; chat: { console?: boolean | undefined; telegram?: unknown; wecom?: unknown } },
  isTerminal: boolean,
): string | undefined {
  const isConsoleChat = config.chat.console ?? (!config.chat.telegram && !config.chat.wecom);
  if (!isConsoleChat || !isTerminal) return undefined;
  return resolve(dirname(config.database === ":memory:" ? "./data/x" : config.database), "stockradar.log");
}

/** The local operator's user key: whoever runs the process owns the database. */
export const CONSOLE_USER = "console:local";

/**
 * The console transport: reads commands from stdin, prints replies and alerts to stdout. Buttons are
 * printed as the command they run; images are saved under `imageDir` and their path printed. When stdin
 * closes (a service without a terminal) it keeps running and printing alerts.
 */
export function createConsoleTransport(opts: {
  input?: Readable;
  output?: Writable;
  imageDir: string;
  log: Logger;
  prompt?: boolean;
}): Transport {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  let rl: ReturnType<typeof createInterface> | undefined;
  let inflight = Promise.resolve();
  let isStopping = false;

  const print = (reply: Reply, prefix = ""): void => {
    let text = `${prefix}${reply.text}`;
    if (reply.image) {
      mkdirSync(opts.imageDir, { recursive: true });
      const path = resolve(join(opts.imageDir, reply.image.filename));
      writeFileSync(path, reply.image.png);
      text += `\n[chart saved: ${path}]`;
    }
    if (reply.buttons?.length) text += `\n${reply.buttons.map((b) => `[${b.label}: ${b.action}]`).join(" ")}`;
    output.write(`${text}\n`);
  };

  return {
    name: "console",
    async start(handlers: TransportHandlers) {
      rl = createInterface({ input, terminal: false });
      const isPrompt = opts.prompt ?? Boolean((input as { isTTY?: boolean }).isTTY);
      if (isPrompt) output.write("stockradar console — type /help\n> ");
      rl.on("line", (line) => {
        const text = line.trim();
        if (!text) return;
        // Serialise: replies come out in the order commands were typed.
        inflight = inflight.then(async () => {
          try {
            print(await handlers.onMessage({ transport: "console", chatId: "console", userId: CONSOLE_USER, text }));
          } catch (err) {
            opts.log.error({ err }, "console command failed");
          }
          if (isPrompt) output.write("> ");
        });
      });
      // Closed by stop() (Ctrl-C, a failed start) is not "still running"; only a real end of input is.
      rl.on("close", () => {
        if (!isStopping) opts.log.info("console input closed; still running and printing alerts");
      });
    },
    async broadcast(reply: Reply) {
      print(reply, "");
      return undefined;
    },
    async stop() {
      isStopping = true;
      rl?.close();
      await inflight;
    },
  };
}
