import { describe, expect, it } from "vitest";
import { createCallbackCrypto, WecomCallbackError } from "../src/chat/wecom/crypto-callback.js";
import { AppEnvelopeSchema, AppMessageSchema, parseWecomXml } from "../src/chat/wecom/wire.js";
import { manualClock } from "../src/clock.js";

// Official sample vectors (shared/reference/chat.md §B6, set 1 = weworkapi_python callback/Sample.py; set 2 = doc 90968).
const set1 = {
  token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
  encodingAesKey: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
  corpId: "ww1436e0e65a779aee",
  get: {
    msgSignature: "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
    timestamp: "1476416373",
    nonce: "47744683",
    echostr: "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
  },
  post: {
    msgSignature: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
    timestamp: "1476422779",
    nonce: "1597212914",
    body: "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>",
  },
};
const set2 = {
  token: "QDG6eK",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  corpId: "wx5823bf96d3bd56c7",
  get: {
    msgSignature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    timestamp: "1409659589",
    nonce: "263014780",
    echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
  },
  post: {
    msgSignature: "477715d11cdb4164915debcba66cb864d751f3e6",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt:
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
  },
};

const cryptoAt = (
  set: typeof set1 | typeof set2,
  unixSeconds: string,
  over: Partial<{ receiveId: string; token: string; windowSeconds: number }> = {},
) =>
  createCallbackCrypto({
    token: over.token ?? set.token,
    encodingAesKey: set.encodingAesKey,
    receiveId: over.receiveId ?? set.corpId,
    clock: manualClock(new Date(Number(unixSeconds) * 1000)),
    windowSeconds: over.windowSeconds ?? 600,
  });

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WecomCallbackError);
    return (err as WecomCallbackError).code;
  }
  return "no error";
};

describe("WeCom callback crypto against the official sample vectors", () => {
  it("verifies the set-1 URL check and returns the echo plaintext", () => {
    expect(cryptoAt(set1, set1.get.timestamp).verifyUrl(set1.get)).toBe("1288432023552776189");
  });

  it("verifies and decrypts the set-1 message POST exactly as sent", () => {
    const env = AppEnvelopeSchema.parse(parseWecomXml(set1.post.body));
    expect(env.AgentID).toBe("1000002");
    const xml = cryptoAt(set1, set1.post.timestamp).open(set1.post, env.Encrypt);
    const msg = AppMessageSchema.parse(parseWecomXml(xml));
    expect(msg).toMatchObject({
      FromUserName: "ChenJiaShun",
      MsgType: "text",
      Content: "你好",
      MsgId: "1456453720",
      CreateTime: "1476422779",
    });
  });

  it("verifies the set-2 URL check and message POST, keeping the 19-digit MsgId exact", () => {
    expect(cryptoAt(set2, set2.get.timestamp).verifyUrl(set2.get)).toBe("1616140317555161061");
    const msg = AppMessageSchema.parse(
      parseWecomXml(cryptoAt(set2, set2.post.timestamp).open(set2.post, set2.post.encrypt)),
    );
    expect(msg).toMatchObject({
      FromUserName: "mycreate",
      Content: "hello",
      MsgId: "4561255354251345929",
      AgentID: "218",
    });
  });

  it("refuses a signature that is off by one character", () => {
    const bad = { ...set1.get, msgSignature: set1.get.msgSignature.replace(/.$/, "c") };
    expect(codeOf(() => cryptoAt(set1, set1.get.timestamp).verifyUrl(bad))).toBe("bad_signature");
  });

  it("refuses a payload encrypted for another corp id", () => {
    expect(
      codeOf(() => cryptoAt(set1, set1.get.timestamp, { receiveId: "ww0000000000000000" }).verifyUrl(set1.get)),
    ).toBe("bad_receive_id");
  });

  it("refuses the sample once it is older than the window, and accepts it at the window's edge", () => {
    const later = String(Number(set1.get.timestamp) + 601);
    expect(codeOf(() => cryptoAt(set1, later).verifyUrl(set1.get))).toBe("stale_timestamp");
    expect(cryptoAt(set1, String(Number(set1.get.timestamp) + 600)).verifyUrl(set1.get)).toBe("1288432023552776189");
    expect(
      codeOf(() => cryptoAt(set1, String(Number(set1.get.timestamp) + 60), { windowSeconds: 30 }).verifyUrl(set1.get)),
    ).toBe("stale_timestamp");
  });

  it("re-encrypts the set-1 message byte for byte when given the same random", async () => {
    const { decrypt } = await import("@wecom/crypto");
    const env = AppEnvelopeSchema.parse(parseWecomXml(set1.post.body));
    const plain = decrypt(set1.encodingAesKey, env.Encrypt);
    const sealed = cryptoAt(set1, set1.post.timestamp).seal(plain.message, {
      timestamp: set1.post.timestamp,
      nonce: set1.post.nonce,
      random: plain.random,
    });
    expect(sealed).toEqual({
      encrypt: env.Encrypt,
      msgSignature: set1.post.msgSignature,
      timestamp: set1.post.timestamp,
      nonce: set1.post.nonce,
    });
  });

  it("rejects a body that is not WeCom XML", () => {
    expect(codeOf(() => parseWecomXml('{"encrypt":1}'))).toBe("malformed_callback");
    expect(() => AppEnvelopeSchema.parse(parseWecomXml("<xml><ToUserName>x</ToUserName></xml>"))).toThrow();
  });
});
