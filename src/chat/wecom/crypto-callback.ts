import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { decrypt, encrypt } from "@wecom/crypto";
import type { Clock } from "../../clock.js";
import { AppError } from "../../errors.js";
import { localized } from "../../i18n/errors.js";
import { textRef } from "../../i18n/ref.js";

/** A callback that failed verification; the HTTP layer answers 403 (or 400 for `malformed_callback`) and logs the code. */
export class WecomCallbackError extends AppError {}

/** The query parameters WeCom signs every callback with (already URL-decoded). */
export interface SignedQuery {
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

/** An encrypted reply ready to be wrapped in XML (app) or JSON (AI bot). */
export interface SealedMessage {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

/** Verifies, decrypts and encrypts WeCom callbacks for one receiver (a self-built app or an AI bot). */
export interface CallbackCrypto {
  /** GET URL verification: checks the signature over `echostr` and returns its plaintext, to be echoed verbatim. */
  verifyUrl(q: SignedQuery & { echostr: string }): string;
  /** POST: checks signature, timestamp window and receive id, and returns the decrypted message (XML or JSON text). */
  open(q: SignedQuery, encrypted: string): string;
  /** Encrypts and signs a passive reply (or, in the simulator, a callback) the way WeCom does. */
  seal(message: string, opts?: { timestamp?: string; nonce?: string; random?: Buffer }): SealedMessage;
}

/** Settings for {@link createCallbackCrypto}. */
export interface CallbackCryptoOptions {
  token: string;
  encodingAesKey: string;
  /** corp id for a self-built app; "" for an internal AI bot. */
  receiveId: string;
  clock: Clock;
  /** Callbacks whose timestamp is further than this from now are refused (replay protection). */
  windowSeconds: number;
}

/** `sha1(sort([token, timestamp, nonce, encrypt]).join(""))`, hex: WeCom's msg_signature. */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash("sha1").update([token, timestamp, nonce, encrypted].sort().join("")).digest("hex");
}

/**
 * Builds the callback crypto for one receiver. The order of checks matters: `@wecom/crypto` decrypts with a
 * wrong key without throwing (it returns garbage), so the signature is checked first, in constant time, and
 * the receive id afterwards.
 *
 * @example
 * const c = createCallbackCrypto({ token, encodingAesKey, receiveId: corpId, clock, windowSeconds: 600 });
 * const xml = c.open({ msgSignature, timestamp, nonce }, envelope.Encrypt);
 */
export function createCallbackCrypto(opts: CallbackCryptoOptions): CallbackCrypto {
  if (!/^[A-Za-z0-9+/]{43}$/.test(opts.encodingAesKey)) {
    throw localized(AppError, "wecom_bad_aes_key", textRef("wecom-bad-aes-key"));
  }

  const checkSignature = (q: SignedQuery, encrypted: string): void => {
    const expected = Buffer.from(wecomSignature(opts.token, q.timestamp, q.nonce, encrypted), "utf8");
    const given = Buffer.from(q.msgSignature.toLowerCase(), "utf8");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw localized(WecomCallbackError, "bad_signature", textRef("wecom-cb-bad-signature"));
    }
  };

  const checkTimestamp = (timestamp: string): void => {
    if (!/^\d{1,12}$/.test(timestamp))
      throw localized(WecomCallbackError, "malformed_callback", textRef("wecom-cb-bad-timestamp"));
    const skew = Math.abs(opts.clock.now().getTime() / 1000 - Number(timestamp));
    if (skew > opts.windowSeconds) {
      throw localized(WecomCallbackError, "stale_timestamp", textRef("wecom-cb-stale"), {
        skewSeconds: Math.round(skew),
      });
    }
  };

  const unseal = (encrypted: string): string => {
    let plain: { message: string; id: string };
    try {
      plain = decrypt(opts.encodingAesKey, encrypted);
    } catch {
      throw localized(WecomCallbackError, "malformed_callback", textRef("wecom-cb-no-decrypt"));
    }
    if (plain.id !== opts.receiveId) {
      throw localized(WecomCallbackError, "bad_receive_id", textRef("wecom-cb-other-receiver"), {
        receiveId: plain.id.slice(0, 64),
      });
    }
    return plain.message;
  };

  const requireFields = (q: SignedQuery, encrypted: string): void => {
    if (!q.msgSignature || !q.timestamp || !q.nonce || !encrypted) {
      throw localized(WecomCallbackError, "malformed_callback", textRef("wecom-cb-missing"));
    }
  };

  return {
    verifyUrl(q) {
      requireFields(q, q.echostr);
      checkSignature(q, q.echostr);
      checkTimestamp(q.timestamp);
      return unseal(q.echostr);
    },
    open(q, encrypted) {
      requireFields(q, encrypted);
      checkSignature(q, encrypted);
      checkTimestamp(q.timestamp);
      return unseal(encrypted);
    },
    seal(message, o = {}) {
      const timestamp = o.timestamp ?? String(Math.floor(opts.clock.now().getTime() / 1000));
      const nonce = o.nonce ?? String(randomBytes(4).readUInt32BE(0));
      const encrypted = encrypt(opts.encodingAesKey, message, opts.receiveId, o.random ?? randomBytes(16));
      return {
        encrypt: encrypted,
        msgSignature: wecomSignature(opts.token, timestamp, nonce, encrypted),
        timestamp,
        nonce,
      };
    },
  };
}
