import type { Config } from "../config.js";
import { translatorFor } from "../disk-full.js";
import type { Finding } from "../doctor.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * doctor's dashboard lines: the pages carry session cookies, so when they are on and the server listens beyond
 * loopback they must be reached over https (`dashboard.publicUrl`, a TLS proxy in front), never plain HTTP.
 */
export function dashboardFindings(config: Config): Finding[] {
  const d = config.dashboard;
  if (!d.enabled || !config.http.enabled) return [];
  const tr = translatorFor(config, "cli");
  const https = (d.publicUrl ?? config.http.publicUrl ?? "").startsWith("https://");
  if (!LOOPBACK.has(config.http.host) && !https)
    return [{ ok: false, line: tr.t("dashboard-doctor-plain-http", { host: config.http.host }) }];
  return [
    {
      ok: true,
      line: tr.t("dashboard-doctor-ok", { url: d.publicUrl ?? `http://${config.http.host}:${config.http.port}` }),
    },
  ];
}
