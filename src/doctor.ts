import { wecomDoctor } from "./app.js";
import { unknownChatFindings } from "./chat/unknown-chats-doctor.js";
import type { Config } from "./config.js";
import { channelCredentialFinding, exposedTokenFindings } from "./doctor-credentials.js";
import { oneLine, opsFindings } from "./doctor-ops.js";
import { DEFAULT_LOCALE } from "./i18n/locales.js";
import { createI18n } from "./i18n/translator.js";
import { openDatabase } from "./ledger/db.js";
import { migrations } from "./ledger/migrations/index.js";
import { silentLogger } from "./log.js";
import { ledgerConsistency } from "./ops/consistency.js";
import { quickCheck, schemaFacts } from "./ops/file-store.js";

/** One doctor finding: a short line saying what is wrong and what to do, or what is fine. */
export interface Finding {
  ok: boolean;
  line: string;
}

async function reach(
  url: string,
  init: RequestInit = {},
  timeoutMs = 5000,
): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: (await res.text()).slice(0, 500) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { error: e.cause?.code ?? e.name };
  }
}

/** Checks the config, the ledger and every configured remote API; each problem is one line that says what to do. */
export async function runDoctor(config: Config, source: string): Promise<Finding[]> {
  const out: Finding[] = [{ ok: true, line: `config: ${source} is valid` }];
  const tr = createI18n({ timeZone: config.timezone }).translator(config.language ?? DEFAULT_LOCALE);
  try {
    const db = openDatabase(config.database);
    const applied = { n: schemaFacts(db).applied };
    const check = quickCheck(db);
    // The ledger's own invariants: balances equal the movements replayed and the active reservations.
    const consistency = check === "ok" ? ledgerConsistency(db, tr) : undefined;
    db.close();
    out.push(
      check === "ok"
        ? {
            ok: true,
            line: `ledger: ${config.database} opens, ${applied.n}/${migrations.length} migrations applied, integrity ok`,
          }
        : {
            ok: false,
            line: `ledger: ${config.database} failed the integrity check (${String(check)}); restore the newest backup`,
          },
    );
    if (consistency)
      out.push(
        consistency.count
          ? {
              ok: false,
              line: tr.t("hard-doctor-invariants-failed", { count: consistency.count, examples: consistency.examples }),
            }
          : { ok: true, line: tr.t("hard-doctor-invariants-ok", { skus: consistency.skus }) },
      );
  } catch (err) {
    out.push({
      ok: false,
      line: `ledger: cannot open ${config.database} (${(err as Error).message}); check the path and its permissions`,
    });
  }
  const tg = config.chat.telegram;
  if (tg) {
    const r = await reach(`${tg.apiRoot}/bot${tg.token}/getMe`);
    if ("error" in r)
      out.push({
        ok: false,
        line: `telegram: ${tg.apiRoot} unreachable (${r.error}); check the network or chat.telegram.apiRoot`,
      });
    else if (r.status === 401)
      out.push({
        ok: false,
        line: "telegram: the bot token was refused (401); get a new one from @BotFather and set TELEGRAM_BOT_TOKEN",
      });
    else if (r.status !== 200)
      out.push({ ok: false, line: `telegram: getMe answered HTTP ${r.status}; check chat.telegram.apiRoot` });
    else
      out.push({
        ok: true,
        line: `telegram: bot @${(JSON.parse(r.body) as { result?: { username?: string } }).result?.username ?? "?"} reachable`,
      });
  }
  for (const ch of config.channels) {
    // Shopify and WooCommerce: one signed read, so a refused credential fails instead of "reachable (HTTP 401)".
    const signed = await channelCredentialFinding(ch, tr);
    if (signed) {
      out.push(signed);
      continue;
    }
    const base = "apiBase" in ch ? ch.apiBase : undefined;
    if (!base) {
      out.push({ ok: true, line: `channel ${ch.id} (${ch.kind}): no apiBase to probe` });
      continue;
    }
    const r = await reach(base, { method: "HEAD" });
    out.push(
      "error" in r
        ? {
            ok: false,
            line: `channel ${ch.id} (${ch.kind}): ${base} unreachable (${r.error}); check apiBase and the network`,
          }
        : { ok: true, line: `channel ${ch.id} (${ch.kind}): ${base} reachable (HTTP ${r.status})` },
    );
  }
  if (config.chat.wecom) out.push(...(await wecomDoctor(config, silentLogger())));
  if (!tg && !config.chat.wecom)
    out.push({ ok: true, line: "chat: no Telegram or WeCom configured; alerts go to the console" });
  out.push(...unknownChatFindings(config));
  out.push(...opsFindings(config));
  out.push(...exposedTokenFindings(config, tr));
  return out.map(oneLine);
}
