// Attachments over real HTTP against the real server process: uploads with real session cookies,
// downloads by other members, everything that must be refused, and the service calls the chat
// server makes (linking, cleanup) against the same database and upload directory.
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AttachmentDto } from "@/lib/realtime/protocol";
import { deleteStaleUploads, linkAttachments } from "@/lib/services/attachment-service";
import { createLocalDiskStorage } from "@/lib/storage/local-disk-storage";
import { MAX_ATTACHMENT_BYTES, MAX_FILE_NAME_LENGTH, UNSUPPORTED_MEDIA_TYPE, UPLOADS_PER_MINUTE } from "@/lib/validations/attachments";
import { connectSocket, fetchSocketToken, registerUser, type RegisteredUser } from "@/test/support/clients";
import { sampleExe, sampleGif, samplePdf, samplePng } from "@/test/support/sample-files";
import { startServer, type TestServer } from "@/test/support/server";
import { endlessBody, readJson, uploadUrl } from "@/test/support/uploads";

let server: TestServer;
let db: PrismaClient;
let peer: RegisteredUser;
let outsider: RegisteredUser;
// A fresh uploader and conversation per test: the upload budget is per user.
let uploader: RegisteredUser;
let conversationId: string;

type Upload = { bytes: Uint8Array; name: string; type: string };
type UploadResult = { status: number; body: unknown; headers: Headers };

const SAFE_CSP = "default-src 'none'; sandbox";

async function upload(cookie: string | null, targetConversationId: string, file: Upload): Promise<UploadResult> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  const response = await fetch(uploadUrl(server.url, targetConversationId), { method: "POST", body: form, headers: cookie ? { cookie } : {} });
  return { status: response.status, body: await readJson(response), headers: response.headers };
}

/** A multipart body written by hand, for what FormData would escape or never send. */
function multipart(parts: { name: string; fileName?: string; type?: string; bytes: Uint8Array }[]): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `----parley${randomUUID()}`;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const fileName = part.fileName === undefined ? "" : `; filename="${part.fileName}"`;
    const type = part.type === undefined ? "" : `\r\nContent-Type: ${part.type}`;
    chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${fileName}${type}\r\n\r\n`), part.bytes, encoder.encode("\r\n"));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function postRaw(cookie: string, targetConversationId: string, body: BodyInit, contentType: string): Promise<UploadResult> {
  const response = await fetch(uploadUrl(server.url, targetConversationId), {
    method: "POST",
    body,
    headers: { cookie, "content-type": contentType },
    duplex: "half",
  } as RequestInit);
  return { status: response.status, body: await readJson(response), headers: response.headers };
}

function expectError(result: UploadResult, status: number, code: string): void {
  expect({ status: result.status, code: (result.body as { error?: { code?: string } }).error?.code }).toEqual({ status, code });
}

async function download(cookie: string | null, url: string, method = "GET"): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const response = await fetch(`${server.url}${url}`, { method, headers: cookie ? { cookie } : {} });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

async function createConversation(memberIds: string[]): Promise<string> {
  const conversation = await db.conversation.create({
    data: { kind: "group", name: "Files", createdById: memberIds[0]!, memberships: { create: memberIds.map((userId) => ({ userId })) } },
  });
  return conversation.id;
}

async function createMessage(targetConversationId: string, authorId: string): Promise<string> {
  const last = await db.message.count({ where: { conversationId: targetConversationId } });
  const message = await db.message.create({
    data: { conversationId: targetConversationId, seq: last + 1, version: last + 1, authorId, clientMessageId: randomUUID(), body: "" },
  });
  return message.id;
}

function uploadsDir(targetConversationId?: string): string {
  return targetConversationId ? path.join(server.dataDir, "uploads", targetConversationId) : path.join(server.dataDir, "uploads");
}

function storedFiles(targetConversationId: string): string[] {
  const dir = uploadsDir(targetConversationId);
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function expectNothingStored(targetConversationId: string): Promise<void> {
  expect(await db.attachment.count({ where: { conversationId: targetConversationId } })).toBe(0);
  expect(storedFiles(targetConversationId)).toEqual([]);
}

async function uploadOk(file: Upload, cookie = uploader.cookie, target = conversationId): Promise<AttachmentDto> {
  const result = await upload(cookie, target, file);
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body as AttachmentDto;
}

beforeAll(async () => {
  server = await startServer({ env: { AUTH_ATTEMPTS_PER_MINUTE: "1000" } });
  // The server's own database (SQLite file or PostgreSQL), for the service calls the chat server makes.
  db = createPrismaClient(server.databaseUrl).client;
  [peer, outsider] = await Promise.all([registerUser(server), registerUser(server)]);
});

afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

// Refusals are answers, not failures: the server logs no error (pino 50) or fatal (60) for any of them.
afterEach(() => {
  expect(server.output()).not.toMatch(/"level":(50|60)/);
});

beforeEach(async () => {
  uploader = await registerUser(server);
  conversationId = await createConversation([uploader.id, peer.id]);
});

describe("uploading", () => {
  it("a member uploads a PNG: 201 with its DTO and real dimensions, an unlinked row and the stored bytes", async () => {
    const png = samplePng(37, 21);
    const dto = await uploadOk({ bytes: png, name: "chart.png", type: "image/png" });

    expect(dto).toEqual({
      id: expect.any(String),
      fileName: "chart.png",
      contentType: "image/png",
      size: png.length,
      width: 37,
      height: 21,
      url: `/api/attachments/${dto.id}`,
    });
    const row = await db.attachment.findUniqueOrThrow({ where: { id: dto.id } });
    expect(row).toMatchObject({ conversationId, uploaderId: uploader.id, messageId: null });
    const [keyFolder, keyName] = row.storageKey.split("/");
    expect(keyFolder).toBe(conversationId);
    expect(keyName).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(new Uint8Array(readFileSync(path.join(uploadsDir(), ...row.storageKey.split("/"))))).toEqual(png);
  });

  it("a member uploads a PDF and a GIF: files have no dimensions, images do", async () => {
    const pdf = await uploadOk({ bytes: samplePdf(), name: "minutes.pdf", type: "application/pdf" });
    expect(pdf).toMatchObject({ fileName: "minutes.pdf", contentType: "application/pdf", size: samplePdf().length, width: null, height: null });
    const gif = await uploadOk({ bytes: sampleGif(12, 34), name: "wave.gif", type: "image/gif" });
    expect(gif).toMatchObject({ contentType: "image/gif", width: 12, height: 34 });
  });

  it("strips path parts, control and bidi characters from the name; the storage key never uses it", async () => {
    const { body, contentType } = multipart([
      { name: "file", fileName: "../../../etc/cron.d/x\u0007\u202Egnp.png", type: "image/png", bytes: samplePng(2, 2) },
    ]);
    const result = await postRaw(uploader.cookie, conversationId, body, contentType);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    const dto = result.body as AttachmentDto;
    expect(dto.fileName).toBe("xgnp.png");
    const row = await db.attachment.findUniqueOrThrow({ where: { id: dto.id } });
    expect(row.storageKey).not.toMatch(/etc|cron|gnp|\.\./);
    expect(existsSync(path.join(server.dataDir, "etc"))).toBe(false);
  });

  it("cuts a long name to 200 characters and keeps its extension", async () => {
    const dto = await uploadOk({ bytes: samplePdf(), name: `${"n".repeat(400)}.pdf`, type: "application/pdf" });
    expect(dto.fileName).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(dto.fileName.endsWith("n.pdf")).toBe(true);
  });
});

describe("refused uploads store nothing", () => {
  it("a non-member gets 404, like a conversation that does not exist", async () => {
    const result = await upload(outsider.cookie, conversationId, { bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    expectError(result, 404, "NOT_FOUND");
    const missing = await upload(uploader.cookie, "no-such-conversation", { bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    expectError(missing, 404, "NOT_FOUND");
    expect(missing.body).toEqual(result.body);
    await expectNothingStored(conversationId);
  });

  it("a signed-out request gets 401", async () => {
    const result = await upload(null, conversationId, { bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    expectError(result, 401, "UNAUTHORIZED");
    const forged = await upload("next-auth.session-token=not-a-real-token", conversationId, { bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    expectError(forged, 401, "UNAUTHORIZED");
    await expectNothingStored(conversationId);
  });

  it("an 11 MB upload is refused with 413 from its Content-Length", async () => {
    const result = await upload(uploader.cookie, conversationId, { bytes: new Uint8Array(11 * 1024 * 1024), name: "big.pdf", type: "application/pdf" });
    expectError(result, 413, "PAYLOAD_TOO_LARGE");
    expect((result.body as { error: { message: string } }).error.message).toMatch(/larger than 10 MB/);
    await expectNothingStored(conversationId);
  });

  it("a large upload without Content-Length is refused with 413 before it has all been sent", async () => {
    // A server that buffered the whole body could only answer after its last byte; this one stops at the limit.
    const total = 200 * 1024 * 1024;
    const { body, contentType } = multipart([{ name: "file", fileName: "huge.pdf", type: "application/pdf", bytes: samplePdf() }]);
    const head = body.slice(0, body.length - 100);
    const filler = new Uint8Array(256 * 1024);
    const abort = new AbortController();
    const { stream, pulled } = endlessBody(head, filler, total, abort.signal);
    const response = await fetch(uploadUrl(server.url, conversationId), {
      method: "POST",
      body: stream,
      headers: { cookie: uploader.cookie, "content-type": contentType },
      duplex: "half",
      signal: abort.signal,
    } as RequestInit);
    const pulledWhenAnswered = pulled();
    const result = { status: response.status, body: await readJson(response), headers: response.headers };
    abort.abort();
    expectError(result, 413, "PAYLOAD_TOO_LARGE");
    expect(pulledWhenAnswered).toBeLessThan(total);
    await expectNothingStored(conversationId);
  });

  it("a file one byte over 10 MB in a body under the limit is refused with 413", async () => {
    const bytes = samplePdf();
    const padded = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    padded.set(bytes);
    const result = await upload(uploader.cookie, conversationId, { bytes: padded, name: "big.pdf", type: "application/pdf" });
    expectError(result, 413, "PAYLOAD_TOO_LARGE");
    await expectNothingStored(conversationId);
  });

  it("an executable or text claiming to be a PNG is refused with 415 and says why", async () => {
    const exe = await upload(uploader.cookie, conversationId, { bytes: sampleExe(), name: "cat.png", type: "image/png" });
    expectError(exe, 415, UNSUPPORTED_MEDIA_TYPE);
    expect((exe.body as { error: { message: string } }).error.message).toBe("This file is not a valid PNG image.");
    const text = await upload(uploader.cookie, conversationId, { bytes: new TextEncoder().encode("not a picture"), name: "cat.png", type: "image/png" });
    expectError(text, 415, UNSUPPORTED_MEDIA_TYPE);
    await expectNothingStored(conversationId);
  });

  it("types that are not allowed are refused with 415, whatever the name or declared type", async () => {
    const exe = await upload(uploader.cookie, conversationId, { bytes: sampleExe(), name: "setup.exe", type: "application/octet-stream" });
    expectError(exe, 415, UNSUPPORTED_MEDIA_TYPE);
    const renamed = await upload(uploader.cookie, conversationId, { bytes: sampleExe(), name: "invoice.pdf", type: "application/pdf" });
    expectError(renamed, 415, UNSUPPORTED_MEDIA_TYPE);
    const html = await upload(uploader.cookie, conversationId, { bytes: new TextEncoder().encode("<script>alert(1)</script>"), name: "x.html", type: "text/html" });
    expectError(html, 415, UNSUPPORTED_MEDIA_TYPE);
    const svg = await upload(uploader.cookie, conversationId, { bytes: new TextEncoder().encode("<svg onload='alert(1)'/>"), name: "x.svg", type: "image/svg+xml" });
    expectError(svg, 415, UNSUPPORTED_MEDIA_TYPE);
    await expectNothingStored(conversationId);
  });

  it("a request without exactly one file is refused with 422", async () => {
    const none = multipart([{ name: "other", bytes: new TextEncoder().encode("x") }]);
    expectError(await postRaw(uploader.cookie, conversationId, none.body, none.contentType), 422, "INVALID_PAYLOAD");
    const png = samplePng(2, 2);
    const two = multipart([
      { name: "file", fileName: "a.png", type: "image/png", bytes: png },
      { name: "file", fileName: "b.png", type: "image/png", bytes: png },
    ]);
    expectError(await postRaw(uploader.cookie, conversationId, two.body, two.contentType), 422, "INVALID_PAYLOAD");
    const notMultipart = await postRaw(uploader.cookie, conversationId, JSON.stringify({ file: "x" }), "application/json");
    expectError(notMultipart, 422, "INVALID_PAYLOAD");
    await expectNothingStored(conversationId);
  });

  it(`allows ${UPLOADS_PER_MINUTE} uploads a minute per user, then 429 with Retry-After`, async () => {
    const file = { bytes: new TextEncoder().encode("tiny"), name: "t.txt", type: "text/plain" };
    const statuses: number[] = [];
    for (let index = 0; index < UPLOADS_PER_MINUTE; index += 1) statuses.push((await upload(uploader.cookie, conversationId, file)).status);
    expect(statuses.every((status) => status === 201)).toBe(true);
    const limited = await upload(uploader.cookie, conversationId, file);
    expectError(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await db.attachment.count({ where: { conversationId } })).toBe(UPLOADS_PER_MINUTE);
    // Another user's budget is untouched.
    await uploadOk(file, peer.cookie);
  });
});

describe("downloading", () => {
  it("the other member gets the same bytes of an image, inline, with safe headers", async () => {
    const png = samplePng(64, 48);
    const dto = await uploadOk({ bytes: png, name: "photo.png", type: "image/png" });
    const result = await download(peer.cookie, dto.url);
    expect(result.status).toBe(200);
    expect(result.bytes).toEqual(png);
    expect(result.headers.get("content-type")).toBe("image/png");
    expect(result.headers.get("x-content-type-options")).toBe("nosniff");
    expect(result.headers.get("content-disposition")).toBe(`inline; filename="photo.png"; filename*=UTF-8''photo.png`);
    expect(result.headers.get("content-security-policy")).toBe(SAFE_CSP);
    expect(result.headers.get("cache-control")).toBe("private, max-age=3600");
  });

  it("a PDF is only ever a download, with its UTF-8 name; HEAD answers the same headers", async () => {
    const pdf = samplePdf();
    const dto = await uploadOk({ bytes: pdf, name: "Résumé.pdf", type: "application/pdf" });
    const result = await download(peer.cookie, dto.url);
    expect(result.status).toBe(200);
    expect(result.bytes).toEqual(pdf);
    expect(result.headers.get("content-type")).toBe("application/pdf");
    expect(result.headers.get("content-disposition")).toBe(`attachment; filename="R_sum_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`);
    expect(result.headers.get("x-content-type-options")).toBe("nosniff");
    expect(result.headers.get("content-security-policy")).toBe(SAFE_CSP);

    const head = await download(peer.cookie, dto.url, "HEAD");
    expect(head.status).toBe(200);
    expect(head.bytes).toHaveLength(0);
    expect(head.headers.get("content-disposition")).toBe(result.headers.get("content-disposition"));
  });

  it("a text file is a download and never rendered", async () => {
    const html = new TextEncoder().encode("<html><script>alert(document.cookie)</script></html>");
    const dto = await uploadOk({ bytes: html, name: "notes.txt", type: "text/plain" });
    const result = await download(peer.cookie, dto.url);
    expect(result.headers.get("content-type")).toBe("text/plain");
    expect(result.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(result.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("a PNG with HTML appended (a polyglot) is served as an inert image", async () => {
    const polyglot = samplePng(5, 5, new TextEncoder().encode("<html><script>alert(1)</script></html>"));
    const dto = await uploadOk({ bytes: polyglot, name: "poly.html", type: "text/html" });
    expect(dto).toMatchObject({ contentType: "image/png", width: 5, height: 5, fileName: "poly.html" });
    const result = await download(peer.cookie, dto.url);
    expect(result.bytes).toEqual(polyglot);
    expect(result.headers.get("content-type")).toBe("image/png");
    expect(result.headers.get("x-content-type-options")).toBe("nosniff");
    expect(result.headers.get("content-security-policy")).toBe(SAFE_CSP);
  });

  it("a non-member gets 404 like an unknown id, and a signed-out request 401", async () => {
    const dto = await uploadOk({ bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    const forbidden = await download(outsider.cookie, dto.url);
    const unknown = await download(outsider.cookie, "/api/attachments/does-not-exist");
    expect(forbidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(new TextDecoder().decode(forbidden.bytes)).toBe(new TextDecoder().decode(unknown.bytes));
    expect((await download(null, dto.url)).status).toBe(401);
  });

  it("a member who leaves loses access", async () => {
    const dto = await uploadOk({ bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    expect((await download(peer.cookie, dto.url)).status).toBe(200);
    await db.membership.delete({ where: { conversationId_userId: { conversationId, userId: peer.id } } });
    expect((await download(peer.cookie, dto.url)).status).toBe(404);
  });

  it("once its message is deleted the attachment is gone for everyone", async () => {
    const dto = await uploadOk({ bytes: samplePng(3, 3), name: "a.png", type: "image/png" });
    const messageId = await createMessage(conversationId, uploader.id);
    await db.$transaction((tx) => linkAttachments(tx, { attachmentIds: [dto.id], conversationId, uploaderId: uploader.id, messageId }));
    expect((await download(peer.cookie, dto.url)).status).toBe(200);
    await db.message.update({ where: { id: messageId }, data: { deletedAt: new Date() } });
    expect((await download(peer.cookie, dto.url)).status).toBe(404);
    expect((await download(uploader.cookie, dto.url)).status).toBe(404);
  });
});

describe("deleting a message with attachments", () => {
  it("removes the attachment rows and their files for everyone", async () => {
    const dto = await uploadOk({ bytes: samplePng(4, 4), name: "gone.png", type: "image/png" });
    const socket = await connectSocket(server, (await fetchSocketToken(server, uploader.cookie)).token);
    const sent = await socket.timeout(5_000).emitWithAck("chat:send", { conversationId, clientMessageId: randomUUID(), body: "", attachmentIds: [dto.id] });
    if (!sent.ok) throw new Error(sent.error.message);
    const filesBefore = readdirSync(uploadsDir(conversationId)).length;
    expect((await download(peer.cookie, dto.url)).status).toBe(200);

    const deleted = await socket.timeout(5_000).emitWithAck("chat:delete", { messageId: sent.data.id });
    expect(deleted).toMatchObject({ ok: true, data: { body: "", attachments: [] } });
    expect((await download(peer.cookie, dto.url)).status).toBe(404);
    expect(await db.attachment.count({ where: { id: dto.id } })).toBe(0);
    expect(readdirSync(uploadsDir(conversationId)).length).toBe(filesBefore - 1);
    socket.disconnect();
  });
});

describe("linkAttachments", () => {
  it("links the sender's own unlinked uploads to the message, in the order given", async () => {
    const first = await uploadOk({ bytes: samplePng(3, 3), name: "1.png", type: "image/png" });
    const second = await uploadOk({ bytes: samplePdf(), name: "2.pdf", type: "application/pdf" });
    const messageId = await createMessage(conversationId, uploader.id);
    const rows = await db.$transaction((tx) =>
      linkAttachments(tx, { attachmentIds: [second.id, first.id], conversationId, uploaderId: uploader.id, messageId }),
    );
    expect(rows.map((row) => [row.id, row.messageId])).toEqual([
      [second.id, messageId],
      [first.id, messageId],
    ]);
  });

  it("refuses someone else's upload, one already linked, or one from another conversation, and links none of the batch", async () => {
    const mine = await uploadOk({ bytes: samplePng(3, 3), name: "mine.png", type: "image/png" });
    const alreadyLinked = await uploadOk({ bytes: samplePng(3, 3), name: "linked.png", type: "image/png" });
    const peers = await uploadOk({ bytes: samplePng(3, 3), name: "peer.png", type: "image/png" }, peer.cookie);
    const otherConversationId = await createConversation([uploader.id, outsider.id]);
    const elsewhere = await uploadOk({ bytes: samplePng(3, 3), name: "else.png", type: "image/png" }, uploader.cookie, otherConversationId);
    const firstMessage = await createMessage(conversationId, uploader.id);
    await db.$transaction((tx) => linkAttachments(tx, { attachmentIds: [alreadyLinked.id], conversationId, uploaderId: uploader.id, messageId: firstMessage }));
    const messageId = await createMessage(conversationId, uploader.id);

    for (const foreign of [peers.id, alreadyLinked.id, elsewhere.id, "no-such-attachment"]) {
      const attempt = db.$transaction((tx) =>
        linkAttachments(tx, { attachmentIds: [mine.id, foreign], conversationId, uploaderId: uploader.id, messageId }),
      );
      await expect(attempt).rejects.toSatisfy((error) => error instanceof AppError && error.code === "NOT_FOUND");
    }
    const rows = await db.attachment.findMany({ where: { id: { in: [mine.id, peers.id, alreadyLinked.id, elsewhere.id] } } });
    expect(Object.fromEntries(rows.map((row) => [row.id, row.messageId]))).toEqual({
      [mine.id]: null,
      [peers.id]: null,
      [alreadyLinked.id]: firstMessage,
      [elsewhere.id]: null,
    });
  });
});

describe("deleteStaleUploads", () => {
  it("removes unsent uploads older than a day with their files, and keeps sent and recent ones", async () => {
    const stale = await uploadOk({ bytes: samplePng(3, 3), name: "stale.png", type: "image/png" });
    const sent = await uploadOk({ bytes: samplePng(3, 3), name: "sent.png", type: "image/png" });
    const messageId = await createMessage(conversationId, uploader.id);
    await db.$transaction((tx) => linkAttachments(tx, { attachmentIds: [sent.id], conversationId, uploaderId: uploader.id, messageId }));
    const recent = await uploadOk({ bytes: samplePng(3, 3), name: "recent.png", type: "image/png" });
    const dayAndAHourAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await db.attachment.updateMany({ where: { id: { in: [stale.id, sent.id] } }, data: { createdAt: dayAndAHourAgo } });
    const staleKey = (await db.attachment.findUniqueOrThrow({ where: { id: stale.id } })).storageKey;

    const removed = await deleteStaleUploads({ db, storage: createLocalDiskStorage(uploadsDir()) });

    expect(removed).toBe(1);
    expect(await db.attachment.findUnique({ where: { id: stale.id } })).toBeNull();
    expect(existsSync(path.join(uploadsDir(), ...staleKey.split("/")))).toBe(false);
    expect((await download(uploader.cookie, stale.url)).status).toBe(404);
    expect((await download(peer.cookie, sent.url)).status).toBe(200);
    expect((await download(peer.cookie, recent.url)).status).toBe(200);
  });
});
