import { hkdfSync } from "node:crypto";

import { decodeJwt, jwtVerify, SignJWT, UnsecuredJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";

import { signSocketToken, verifySocketToken } from "./socket-token";

const SECRET = "socket-token-test-secret-0123456789abcdef";
const CLAIMS = { userId: "user-1", sid: "session-1" };

// Mirrors the module's derivation (HKDF-SHA256 of the auth secret, fixed salt/info) so tests can build
// tokens the product signer never would. The HS256 control proves the mirror is faithful.
const derivedKey = (secret: string) => new Uint8Array(hkdfSync("sha256", secret, "parley", "socket-token-v1", 32));

function handMade(alg: "HS256" | "HS512", key: Uint8Array, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: CLAIMS.sid, ...overrides })
    .setProtectedHeader({ alg, typ: "JWT" })
    .setSubject(CLAIMS.userId)
    .setIssuer("parley")
    .setAudience("parley:socket")
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("signSocketToken / verifySocketToken", () => {
  it("round-trips userId, sid and expiresAt", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00.000Z"));
    const { token, expiresAt } = await signSocketToken(SECRET, CLAIMS, 300);
    expect(expiresAt.toISOString()).toBe("2030-01-01T00:05:00.000Z");

    const result = await verifySocketToken(SECRET, token);
    expect(result).toEqual({ ok: true, claims: { userId: "user-1", sid: "session-1", expiresAt } });

    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ sub: "user-1", sid: "session-1", iss: "parley", aud: "parley:socket" });
    expect(typeof payload.jti).toBe("string");
  });

  it("is a standard HS256 JWT: jose verifies it with the derived key", async () => {
    const { token } = await signSocketToken(SECRET, CLAIMS, 300);
    const { payload, protectedHeader } = await jwtVerify(token, derivedKey(SECRET), { issuer: "parley", audience: "parley:socket", algorithms: ["HS256"] });
    expect(protectedHeader).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toMatchObject({ sub: "user-1", sid: "session-1", jti: expect.any(String) });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it("issues a distinct token each time (jti)", async () => {
    const a = await signSocketToken(SECRET, CLAIMS, 60);
    const b = await signSocketToken(SECRET, CLAIMS, 60);
    expect(a.token).not.toBe(b.token);
  });

  it("reports an expired token as expired, and not before it expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00.000Z"));
    const { token } = await signSocketToken(SECRET, CLAIMS, 60);

    vi.setSystemTime(new Date("2030-01-01T00:00:59.000Z"));
    expect((await verifySocketToken(SECRET, token)).ok).toBe(true);

    vi.setSystemTime(new Date("2030-01-01T00:01:01.000Z"));
    expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "expired" });
  });

  it("reports a token issued already expired as expired", async () => {
    const { token } = await signSocketToken(SECRET, CLAIMS, -60);
    expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token signed with another secret", async () => {
    const { token } = await signSocketToken("another-secret-0123456789abcdef-xyz", CLAIMS, 60);
    expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a token whose payload was tampered with", async () => {
    const { token } = await signSocketToken(SECRET, CLAIMS, 60);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "admin-user" })).toString("base64url");
    expect(await verifySocketToken(SECRET, `${header}.${forged}.${signature}`)).toEqual({ ok: false, reason: "invalid" });
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["an empty string", ""],
    ["a number", 12_345],
    ["an object", { token: "x" }],
  ])("reports %s as missing", async (_label, token) => {
    expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([["garbage"], ["a.b.c"], ["..."]])("reports %j as invalid", async (token) => {
    expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("is not fooled by the raw auth secret as an HS256 key (a next-auth-style key is not a socket key)", async () => {
    const token = await handMade("HS256", new TextEncoder().encode(SECRET));
    expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
  });

  describe("algorithm pinning", () => {
    it("control: a hand-made HS256 token with the derived key is accepted", async () => {
      const token = await handMade("HS256", derivedKey(SECRET));
      const result = await verifySocketToken(SECRET, token);
      expect(result.ok).toBe(true);
    });

    it("refuses an unsigned alg:none token", async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = new UnsecuredJWT({ sid: CLAIMS.sid })
        .setSubject(CLAIMS.userId)
        .setIssuer("parley")
        .setAudience("parley:socket")
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .encode();
      expect(token.endsWith(".")).toBe(true);
      expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
    });

    it("refuses an HS512 token signed with the same derived key", async () => {
      const token = await handMade("HS512", derivedKey(SECRET));
      expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
    });
  });

  describe("claim checks", () => {
    it("refuses a token without sid", async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(CLAIMS.userId)
        .setIssuer("parley")
        .setAudience("parley:socket")
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(derivedKey(SECRET));
      expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
    });

    it("refuses a non-string sid", async () => {
      const token = await handMade("HS256", derivedKey(SECRET), { sid: 42 });
      expect(await verifySocketToken(SECRET, token)).toEqual({ ok: false, reason: "invalid" });
    });

    it("refuses a wrong audience or issuer", async () => {
      const now = Math.floor(Date.now() / 1000);
      const build = (issuer: string, audience: string) =>
        new SignJWT({ sid: CLAIMS.sid })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(CLAIMS.userId)
          .setIssuer(issuer)
          .setAudience(audience)
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .sign(derivedKey(SECRET));
      expect(await verifySocketToken(SECRET, await build("parley", "parley:other"))).toEqual({ ok: false, reason: "invalid" });
      expect(await verifySocketToken(SECRET, await build("someone-else", "parley:socket"))).toEqual({ ok: false, reason: "invalid" });
    });
  });
});
