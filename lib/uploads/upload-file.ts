/**
 * Browser helper: uploads one file to a conversation with XMLHttpRequest (fetch reports no upload
 * progress), reporting progress from 0 to 1. Resolves with the AttachmentDto; rejects with an
 * UploadError whose code says why. Browser-only; its error mapping is pure.
 */
import "client-only";

import type { AttachmentDto } from "@/lib/realtime/protocol";
import { checkFileBeforeUpload, EMPTY_FILE_MESSAGE, TOO_LARGE_MESSAGE, TYPE_NOT_ALLOWED_MESSAGE, UPLOAD_FIELD } from "@/lib/validations/attachments";

export type UploadErrorCode =
  | "too-large"
  | "type-not-allowed"
  | "empty"
  | "not-member"
  | "signed-out"
  | "rate-limited"
  | "invalid"
  | "network"
  | "aborted"
  | "server";

export class UploadError extends Error {
  readonly code: UploadErrorCode;
  /** HTTP status, when the server answered. */
  readonly status: number | null;

  constructor(code: UploadErrorCode, message: string, status: number | null = null) {
    super(message);
    this.name = "UploadError";
    this.code = code;
    this.status = status;
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return error instanceof UploadError;
}

const FALLBACK_MESSAGES: Record<UploadErrorCode, string> = {
  "too-large": TOO_LARGE_MESSAGE,
  "type-not-allowed": TYPE_NOT_ALLOWED_MESSAGE,
  empty: EMPTY_FILE_MESSAGE,
  "not-member": "You can no longer send files to this conversation.",
  "signed-out": "You are signed out. Sign in again to send files.",
  "rate-limited": "You are uploading too fast. Wait a moment and try again.",
  invalid: "The upload was not understood. Try again.",
  network: "The upload failed: the connection was lost. Check your connection and try again.",
  aborted: "The upload was cancelled.",
  server: "The upload failed on our side. Try again in a moment.",
};

function serverMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return null;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && message.trim() !== "" ? message : null;
}

const CODE_BY_STATUS: Readonly<Record<number, UploadErrorCode>> = {
  400: "invalid",
  401: "signed-out",
  403: "not-member",
  404: "not-member",
  413: "too-large",
  415: "type-not-allowed",
  422: "invalid",
  429: "rate-limited",
};
// Answers whose server message describes this very file or request; for the others ours reads better.
const SERVER_MESSAGE_CODES = new Set<UploadErrorCode>(["too-large", "type-not-allowed", "rate-limited", "invalid"]);

/** The UploadError for a non-201 answer: the status decides the code; a specific server message is kept. */
export function uploadErrorFromResponse(status: number, body: unknown): UploadError {
  const code = CODE_BY_STATUS[status] ?? "server";
  const message = (SERVER_MESSAGE_CODES.has(code) ? serverMessage(body) : null) ?? FALLBACK_MESSAGES[code];
  return new UploadError(code, message, status);
}

function isAttachmentDto(value: unknown): value is AttachmentDto {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<AttachmentDto>;
  return typeof candidate.id === "string" && typeof candidate.url === "string" && typeof candidate.fileName === "string";
}

export type UploadFileOptions = {
  conversationId: string;
  file: File;
  /** Called with 0 at the start, then the fraction sent so far, and 1 once every byte is sent. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
};

export function uploadFile({ conversationId, file, onProgress, signal }: UploadFileOptions): Promise<AttachmentDto> {
  const problem = checkFileBeforeUpload(file);
  if (problem) return Promise.reject(new UploadError(problem.code, problem.message));
  if (signal?.aborted) return Promise.reject(new UploadError("aborted", FALLBACK_MESSAGES.aborted));

  return new Promise<AttachmentDto>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbortSignal = () => xhr.abort();
    const settle = (outcome: () => void) => {
      signal?.removeEventListener("abort", onAbortSignal);
      outcome();
    };

    xhr.open("POST", `/api/conversations/${encodeURIComponent(conversationId)}/attachments`);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(Math.min(1, Math.max(0, event.loaded / event.total)));
    };
    xhr.upload.onload = () => onProgress?.(1);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      if (xhr.status === 201 && isAttachmentDto(body)) settle(() => resolve(body as AttachmentDto));
      else settle(() => reject(uploadErrorFromResponse(xhr.status, body)));
    };
    xhr.onerror = () => settle(() => reject(new UploadError("network", FALLBACK_MESSAGES.network)));
    xhr.ontimeout = () => settle(() => reject(new UploadError("network", FALLBACK_MESSAGES.network)));
    xhr.onabort = () => settle(() => reject(new UploadError("aborted", FALLBACK_MESSAGES.aborted)));
    signal?.addEventListener("abort", onAbortSignal, { once: true });

    const form = new FormData();
    form.append(UPLOAD_FIELD, file, file.name);
    onProgress?.(0);
    xhr.send(form);
  });
}
