import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../bot/adapter.ts";
import { toDeliveryError } from "../../adapters/matrix/errors.ts";

const ctx = { botUserId: "@coopbot:hs", room: "Comms" };
// The shape matrix-bot-sdk's MatrixError has (statusCode, errcode, error, retryAfterMs, body).
const matrixError = (statusCode: number, errcode: string, error: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${errcode}: ${error}`), { statusCode, errcode, error, body: { errcode, error, ...extra }, ...("retry_after_ms" in extra ? { retryAfterMs: extra.retry_after_ms } : {}) });

describe("Matrix failures → what the dispatcher does", () => {
  it("M_LIMIT_EXCEEDED: wait exactly retry_after_ms", () => {
    const err = toDeliveryError(matrixError(429, "M_LIMIT_EXCEEDED", "Too Many Requests", { retry_after_ms: 980 }), ctx);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).opts).toEqual({ retryAfterMs: 980 });
    expect((toDeliveryError({ statusCode: 429, body: "slow down" }, ctx) as DeliveryError).opts.retryAfterMs).toBe(1000);
  });

  it("M_FORBIDDEN: give up, telling the driver how to fix it", () => {
    const noPower = toDeliveryError(matrixError(403, "M_FORBIDDEN", "You don't have permission to post that to the room. user_level (0) < send_level (50)"), ctx) as DeliveryError;
    expect(noPower.opts.permanent).toBe(true);
    expect(noPower.message).toMatch(/^I'm not allowed to post in Comms: give @coopbot:hs permission to post in Comms/);
    const notIn = toDeliveryError(matrixError(403, "M_FORBIDDEN", "User @coopbot:hs not in room !x:hs"), ctx) as DeliveryError;
    expect(notIn.opts.permanent).toBe(true);
    expect(notIn.message).toMatch(/^I'm not in Comms: invite @coopbot:hs to it/);
  });

  it("network errors, 5xx and a refused token: plain errors (back off and retry)", () => {
    for (const err of [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8008"), { code: "ECONNREFUSED" }), { statusCode: 502, body: "<html>Bad gateway</html>" }, matrixError(401, "M_UNKNOWN_TOKEN", "Unknown access token")]) {
      const out = toDeliveryError(err, ctx);
      expect(out).not.toBeInstanceOf(DeliveryError);
      expect(out).toBeInstanceOf(Error);
    }
  });

  it("other refusals (4xx): give up", () => {
    const err = toDeliveryError(matrixError(413, "M_TOO_LARGE", "event too large"), ctx) as DeliveryError;
    expect(err.opts.permanent).toBe(true);
    expect(err.message).toContain("M_TOO_LARGE");
  });
});

describe("what is worth retrying at start", () => {
  it("network failures, 5xx and rate limits; not refusals", async () => {
    const { isTransient } = await import("../../adapters/matrix/errors.ts");
    expect(isTransient(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isTransient({ statusCode: 502, body: "bad gateway" })).toBe(true);
    expect(isTransient(matrixError(429, "M_LIMIT_EXCEEDED", "slow down", { retry_after_ms: 10 }))).toBe(true);
    expect(isTransient(matrixError(403, "M_FORBIDDEN", "no"))).toBe(false);
    expect(isTransient(new TypeError("x is undefined"))).toBe(false);
  });
});
