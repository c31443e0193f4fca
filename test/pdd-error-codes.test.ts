import { describe, expect, it } from "vitest";
import { mapPddError } from "../src/channels/pinduoduo.js";
import { UpstreamError } from "../src/upstream/errors.js";

// The common error table of Pinduoduo's API pages (captured copy of open.pinduoduo.com, pdd.*.get pages).
describe("mapPddError: codes a seller meets (issue 19)", () => {
  const kindOf = (error_code: number) => {
    const e = mapPddError({ error_code }, "pdd.goods.list.get", "pdd1");
    return e instanceof UpstreamError ? `${e.kind}/${e.code}` : `config/${e.code}`;
  };

  it("maps each to the right kind", () => {
    expect(kindOf(10016)).toBe("config/pdd_bad_client_id");
    expect(kindOf(20032)).toBe("auth/upstream_auth");
    expect(kindOf(20035)).toBe("config/pdd_wrong_gateway");
    expect(kindOf(20034)).toBe("rejected/upstream_rejected");
    expect(kindOf(52004)).toBe("rejected/upstream_rejected");
    expect(kindOf(70033)).toBe("network/upstream_unavailable");
    expect(kindOf(70036)).toBe("auth/upstream_quota_exhausted");
    expect(kindOf(70034)).toBe("auth/upstream_auth");
    expect(kindOf(52101)).toBe("throttled/upstream_throttled");
    expect(kindOf(10019)).toBe("auth/upstream_token_expired");
  });
});
