import type { PushOutcome } from "../../src/channels/types.js";

/** The failed outcome, or a test failure saying what came back instead. */
export function failure(o: PushOutcome | undefined): Extract<PushOutcome, { ok: false }> {
  if (!o || o.ok) throw new Error(`expected a failed push outcome, got ${JSON.stringify(o)}`);
  return o;
}
