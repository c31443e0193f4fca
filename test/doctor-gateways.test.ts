import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ChannelConfig, parseConfig } from "../src/config.js";
import { gatewayCredentialFinding } from "../src/doctor-gateways.js";
import { createI18n } from "../src/i18n/translator.js";
import { startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { startTaobaoSandbox } from "../src/sandbox/taobao.js";

const i18n = createI18n({ timeZone: "UTC" });
const en = i18n.translator("en");
const zh = i18n.translator("zh-CN");
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const channel = (ch: Record<string, unknown>): ChannelConfig =>
  parseConfig({ database: ":memory:", channels: [ch] }, {}).channels[0]!;

describe("doctor: Taobao and Pinduoduo credentials (issue 19)", () => {
  it("Taobao: a signed taobao.items.onsale.get passes; a wrong secret, app key or an expired session names the setting", async () => {
    const tb = await startTaobaoSandbox({ appKey: "12345678", appSecret: "s3cret-0123456789", session: "sess-1" });
    closers.push(() => tb.close());
    const cfg = (over: Record<string, unknown> = {}) =>
      channel({
        id: "tb",
        kind: "taobao",
        apiBase: tb.url,
        appKey: "12345678",
        appSecret: "s3cret-0123456789",
        session: "sess-1",
        ...over,
      });

    expect(await gatewayCredentialFinding(cfg(), en)).toEqual({
      ok: true,
      line: `channel tb (taobao): ${tb.url} accepted the app credentials and the seller authorisation`,
    });
    expect(tb.requests.map((r) => [r.method, r.httpMethod, r.isSignValid, r.params.page_size])).toEqual([
      ["taobao.items.onsale.get", "POST", true, "1"],
    ]);
    // The secret never travels: only its signature.
    expect(JSON.stringify(tb.requests[0]!.params)).not.toContain("s3cret-0123456789");

    expect((await gatewayCredentialFinding(cfg({ appSecret: "wrong-secret-000" }), en))?.line).toBe(
      "channel tb (taobao): refused (code 25); check channels[tb].appSecret / signMethod",
    );
    expect((await gatewayCredentialFinding(cfg({ appKey: "999" }), en))?.line).toBe(
      "channel tb (taobao): refused (code 29); check channels[tb].appKey",
    );
    tb.expireSession();
    const expired = await gatewayCredentialFinding(cfg(), zh);
    expect(expired).toEqual({ ok: false, line: "渠道 tb（taobao）：被拒绝（错误码 27）；请检查 channels[tb].session" });
  });

  it("Pinduoduo: a signed pdd.goods.list.get passes; an unknown client id, a wrong secret or an expired token names the setting", async () => {
    const pdd = await startPinduoduoSandbox({
      clientId: "cid-1",
      clientSecret: "pdd-secret-0123",
      accessToken: "tok-1",
    });
    closers.push(() => pdd.close());
    const cfg = (over: Record<string, unknown> = {}) =>
      channel({
        id: "pdd",
        kind: "pinduoduo",
        apiBase: pdd.url,
        clientId: "cid-1",
        clientSecret: "pdd-secret-0123",
        accessToken: "tok-1",
        ...over,
      });

    expect((await gatewayCredentialFinding(cfg(), en))?.ok).toBe(true);
    expect(pdd.requests.map((r) => [r.type, r.isSignValid, r.params.page_size])).toEqual([
      ["pdd.goods.list.get", true, "1"],
    ]);
    expect((await gatewayCredentialFinding(cfg({ clientId: "nobody" }), en))?.line).toBe(
      "channel pdd (pinduoduo): refused (code 10016); check channels[pdd].clientId",
    );
    expect((await gatewayCredentialFinding(cfg({ clientSecret: "wrong-secret" }), en))?.line).toBe(
      "channel pdd (pinduoduo): refused (code 20004); check channels[pdd].clientSecret",
    );
    pdd.expireToken();
    expect((await gatewayCredentialFinding(cfg(), en))?.line).toBe(
      "channel pdd (pinduoduo): refused (code 10019); check channels[pdd].accessToken",
    );
  });

  it("an unreachable gateway is one line naming apiBase; other kinds are not probed here", async () => {
    // A port that was just free: nothing listens on it.
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const ch = channel({
      id: "tb",
      kind: "taobao",
      apiBase: `http://127.0.0.1:${port}`,
      appKey: "1",
      appSecret: "s3cret-0123456789",
      session: "s",
    });
    const f = await gatewayCredentialFinding(ch, en, 2000);
    expect(f?.ok).toBe(false);
    expect(f?.line).toBe(
      `channel tb (taobao): http://127.0.0.1:${port} unreachable (connection refused); check apiBase and the network`,
    );
    // Issue 15: the cause in the reader's language, not "(TypeError)".
    expect((await gatewayCredentialFinding(ch, zh, 2000))?.line).toBe(
      `渠道 tb（taobao）：无法连接 http://127.0.0.1:${port}（连接被拒绝）；请检查 apiBase 和网络`,
    );
    const woo = channel({
      id: "w",
      kind: "woocommerce",
      apiBase: "https://shop.example.com",
      consumerKey: "ck_x",
      consumerSecret: "cs_x",
    });
    expect(await gatewayCredentialFinding(woo, en)).toBeUndefined();
  });
});
