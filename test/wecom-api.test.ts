import ky from "ky";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWecomApi, type WecomApi } from "../src/chat/wecom/api-client.js";
import { manualClock } from "../src/clock.js";
import { silentLogger } from "../src/log.js";
import { startWecomSimulator, type WecomSimulator } from "../src/sandbox/wecom.js";
import { UpstreamError } from "../src/upstream/errors.js";

const app = {
  corpId: "wwcorp0000000001",
  corpSecret: "corp-secret-abcdef",
  agentId: 1000002,
  token: "cbtoken",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
};
const clock = manualClock("2026-11-20T08:00:00Z");
let sim: WecomSimulator;

beforeEach(async () => {
  sim = await startWecomSimulator({ ...app, robotKeys: [], clock });
});
afterEach(() => sim.close());

const makeApi = (secret = app.corpSecret): WecomApi =>
  createWecomApi({
    http: ky.create({ timeout: 5000 }),
    apiBase: sim.url,
    corpId: app.corpId,
    secret,
    agentId: app.agentId,
    clock,
    log: silentLogger(),
  });
const text = (content: string) => ({ touser: "zhangsan", msgtype: "text", text: { content } });

describe("WeCom app API client", () => {
  it("fetches one token for many sends, with agentid filled in", async () => {
    const api = makeApi();
    await Promise.all([api.sendMessage(text("a")), api.sendMessage(text("b")), api.sendMessage(text("c"))]);
    expect(sim.tokensIssued()).toBe(1);
    expect(sim.appMessages().map((m) => m.agentid)).toEqual([app.agentId, app.agentId, app.agentId]);
  });

  it("refreshes the token when WeCom revokes it early (40014) and resends once", async () => {
    const api = makeApi();
    await api.sendMessage(text("before"));
    sim.revokeTokens();
    await api.sendMessage(text("after"));
    expect(sim.tokensIssued()).toBe(2);
    expect(sim.requests.filter((r) => r.path === "/cgi-bin/message/send").map((r) => r.errcode)).toEqual([0, 40014, 0]);
  });

  it("refreshes a token shortly before its expires_in runs out", async () => {
    const api = makeApi();
    await api.sendMessage(text("one"));
    clock.advance(7200_000 - 60_000);
    await api.sendMessage(text("two"));
    expect(sim.tokensIssued()).toBe(2);
    expect(sim.requests.filter((r) => r.errcode === 42001)).toEqual([]);
  });

  it("reports a wrong secret as a typed, non-retryable error without the secret in its text", async () => {
    const err = await makeApi("wrong-secret-xyz")
      .accessToken()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ provider: "wecom", providerCode: "40001", retryable: false });
    expect(JSON.stringify({ m: (err as Error).message, d: (err as UpstreamError).details })).not.toContain(
      "wrong-secret-xyz",
    );
  });

  it("returns the card's response_code and accepts it once for update_template_card", async () => {
    const api = makeApi();
    const sent = await api.sendMessage({
      touser: "zhangsan",
      msgtype: "template_card",
      template_card: { card_type: "button_interaction", task_id: "t-1" },
    });
    expect(sent.responseCode).toBeTruthy();
    await api.updateTemplateCard({
      userids: ["zhangsan"],
      response_code: sent.responseCode,
      button: { replace_name: "done" },
    });
    const again = await api
      .updateTemplateCard({ userids: ["zhangsan"], response_code: sent.responseCode, button: { replace_name: "done" } })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ providerCode: "40078" });
  });

  it("turns an unreachable server into a retryable upstream error", async () => {
    await sim.close();
    const err = await makeApi()
      .accessToken()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ provider: "wecom", retryable: true });
    sim = await startWecomSimulator({ ...app, robotKeys: [], clock });
  });
});
