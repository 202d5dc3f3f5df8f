/**
 * Chat attachments: accepting an upload (membership, budget, bytes checked, then storage and row),
 * deciding who may read one, linking uploads to the message that sends them, and removing uploads
 * that were never sent. Node-only.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";

import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";

import { dbReady } from "@/lib/db";
import { getServerEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Attachment, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { getLogger } from "@/lib/logger";
import { createLimiter } from "@/lib/ops/limiter";
import type { AttachmentDto } from "@/lib/realtime/protocol";
import { createLocalDiskStorage } from "@/lib/storage/local-disk-storage";
import type { ObjectStorage } from "@/lib/storage/storage";
import { type InspectionProblem, inspectFile } from "@/lib/uploads/inspect-file";
import {
  downloadFileName,
  isImageContentType,
  MAX_ATTACHMENT_BYTES,
  sanitizeFileName,
  TOO_LARGE_MESSAGE,
  UNLINKED_UPLOAD_TTL_MS,
  UPLOADS_PER_MINUTE,
} from "@/lib/validations/attachments";

export type AttachmentRow = Attachment;

const slot = globalThis as unknown as { __parleyAttachmentStorage?: ObjectStorage; __parleyUploadLimiter?: RateLimiterAbstract };

/** The configured storage: local disk under `<DATA_DIR>/uploads`. */
export function getAttachmentStorage(): ObjectStorage {
  slot.__parleyAttachmentStorage ??= createLocalDiskStorage(path.join(getServerEnv().DATA_DIR, "uploads"));
  return slot.__parleyAttachmentStorage;
}

/** The bytes are not an allowed type, or not what they claim to be (HTTP 415). */
export class UnsupportedAttachmentError extends AppError {
  readonly reason: InspectionProblem["reason"];

  constructor(problem: InspectionProblem) {
    super("INVALID_PAYLOAD", { userMessage: problem.message });
    this.name = "UnsupportedAttachmentError";
    this.reason = problem.reason;
  }
}

export function toAttachmentDto(row: Pick<AttachmentRow, "id" | "fileName" | "contentType" | "size" | "width" | "height">): AttachmentDto {
  return {
    id: row.id,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    width: row.width,
    height: row.height,
    url: `/api/attachments/${encodeURIComponent(row.id)}`,
  };
}

/** Charges one upload to the user's budget (UPLOADS_PER_MINUTE); throws RATE_LIMITED when spent. */
export async function consumeUploadBudget(userId: string): Promise<void> {
  slot.__parleyUploadLimiter ??= createLimiter({ keyPrefix: "upload", points: UPLOADS_PER_MINUTE, duration: 60 });
  try {
    await slot.__parleyUploadLimiter.consume(userId);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new AppError("RATE_LIMITED", {
      userMessage: "You are uploading too fast. Wait a moment and try again.",
      retryAfterMs: rejection.msBeforeNext,
    });
  }
}

// Ids are cuids. Anything else from a URL (a NUL byte, which PostgreSQL refuses outright, a path,
// a long string) is no id at all and is answered like an unknown one, without a query.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** NOT_FOUND unless the user is a member: a conversation you are not in looks like none at all. */
export async function assertConversationMember(conversationId: string, userId: string): Promise<void> {
  if (!ID_PATTERN.test(conversationId)) throw new AppError("NOT_FOUND");
  const db = await dbReady();
  const membership = await db.membership.findUnique({
    where: { conversationId_userId: { conversationId, userId } },
    select: { userId: true },
  });
  if (!membership) throw new AppError("NOT_FOUND");
}

export type NewUpload = { uploaderId: string; conversationId: string; fileName: string; declaredType: string; bytes: Uint8Array };

/**
 * Checks the bytes, stores them under a fresh random key and records an unlinked attachment
 * (messageId null until a message sends it). Nothing is stored when any check fails.
 */
export async function createAttachment(upload: NewUpload): Promise<AttachmentDto> {
  if (upload.bytes.byteLength > MAX_ATTACHMENT_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", { userMessage: TOO_LARGE_MESSAGE });
  const inspection = inspectFile({ bytes: upload.bytes, declaredType: upload.declaredType, fileName: upload.fileName });
  if (!inspection.ok) {
    const { problem } = inspection;
    if (problem.reason === "empty") throw new AppError("INVALID_PAYLOAD", { userMessage: problem.message });
    if (problem.reason === "image-too-large") throw new AppError("PAYLOAD_TOO_LARGE", { userMessage: problem.message });
    throw new UnsupportedAttachmentError(problem);
  }
  await assertConversationMember(upload.conversationId, upload.uploaderId);

  const { contentType, width, height } = inspection.file;
  const storage = getAttachmentStorage();
  const storageKey = `${upload.conversationId}/${randomBytes(18).toString("base64url")}`;
  await storage.put(storageKey, upload.bytes, { contentType, size: upload.bytes.byteLength });
  try {
    const db = await dbReady();
    const row = await db.attachment.create({
      data: {
        conversationId: upload.conversationId,
        uploaderId: upload.uploaderId,
        fileName: sanitizeFileName(upload.fileName),
        contentType,
        size: upload.bytes.byteLength,
        storageKey,
        width,
        height,
      },
    });
    return toAttachmentDto(row);
  } catch (error) {
    await storage.delete(storageKey);
    throw error;
  }
}

/**
 * The attachment if `userId` may read it: a member of its conversation, and its message (if sent)
 * not deleted. Null otherwise: missing and forbidden look the same.
 */
export async function findReadableAttachment(attachmentId: string, userId: string): Promise<AttachmentRow | null> {
  if (!ID_PATTERN.test(attachmentId)) return null;
  const db = await dbReady();
  const row = await db.attachment.findUnique({ where: { id: attachmentId }, include: { message: { select: { deletedAt: true } } } });
  if (!row || row.message?.deletedAt) return null;
  const membership = await db.membership.findUnique({
    where: { conversationId_userId: { conversationId: row.conversationId, userId } },
    select: { userId: true },
  });
  if (!membership) return null;
  const { message: _message, ...attachment } = row;
  return attachment;
}

/** RFC 6266 / 5987: an ASCII fallback name plus the exact UTF-8 name. */
export function contentDisposition(disposition: "inline" | "attachment", fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Headers that keep served bytes inert: the stored type exactly and no sniffing, inline only for
 * the allowed image types, a sandboxing CSP in case anything is ever opened as a document, and a
 * saved name whose extension is what the bytes are (`downloadFileName`).
 */
export function attachmentResponseHeaders(row: Pick<AttachmentRow, "contentType" | "fileName">, size: number): Record<string, string> {
  return {
    "content-type": row.contentType,
    "content-length": String(size),
    "content-disposition": contentDisposition(isImageContentType(row.contentType) ? "inline" : "attachment", downloadFileName(row.fileName, row.contentType)),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": "private, max-age=3600",
  };
}

export type LinkAttachmentsInput = { attachmentIds: string[]; conversationId: string; uploaderId: string; messageId: string };

/**
 * Attaches uploads to the message being sent, inside the caller's transaction. Throws NOT_FOUND
 * (rolling the transaction back) unless every id is an existing, not yet linked attachment that
 * this user uploaded to this conversation. Returns the rows in the order of `attachmentIds`.
 */
export async function linkAttachments(tx: Prisma.TransactionClient, input: LinkAttachmentsInput): Promise<AttachmentRow[]> {
  const ids = [...new Set(input.attachmentIds)];
  if (ids.length === 0) return [];
  const { count } = await tx.attachment.updateMany({
    where: { id: { in: ids }, conversationId: input.conversationId, uploaderId: input.uploaderId, messageId: null },
    data: { messageId: input.messageId },
  });
  if (count !== ids.length) throw new AppError("NOT_FOUND", { userMessage: "An attachment is no longer available. Remove it and upload it again." });
  const rows = await tx.attachment.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)).filter((row): row is AttachmentRow => row !== undefined);
}

const CLEANUP_BATCH = 200;

/** Removes stored files whose rows are already gone (after the deleting transaction committed). */
export async function removeStoredFiles(storageKeys: string[]): Promise<void> {
  const storage = getAttachmentStorage();
  for (const key of storageKeys) {
    try {
      await storage.delete(key);
    } catch (error) {
      getLogger().warn({ err: error, storageKey: key }, "could not delete an attachment's file");
    }
  }
}

/**
 * Removes uploads never sent in a message and older than `maxAgeMs` (24 h): rows first, then their
 * files, so a file is only removed once no row can point at it. Returns how many were removed.
 * Not scheduled by itself: call it periodically.
 */
export async function deleteStaleUploads(
  options: { now?: Date; maxAgeMs?: number; db?: PrismaClient; storage?: ObjectStorage } = {},
): Promise<number> {
  const db = options.db ?? (await dbReady());
  const storage = options.storage ?? getAttachmentStorage();
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.maxAgeMs ?? UNLINKED_UPLOAD_TTL_MS));
  let removed = 0;
  for (;;) {
    const stale = await db.attachment.findMany({
      where: { messageId: null, createdAt: { lt: cutoff } },
      select: { id: true, storageKey: true },
      orderBy: { createdAt: "asc" },
      take: CLEANUP_BATCH,
    });
    if (stale.length === 0) return removed;
    const ids = stale.map((row) => row.id);
    // A row linked since the read above is kept (messageId no longer null), and so is its file.
    await db.attachment.deleteMany({ where: { id: { in: ids }, messageId: null } });
    const kept = new Set((await db.attachment.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((row) => row.id));
    for (const row of stale) {
      if (kept.has(row.id)) continue;
      try {
        await storage.delete(row.storageKey);
      } catch (error) {
        getLogger().warn({ err: error, attachmentId: row.id }, "could not delete a stale upload's file");
      }
      removed += 1;
    }
    if (stale.length < CLEANUP_BATCH) return removed;
  }
}
