import { wecomDoctor } from "./app.js";
import { unknownChatFindings } from "./chat/unknown-chats-doctor.js";
import type { Config } from "./config.js";
import { translatorFor } from "./disk-full.js";
import { channelCredentialFinding, exposedTokenFindings, networkCause } from "./doctor-credentials.js";
import { gatewayCredentialFinding } from "./doctor-gateways.js";
import { oneLine, opsFindings } from "./doctor-ops.js";
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
    return { error: networkCause(err) };
  }
}

/** Checks the config, the ledger and every configured remote API; each problem is one line that says what to do. */
export async function runDoctor(config: Config, source: string): Promise<Finding[]> {
  const tr = translatorFor(config, "cli");
  const out: Finding[] = [{ ok: true, line: tr.t("doctor-config-ok", { source }) }];
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
            line: tr.t("doctor-ledger-ok", {
              database: config.database,
              applied: applied.n,
              total: migrations.length,
            }),
          }
        : { ok: false, line: tr.t("doctor-ledger-corrupt", { database: config.database, check: String(check) }) },
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
      line: tr.t("doctor-ledger-unopenable", { database: config.database, reason: (err as Error).message }),
    });
  }
  const tg = config.chat.telegram;
  if (tg) {
    const r = await reach(`${tg.apiRoot}/bot${tg.token}/getMe`);
    if ("error" in r)
      out.push({
        ok: false,
        line: tr.t("doctor-telegram-unreachable", {
          root: tg.apiRoot,
          reason: tr.t("doctor-net-cause", { code: r.error }),
        }),
      });
    else if (r.status === 401) out.push({ ok: false, line: tr.t("doctor-telegram-refused") });
    else if (r.status !== 200)
      out.push({ ok: false, line: tr.t("doctor-telegram-http", { status: String(r.status) }) });
    else
      out.push({
        ok: true,
        line: tr.t("doctor-telegram-ok", {
          username: (JSON.parse(r.body) as { result?: { username?: string } }).result?.username ?? "?",
        }),
      });
  }
  for (const ch of config.channels) {
    // Shopify, WooCommerce, Amazon, eBay, webhook, Taobao, Pinduoduo: one signed call, so a refused credential fails instead of "reachable (HTTP 401)".
    const signed = (await channelCredentialFinding(ch, tr)) ?? (await gatewayCredentialFinding(ch, tr));
    if (signed) {
      out.push(signed);
      continue;
    }
    const base = "apiBase" in ch ? ch.apiBase : undefined;
    if (!base) {
      out.push({ ok: true, line: tr.t("doctor-channel-no-base", { id: ch.id, kind: ch.kind }) });
      continue;
    }
    const r = await reach(base, { method: "HEAD" });
    out.push(
      "error" in r
        ? {
            ok: false,
            line: tr.t("doctor-channel-unreachable", {
              id: ch.id,
              kind: ch.kind,
              base,
              reason: tr.t("doctor-net-cause", { code: r.error }),
            }),
          }
        : {
            ok: true,
            line: tr.t("doctor-channel-reachable", { id: ch.id, kind: ch.kind, base, status: String(r.status) }),
          },
    );
  }
  if (config.chat.wecom) out.push(...(await wecomDoctor(config, silentLogger())));
  if (!tg && !config.chat.wecom) out.push({ ok: true, line: tr.t("doctor-chat-console") });
  out.push(...unknownChatFindings(config));
  out.push(...opsFindings(config));
  out.push(...exposedTokenFindings(config, tr));
  return out.map(oneLine);
}
