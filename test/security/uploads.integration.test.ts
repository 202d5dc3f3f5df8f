// Upload abuse against the real server over real HTTP: files whose bytes are not what they claim
// (HTML, SVG with script, JavaScript, executables behind image/png), polyglots (GIF/HTML, GIF/JS,
// PNG with HTML appended), hostile names (traversal, absolute paths, NUL, CR/LF, 100,000
// characters, bidi overrides, markup), oversized, endless and empty bodies, several files in one
// request. Each is either refused with a typed error and nothing stored, or accepted and then served
// inert: the stored type exactly (an allowed one: never HTML, SVG or script), no sniffing, a
// sandboxing CSP, inline only for raster images, and a download name that is one clean segment
// whose extension is what the bytes are (text named `page.html` is saved as `page.html.txt`).
// The server's data directory sits deep inside a sandbox whose whole tree is compared before and
// after every test: the only new files are the stored uploads, under `uploads/<conversationId>/`.
// The feature tests (app/api/attachments.integration.test.ts) cover the ordinary paths.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AttachmentDto } from "@/lib/realtime/protocol";
import {
  ATTACHMENT_TYPES,
  fileExtension,
  isAllowedContentType,
  isImageContentType,
  MAX_FILE_NAME_LENGTH,
  MAX_UPLOAD_BODY_BYTES,
  UNSUPPORTED_MEDIA_TYPE,
} from "@/lib/validations/attachments";
import { registerUser, type RegisteredUser } from "@/test/support/clients";
import { sampleExe, sampleJpeg, samplePng } from "@/test/support/sample-files";
import { createTempDir, startServer, type TestServer } from "@/test/support/server";
import { endlessBody, readJson, uploadUrl } from "@/test/support/uploads";

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const ascii = (value: string): number[] => Array.from(value, (char) => char.charCodeAt(0));
const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const HTML = text("<!doctype html><html><body><script>fetch('/api/socket-token').then(r=>r.text()).then(alert)</script></body></html>");
const SVG = text(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>`);
const JS = text("fetch('/api/socket-token').then((r) => r.text()).then(alert);\n");
/** `GIF89a<script>…`: a GIF header whose "dimensions" are the ASCII of `<scr` (29,500 × 29,283). */
const GIF_HTML = text("GIF89a<script>alert(1)</script>");
/** A GIF header with real 1 × 1 dimensions, then HTML. */
const GIF_1X1_HTML = concat(ascii("GIF89a"), [1, 0, 1, 0, 0, 0, 0], ascii("<html><script>alert(1)</script></html>"));
/** The classic GIF/JavaScript polyglot: `GIF89a/*` opens a comment (width 10,799), `*\/=…` runs. */
const GIF_JS = concat(ascii("GIF89a/*"), [10, 0], ascii("*/=1;alert(document.domain);//"));
const PNG_HTML = samplePng(6, 4, HTML);
const JPEG_HTML = concat(sampleJpeg(8, 8), HTML);

// The data directory sits four levels deep in a sandbox: a name or key that climbed out of the upload
// directory would land somewhere in the sandbox's tree, which every test compares before and after.
let sandbox: string;
let dataDir: string;
let server: TestServer;
let db: PrismaClient;
let peer: RegisteredUser;
let uploader: RegisteredUser;
let conversationId: string;
let treeBefore: Set<string>;
let accepted: number;
let outputMark: number;
const figures: string[] = [];

type Part = { name: string; fileName?: string; type?: string; bytes: Uint8Array };
type Result = { status: number; body: unknown; headers: Headers };
type Refusal = { status: number; code: string };

/** A multipart body written by hand: names, types and part headers exactly as given, nothing escaped. */
function multipart(parts: Part[]): { body: Uint8Array; contentType: string } {
  const boundary = `----parley-security-${randomUUID()}`;
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const fileName = part.fileName === undefined ? "" : `; filename="${part.fileName}"`;
    const type = part.type === undefined ? "" : `\r\nContent-Type: ${part.type}`;
    chunks.push(text(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${fileName}${type}\r\n\r\n`), part.bytes, text("\r\n"));
  }
  chunks.push(text(`--${boundary}--\r\n`));
  return { body: concat(...chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function post(body: BodyInit, contentType: string | null, target = conversationId, cookie = uploader.cookie): Promise<Result> {
  const headers: Record<string, string> = { cookie };
  if (contentType !== null) headers["content-type"] = contentType;
  const response = await fetch(uploadUrl(server.url, target), { method: "POST", body, headers, duplex: "half" } as RequestInit);
  const result = { status: response.status, body: await readJson(response), headers: response.headers };
  if (result.status === 201) accepted += 1;
  return result;
}

async function postParts(parts: Part[]): Promise<Result> {
  const { body, contentType } = multipart(parts);
  return post(new Uint8Array(body), contentType);
}

/** One file in the field the route reads, with the name and declared type given verbatim. */
function postFile(bytes: Uint8Array, fileName: string, type: string): Promise<Result> {
  return postParts([{ name: "file", fileName, type, bytes }]);
}

/** The same through the platform's own FormData encoding (what a browser sends). */
async function postFormData(bytes: Uint8Array, fileName: string, type: string): Promise<Result> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], fileName, { type }));
  const response = await fetch(uploadUrl(server.url, conversationId), { method: "POST", body: form, headers: { cookie: uploader.cookie } });
  const result = { status: response.status, body: await readJson(response), headers: response.headers };
  if (result.status === 201) accepted += 1;
  return result;
}

function errorOf(result: Result): Refusal & { message: string } {
  const error = (result.body as { error?: { code?: string; message?: string } }).error;
  return { status: result.status, code: error?.code ?? "(none)", message: error?.message ?? "" };
}

function expectRefused(result: Result, refusal: Refusal): void {
  const error = errorOf(result);
  expect({ status: error.status, code: error.code }, JSON.stringify(result.body)).toEqual(refusal);
  // A clear answer for a person, not a stack or an echo of what was sent.
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.message).not.toMatch(/<script|<svg|\bat \S+:\d+/i);
  expect(result.headers.get("content-type")).toMatch(/^application\/json/);
}

function accepted201(result: Result): AttachmentDto {
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body as AttachmentDto;
}

type Disposition = { kind: string; fileName: string; fileNameStar: string };

/** `inline|attachment; filename="…"; filename*=UTF-8''…`, the only shape the server writes. */
function parseDisposition(header: string): Disposition {
  const match = /^(inline|attachment); filename="([^"]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]*)$/.exec(header);
  if (!match) throw new Error(`unexpected Content-Disposition: ${JSON.stringify(header)}`);
  return { kind: match[1]!, fileName: match[2]!, fileNameStar: decodeURIComponent(match[3]!) };
}

/** Extensions a file of `type` may be saved with: its own kind's (any raster image for an image). */
function safeExtensions(type: keyof typeof ATTACHMENT_TYPES): string[] {
  const info = ATTACHMENT_TYPES[type];
  return Object.values(ATTACHMENT_TYPES)
    .filter((other) => other.signature === info.signature || (info.isImage && other.isImage))
    .flatMap((other) => [...other.extensions]);
}

function expectCleanName(name: string, type: keyof typeof ATTACHMENT_TYPES, lengthFactor = 1): void {
  expect(name).not.toMatch(/[/\\]/);
  expect(name).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
  expect(name).not.toMatch(/[<>:"|?*]/);
  expect(name.startsWith(".")).toBe(false);
  expect(Array.from(name).length).toBeLessThanOrEqual(lengthFactor * MAX_FILE_NAME_LENGTH + ".markdown".length);
  expect(safeExtensions(type), `${JSON.stringify(name)} saved as ${type}`).toContain(fileExtension(name));
}

/**
 * GET and HEAD as the other member: the exact bytes, under headers that keep them inert. Returns
 * the name a browser would save the download under.
 */
async function expectServedInert(dto: AttachmentDto, bytes: Uint8Array): Promise<string> {
  const type = dto.contentType;
  expect(isAllowedContentType(type), type).toBe(true);
  if (!isAllowedContentType(type)) throw new Error(type);
  const responses = [];
  for (const method of ["GET", "HEAD"]) {
    const response = await fetch(`${server.url}${dto.url}`, { method, headers: { cookie: peer.cookie } });
    responses.push({ status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) });
  }
  const [get, head] = responses as [(typeof responses)[0], (typeof responses)[0]];
  expect([get.status, head.status]).toEqual([200, 200]);
  expect(get.bytes).toEqual(bytes);
  expect(head.bytes).toHaveLength(0);
  for (const { headers } of [get, head]) {
    expect(headers.get("content-type")).toBe(type);
    expect(headers.get("content-type")).not.toMatch(/html|svg|xml|javascript|ecmascript/i);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    const csp = headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("sandbox");
    // Nothing smuggled into the head through the name: no extra cookie, no second header.
    expect(headers.getSetCookie()).toEqual([]);
    expect(headers.get("x-injected")).toBeNull();
  }
  const disposition = parseDisposition(get.headers.get("content-disposition") ?? "");
  expect(head.headers.get("content-disposition")).toBe(get.headers.get("content-disposition"));
  expect(disposition.kind).toBe(isImageContentType(type) ? "inline" : "attachment");
  expectCleanName(disposition.fileNameStar, type);
  expect(disposition.fileName).toMatch(/^[\x20-\x7e]+$/);
  // The ASCII fallback writes "_" for each UTF-16 unit it cannot carry: at most twice as long.
  expectCleanName(disposition.fileName, type, 2);
  // The display name went through the same cleaning; the saved name starts with it.
  expect(dto.fileName).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u);
  expect(disposition.fileNameStar.startsWith(dto.fileName)).toBe(true);
  return disposition.fileNameStar;
}

// ── The sandbox tree ─────────────────────────────────────────────────────────
// The database's own files (SQLite and its journals) change on every request: not uploads.
const DATABASE_FILE = /(^|\/)parley\.db(-wal|-shm|-journal)?$/;

function tree(root: string): Set<string> {
  const entries = new Set<string>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (DATABASE_FILE.test(relative)) continue;
      entries.add(entry.isDirectory() ? `${relative}/` : relative);
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relative);
    }
  };
  walk(root, "");
  return entries;
}

function uploadsOf(id: string): string {
  return path.join(path.relative(sandbox, dataDir), "uploads", id).split(path.sep).join("/");
}

beforeAll(async () => {
  sandbox = createTempDir("parley-uploads-security-");
  dataDir = path.join(sandbox, "a", "b", "c", "data");
  mkdirSync(dataDir, { recursive: true });
  server = await startServer({ env: { DATA_DIR: dataDir, AUTH_ATTEMPTS_PER_MINUTE: "1000" } });
  db = createPrismaClient(server.databaseUrl).client;
  peer = await registerUser(server);
});

afterAll(async () => {
  if (figures.length) console.log(`[uploads security]\n  ${figures.join("\n  ")}`);
  await db?.$disconnect();
  await server?.stop();
});

beforeEach(async () => {
  // A fresh uploader and conversation per test: the upload budget (30 a minute) is per user.
  uploader = await registerUser(server);
  const conversation = await db.conversation.create({
    data: { kind: "group", name: "Files", createdById: uploader.id, memberships: { create: [{ userId: uploader.id }, { userId: peer.id }] } },
  });
  conversationId = conversation.id;
  accepted = 0;
  outputMark = server.output().length;
  treeBefore = tree(sandbox);
});

afterEach(() => {
  // Nothing written anywhere but the stored uploads of this test's conversation, one per accepted
  // upload, each under a random key (never a name from the request), and nothing removed.
  const after = tree(sandbox);
  const added = [...after].filter((entry) => !treeBefore.has(entry));
  const removed = [...treeBefore].filter((entry) => !after.has(entry));
  expect(removed).toEqual([]);
  const folder = `${uploadsOf(conversationId)}/`;
  const files = added.filter((entry) => entry !== folder && entry !== `${path.dirname(folder)}/`);
  for (const entry of files) {
    expect(entry.startsWith(folder), entry).toBe(true);
    expect(entry.slice(folder.length)).toMatch(/^[A-Za-z0-9_-]{24}$/);
  }
  expect(files).toHaveLength(accepted);
  // Refusals are answers: no error (pino 50) or fatal (60) line.
  expect(server.output().slice(outputMark)).not.toMatch(/"level":(50|60)/);
});

// ── Spoofed types ────────────────────────────────────────────────────────────
describe("bytes that are not what the request says", () => {
  it("HTML, SVG with script, JavaScript and an executable declared as image/png are refused with 415", async () => {
    const cases: [string, Uint8Array, string][] = [
      ["html", HTML, "cat.png"],
      ["svg", SVG, "cat.png"],
      ["js", JS, "cat.png"],
      ["exe", sampleExe(), "cat.png"],
      ["html, no extension", HTML, "cat"],
    ];
    for (const [label, bytes, name] of cases) {
      const result = await postFile(bytes, name, "image/png");
      expectRefused(result, { status: 415, code: UNSUPPORTED_MEDIA_TYPE });
      expect(errorOf(result).message, label).toBe("This file is not a valid PNG image.");
    }
    figures.push(`spoofed image/png: ${cases.length} refused 415`);
  });

  it("SVG, HTML, JavaScript and executables under their own types are refused with 415", async () => {
    const cases: [Uint8Array, string, string][] = [
      [SVG, "logo.svg", "image/svg+xml"],
      [SVG, "logo.svg", ""],
      [HTML, "index.html", "text/html"],
      [HTML, "index.htm", "application/xhtml+xml"],
      [JS, "app.js", "text/javascript"],
      [JS, "app.mjs", "application/javascript"],
      [sampleExe(), "setup.exe", "application/x-msdownload"],
      [sampleExe(), "setup.pdf", "application/pdf"],
      [HTML, "page.pdf", "application/pdf"],
    ];
    for (const [bytes, name, type] of cases) expectRefused(await postFile(bytes, name, type), { status: 415, code: UNSUPPORTED_MEDIA_TYPE });
    figures.push(`svg/html/js/exe under their own types: ${cases.length} refused 415`);
  });

  it("markup or script that passes as text is stored as text/plain, a download saved with a .txt name", async () => {
    // UTF-8 without NUL is text: refusing it would refuse every code snippet. It is never served as
    // what its name says: text/plain, attachment, nosniff, and a name that opens in a text editor.
    const cases: [Uint8Array, string, string, string][] = [
      [HTML, "cat.txt", "image/png", "cat.txt"],
      [HTML, "index.html", "text/plain", "index.html.txt"],
      [SVG, "logo.svg", "text/plain", "logo.svg.txt"],
      [JS, "update.js", "text/plain", "update.js.txt"],
      [text("@echo off\r\nformat c:\r\n"), "run.bat", "text/plain", "run.bat.txt"],
      [text("<HTA:APPLICATION />"), "invoice.hta", "text/plain", "invoice.hta.txt"],
      [HTML, "notes", "text/plain", "notes.txt"],
      [text("a,b\n1,2\n"), "table.csv", "text/plain", "table.csv"],
    ];
    const saved: string[] = [];
    for (const [bytes, name, type, savedAs] of cases) {
      const dto = accepted201(await postFile(bytes, name, type));
      expect(dto).toMatchObject({ contentType: "text/plain", width: null, height: null, fileName: name });
      const savedName = await expectServedInert(dto, bytes);
      expect(savedName).toBe(savedAs);
      saved.push(`${name} -> ${savedName}`);
    }
    figures.push(`text that looks like code: ${cases.length} stored as text/plain, saved as ${saved.join(", ")}`);
  });
});

// ── Polyglots ────────────────────────────────────────────────────────────────
describe("polyglots", () => {
  it("GIF89a<script>…: the header's dimensions are the ASCII of '<scr', refused as too large", async () => {
    for (const [name, type] of [
      ["x.gif", "image/gif"],
      ["x.html", "text/html"],
    ]) {
      const result = await postFile(GIF_HTML, name!, type!);
      expectRefused(result, { status: 413, code: "PAYLOAD_TOO_LARGE" });
      expect(errorOf(result).message).toMatch(/too large \(29500 × 29283 pixels\)/);
    }
  });

  it("a real GIF header before HTML, the GIF/JavaScript polyglot, a PNG or JPEG with HTML appended: raster images, served inert", async () => {
    const cases: [Uint8Array, string, string, string, string][] = [
      [GIF_1X1_HTML, "x.html", "text/html", "image/gif", "x.html.gif"],
      [GIF_JS, "x.js", "application/javascript", "image/gif", "x.js.gif"],
      [PNG_HTML, "poly.svg", "image/svg+xml", "image/png", "poly.svg.png"],
      [PNG_HTML, "poly.png", "image/png", "image/png", "poly.png"],
      [JPEG_HTML, "poly.jpg", "image/jpeg", "image/jpeg", "poly.jpg"],
    ];
    const saved: string[] = [];
    for (const [bytes, name, type, storedAs, savedAs] of cases) {
      const dto = accepted201(await postFile(bytes, name, type));
      expect(dto.contentType).toBe(storedAs);
      expect(await expectServedInert(dto, bytes)).toBe(savedAs);
      saved.push(`${name} (${type}) -> ${storedAs} inline, saved as ${savedAs}`);
    }
    figures.push(`polyglots: ${saved.join("; ")}`);
  });
});

// ── Names ────────────────────────────────────────────────────────────────────
describe("hostile file names", () => {
  it("traversal, absolute paths, NUL, bidi overrides, markup and quotes: one clean segment, stored under a random key", async () => {
    const png = samplePng(3, 3);
    const cases: [string, string][] = [
      ["../../etc/passwd", "passwd.png"],
      ["../../../../../../../../escape.png", "escape.png"],
      ["..\\..\\x.png", "x.png"],
      ["C:\\Windows\\System32\\evil.png", "evil.png"],
      ["/abs/path.png", "path.png"],
      ["/", "file.png"],
      ["..", "file.png"],
      ["nul\u0000byte.png", "nulbyte.png"],
      ["photo\u202Egnp.js", "photognp.js.png"],
      ["inv\u200Boice\u2066.png", "invoice.png"],
      ["<img src=x onerror=alert(1)>.png", "_img src=x onerror=alert(1)_.png"],
      ["a'b;c=d.png", "a'b;c=d.png"],
      ["%2e%2e%2fup.png", "%2e%2e%2fup.png"],
      ["trailing dots and spaces.png. . .", "trailing dots and spaces.png"],
      ["", "file.png"],
    ];
    const stored: string[] = [];
    for (const [name, displayed] of cases) {
      const dto = accepted201(await postFile(png, name, "image/png"));
      const savedName = await expectServedInert(dto, png);
      expect(savedName, JSON.stringify(name)).toBe(displayed);
      const row = await db.attachment.findUniqueOrThrow({ where: { id: dto.id } });
      expect(row.storageKey.startsWith(`${conversationId}/`)).toBe(true);
      expect(row.storageKey.slice(conversationId.length + 1)).toMatch(/^[A-Za-z0-9_-]{24}$/);
      stored.push(JSON.stringify(name));
    }
    expect(existsSync(path.join(sandbox, "escape.png"))).toBe(false);
    figures.push(`hostile names accepted and cleaned: ${stored.length}`);
  });

  it("a quote in the name cannot end the filename parameter", async () => {
    const dto = accepted201(await postFormData(text("x"), 'a"; filename="evil.html', "text/plain"));
    const savedName = await expectServedInert(dto, text("x"));
    expect(savedName.endsWith(".txt")).toBe(true);
  });

  it("CR/LF in a name: raw in the part header the body is refused; percent-encoded (as browsers send it) it is stripped, no header is injected", async () => {
    const png = samplePng(2, 2);
    const raw = await postFile(png, "a.png\r\nX-Injected: 1\r\nSet-Cookie: pwned=1", "image/png");
    expectRefused(raw, { status: 422, code: "INVALID_PAYLOAD" });
    // FormData writes CR, LF and '"' as %0D, %0A and %22; the server's multipart parser decodes them.
    const encoded = accepted201(await postFormData(png, "a\r\nX-Injected: 1\r\nSet-Cookie: pwned=1.png", "image/png"));
    expect(encoded.fileName).toBe("aX-Injected_ 1Set-Cookie_ pwned=1.png");
    expect(await expectServedInert(encoded, png)).toBe(encoded.fileName);
    const literal = accepted201(await postFile(png, "b%0D%0AX-Injected: 1%0D%0A.png", "image/png"));
    expect(literal.fileName).toBe("bX-Injected_ 1.png");
    await expectServedInert(literal, png);
    // RFC 5987 `filename*` is not understood by the parser: the whole body is refused.
    const { body, contentType } = multipart([{ name: "file", type: "image/png", bytes: png }]);
    const star = new TextDecoder().decode(body).replace('name="file"', `name="file"; filename*=UTF-8''a%0D%0AX-Injected%3A%201.png`);
    expectRefused(await post(new Uint8Array(text(star)), contentType), { status: 422, code: "INVALID_PAYLOAD" });
  });

  it("very long names are cut to 200 characters with their extension; a 100,000-character name is no problem", async () => {
    const png = samplePng(2, 2);
    const cases = [`${"n".repeat(100_000)}.png`, `${"😀".repeat(5_000)}.png`, `${"../".repeat(5_000)}deep.png`, `${"é".repeat(300)}.html`];
    const lengths: number[] = [];
    for (const name of cases) {
      const dto = accepted201(await postFile(png, name, "image/png"));
      expect(Array.from(dto.fileName).length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
      const savedName = await expectServedInert(dto, png);
      lengths.push(Array.from(savedName).length);
    }
    figures.push(`long names (100,000 ASCII, 5,000 emoji, 5,000 '../', 300 é): saved names of ${lengths.join(", ")} characters`);
  });
});

// ── Where it is stored ───────────────────────────────────────────────────────
describe("the path in the URL", () => {
  it("a conversation or attachment id that climbs out of its folder or carries a NUL byte is a 404, nothing read or written", async () => {
    const png = samplePng(2, 2);
    for (const id of ["../../..", "..%2F..%2F..%2Fescape", "../uploads", `${conversationId}/../../x`, "/etc/passwd", "\u0000", `${conversationId}\u0000`]) {
      const { body, contentType } = multipart([{ name: "file", fileName: "a.png", type: "image/png", bytes: png }]);
      const response = await fetch(`${server.url}/api/conversations/${encodeURIComponent(id)}/attachments`, {
        method: "POST",
        body: new Uint8Array(body),
        headers: { cookie: uploader.cookie, "content-type": contentType },
      });
      expect(response.status, id).toBe(404);
    }
    for (const id of ["..%2F..%2Fparley.db", encodeURIComponent("../../parley.db"), encodeURIComponent("../../../../../../etc/passwd"), "%00", "a%00b", `${"a".repeat(60)}%00`]) {
      const response = await fetch(`${server.url}/api/attachments/${id}`, { headers: { cookie: peer.cookie } });
      expect(response.status, id).toBe(404);
      expect((await readJson(response)) as object).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });
});

// ── Sizes and shapes of the body ─────────────────────────────────────────────
function rssKb(): number {
  const status = readFileSync(`/proc/${server.process.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

describe("bodies too large, empty or with several files", () => {
  it("a declared 1 GB body is refused from its Content-Length before its first byte is read", async () => {
    const { status, body, ms } = await new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
      const startedAt = performance.now();
      const request = httpRequest(uploadUrl(server.url, conversationId), {
        method: "POST",
        headers: { cookie: uploader.cookie, "content-type": "multipart/form-data; boundary=x", "content-length": String(1024 ** 3) },
      });
      request.on("response", (response) => {
        let data = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (data += chunk));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body: data, ms: performance.now() - startedAt });
          request.destroy();
        });
      });
      request.on("error", reject);
      // Only the headers and one small chunk are ever sent.
      request.write("--x\r\n");
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    figures.push(`declared 1 GB, 5 bytes sent: 413 after ${Math.round(ms)} ms`);
  });

  it("a 256 MB chunked body is cut off at the limit: 413 before it is all sent, and the server's memory does not grow by the body", async () => {
    const total = 256 * 1024 * 1024;
    const { body, contentType } = multipart([{ name: "file", fileName: "huge.txt", type: "text/plain", bytes: new Uint8Array(0) }]);
    const head = body.slice(0, body.length - 60);
    const filler = new Uint8Array(1024 * 1024).fill(0x61);
    const baseline = rssKb();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb())), 10);
    const abort = new AbortController();
    const { stream, pulled } = endlessBody(head, filler, total, abort.signal);
    const startedAt = performance.now();
    try {
      const result = await post(stream, contentType);
      const pulledWhenAnswered = pulled();
      abort.abort();
      expectRefused(result, { status: 413, code: "PAYLOAD_TOO_LARGE" });
      expect(pulledWhenAnswered).toBeLessThan(total / 2);
      const growthMb = (peak - baseline) / 1024;
      // A server that buffered the body would grow by 256 MB; this one holds at most the 10 MB limit.
      expect(growthMb).toBeLessThan(96);
      figures.push(
        `256 MB chunked: 413 after ${Math.round(performance.now() - startedAt)} ms with ${Math.round(pulledWhenAnswered / 1024 / 1024)} MB sent ` +
          `(limit ${Math.round(MAX_UPLOAD_BODY_BYTES / 1024 / 1024)} MB); server RSS ${Math.round(baseline / 1024)} MB -> peak ${Math.round(peak / 1024)} MB (+${Math.round(growthMb)} MB)`,
      );
    } finally {
      clearInterval(sampler);
      abort.abort();
    }
    // Still serving.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it("an empty body, an empty multipart, an empty file and a missing Content-Type are refused with 422", async () => {
    const empty = multipart([]);
    const cases: [string, Result, string | null][] = [
      ["empty body", await post(new Uint8Array(0), "multipart/form-data; boundary=x"), null],
      ["no parts", await post(new Uint8Array(empty.body), empty.contentType), null],
      ["empty file", await postFile(new Uint8Array(0), "empty.png", "image/png"), "The file is empty."],
      ["empty text file", await postFile(new Uint8Array(0), "empty.txt", "text/plain"), "The file is empty."],
      ["no content type", await post(new Uint8Array(samplePng(2, 2)), null), null],
      ["garbage", await post(new Uint8Array(text("--x\r\nnot a part")), "multipart/form-data; boundary=x"), null],
    ];
    for (const [label, result, message] of cases) {
      expectRefused(result, { status: 422, code: "INVALID_PAYLOAD" });
      if (message) expect(errorOf(result).message, label).toBe(message);
    }
    figures.push(`empty/malformed bodies: ${cases.length} refused 422`);
  });

  it("two files: in the one field, refused; a second file or a text value in another field is ignored and never stored", async () => {
    const png = samplePng(2, 2);
    const two = await postParts([
      { name: "file", fileName: "a.png", type: "image/png", bytes: png },
      { name: "file", fileName: "b.html", type: "text/html", bytes: HTML },
    ]);
    expectRefused(two, { status: 422, code: "INVALID_PAYLOAD" });
    const textField = await postParts([{ name: "file", bytes: png }]);
    expectRefused(textField, { status: 422, code: "INVALID_PAYLOAD" });
    const extra = await postParts([
      { name: "other", fileName: "../../evil.html", type: "text/html", bytes: HTML },
      { name: "file", fileName: "a.png", type: "image/png", bytes: png },
      { name: "file2", fileName: "b.exe", type: "application/octet-stream", bytes: sampleExe() },
    ]);
    const dto = accepted201(extra);
    expect(dto).toMatchObject({ fileName: "a.png", contentType: "image/png" });
    await expectServedInert(dto, png);
    expect(await db.attachment.count({ where: { conversationId } })).toBe(1);
  });
});
