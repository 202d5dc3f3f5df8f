import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";

import { decodeSessionJwt } from "./session-jwt";

const SECRET = "session-jwt-test-secret-0123456789abcdef";
const CLAIMS = { sub: "user-1", sid: "session-1", name: "Ada" };

afterEach(() => {
  vi.useRealTimers();
});

/** A base64url part of the token, changed in one character. */
function tamper(token: string, part: number): string {
  const parts = token.split(".");
  const text = parts[part] ?? "";
  parts[part] = (text[0] === "A" ? "B" : "A") + text.slice(1);
  return parts.join(".");
}

describe("decodeSessionJwt (next-auth's session token, opened synchronously)", () => {
  it("opens what next-auth's encode produced, claims included", async () => {
    const token = await encode({ token: CLAIMS, secret: SECRET });
    const payload = await decodeSessionJwt({ token, secret: SECRET });
    expect(payload).toMatchObject({ ...CLAIMS, iat: expect.any(Number), exp: expect.any(Number), jti: expect.any(String) });
    // The key is cached per secret: a second token opens the same way.
    expect(await decodeSessionJwt({ token: await encode({ token: { sub: "user-2" }, secret: SECRET }), secret: SECRET })).toMatchObject({ sub: "user-2" });
  });

  it("answers null for no token", async () => {
    expect(await decodeSessionJwt({ token: undefined, secret: SECRET })).toBeNull();
  });

  it("refuses another secret, and a token changed anywhere", async () => {
    const token = await encode({ token: CLAIMS, secret: SECRET });
    await expect(decodeSessionJwt({ token, secret: `${SECRET}-other` })).rejects.toThrow();
    for (const part of [0, 2, 3, 4]) await expect(decodeSessionJwt({ token: tamper(token, part), secret: SECRET })).rejects.toThrow();
    await expect(decodeSessionJwt({ token: token.split(".").slice(0, 4).join("."), secret: SECRET })).rejects.toThrow(/compact JWE/);
  });

  it("refuses an expired token, within next-auth's 15 s clock tolerance", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00.000Z"));
    const token = await encode({ token: CLAIMS, secret: SECRET, maxAge: 60 });
    vi.setSystemTime(new Date("2030-01-01T00:01:10.000Z")); // 10 s past exp: tolerated
    expect(await decodeSessionJwt({ token, secret: SECRET })).toMatchObject({ sub: "user-1" });
    vi.setSystemTime(new Date("2030-01-01T00:01:16.000Z"));
    await expect(decodeSessionJwt({ token, secret: SECRET })).rejects.toThrow(/expired/);
  });

  it("refuses a salted token (next-auth uses salts for other purposes than the session)", async () => {
    const token = await encode({ token: CLAIMS, secret: SECRET, salt: "other" });
    await expect(decodeSessionJwt({ token, secret: SECRET, salt: "other" })).rejects.toThrow(/salted/);
    await expect(decodeSessionJwt({ token, secret: SECRET })).rejects.toThrow();
  });
});
