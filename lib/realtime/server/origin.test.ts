import type { IncomingMessage } from "node:http";

import { describe, expect, it } from "vitest";

import { isOriginAllowed } from "./origin";

const HOST = "localhost:3000";
const LISTED = ["https://friend.example", "http://preview.example:8080"];

function request(headers: Record<string, string | undefined>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

const check = (origin: string | undefined, allowed: readonly string[] = LISTED) => isOriginAllowed(request({ host: HOST, origin }), allowed);

describe("isOriginAllowed", () => {
  it("allows a request without Origin (non-browser client; the token is still required)", () => {
    expect(check(undefined)).toBe(true);
    expect(isOriginAllowed(request({}), [])).toBe(true);
  });

  it.each([["http://localhost:3000"], ["https://localhost:3000"], ["HTTP://LOCALHOST:3000"]])("allows the same host: %s", (origin) => {
    expect(check(origin)).toBe(true);
  });

  it.each([["https://friend.example"], ["http://preview.example:8080"]])("allows a listed origin: %s", (origin) => {
    expect(check(origin)).toBe(true);
  });

  it.each([
    ["a foreign origin", "https://evil.example"],
    ["the literal null origin (sandboxed iframe, file:)", "null"],
    ["a malformed origin", "not a url"],
    ["an empty origin", ""],
    ["a look-alike host suffix", "http://localhost:3000.evil.com"],
    ["a look-alike subdomain of a listed origin", "https://friend.example.evil.com"],
    ["a look-alike prefix", "https://evilfriend.example"],
    ["the same host on another port", "http://localhost:3001"],
    ["the same host without port", "http://localhost"],
    ["a listed host with another scheme", "http://friend.example"],
    ["a listed host with another port", "http://preview.example:8081"],
    ["userinfo trickery", "http://localhost:3000@evil.com"],
  ])("refuses %s", (_label, origin) => {
    expect(check(origin)).toBe(false);
  });

  it("without a Host header only listed origins pass", () => {
    expect(isOriginAllowed(request({ origin: "http://localhost:3000" }), [])).toBe(false);
    expect(isOriginAllowed(request({ origin: "https://friend.example" }), LISTED)).toBe(true);
  });

  it("does not allow a listed origin when the allow-list is empty", () => {
    expect(check("https://friend.example", [])).toBe(false);
  });
});
