import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), text: () => lines.join("") };
}

const BODY = "secret-message-body-7f3a";
const TOKEN = "eyJhbGciOiJIUzI1NiJ9.payload.signature-9c2e";
const PASSWORD = "hunter2-password-51d0";

describe("logger redaction", () => {
  it("keeps passwords, tokens, cookies and message bodies out of every line, at any usual depth", () => {
    const { logger, text } = capture();
    logger.info({ password: PASSWORD, token: TOKEN, body: BODY }, "top level");
    logger.info({ input: { body: BODY, password: PASSWORD }, auth: { token: TOKEN } }, "one level");
    logger.info({ payload: { message: { body: BODY } }, a: { b: { c: { token: TOKEN } } } }, "deeper");
    logger.info({ req: { headers: { cookie: `next-auth.session-token=${TOKEN}`, authorization: `Bearer ${TOKEN}` } } }, "headers");
    logger.info({ signal: { sdp: "v=0 c=IN IP4 203.0.113.7", candidate: "candidate:1 1 udp 1 203.0.113.7 5000 typ host" } }, "call signal");
    const out = text();
    expect(out).not.toContain(BODY);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain("203.0.113.7");
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(12);
  });

  it("child loggers carry userId and socketId on every line and keep redacting", () => {
    const { logger, text } = capture();
    const child = logger.child({ userId: "u1", socketId: "s1" });
    child.debug({ event: "chat:send", input: { body: BODY } }, "request failed");
    child.warn("socket error");
    const lines = text().trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatchObject({ userId: "u1", socketId: "s1", service: "parley" });
    expect(text()).not.toContain(BODY);
  });
});
