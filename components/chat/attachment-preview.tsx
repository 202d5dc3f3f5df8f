"use client";

import { clsx } from "clsx";

import type { AttachmentDto } from "@/lib/realtime/protocol";
import { isImageContentType } from "@/lib/validations/attachments";
import { formatBytes } from "./format";
import { AlertIcon, CloseIcon, FileIcon } from "./icons";
import type { UploadItem } from "./use-uploads";

const MAX_IMAGE_WIDTH = 320;
const MAX_IMAGE_HEIGHT = 240;

/** Our own attachment route only: a URL from a message never points anywhere else. */
function safeAttachmentUrl(url: string): string | null {
  return url.startsWith("/") && !url.startsWith("//") ? url : null;
}

/** The box an image is drawn in, from its stored size: no layout shift while it loads. */
export function fitImage(width: number | null, height: number | null): { width: number; height: number } {
  if (!width || !height) return { width: MAX_IMAGE_WIDTH, height: MAX_IMAGE_HEIGHT };
  const scale = Math.min(1, MAX_IMAGE_WIDTH / width, MAX_IMAGE_HEIGHT / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function ImageAttachment({ attachment, url }: { attachment: AttachmentDto; url: string }) {
  const size = fitImage(attachment.width, attachment.height);
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      className="block max-w-full overflow-hidden rounded-lg border border-slate-200 bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:bg-slate-800"
      style={{ width: size.width }}
    >
      {/* A plain img: next/image cannot optimize authenticated files. */}
      <img src={url} alt={attachment.fileName} width={size.width} height={size.height} loading="lazy" decoding="async" className="block h-auto max-w-full" />
    </a>
  );
}

function FileAttachment({ attachment, url }: { attachment: AttachmentDto; url: string }) {
  return (
    <a
      href={url}
      download={attachment.fileName}
      title={`Download ${attachment.fileName}`}
      className="flex w-72 max-w-full items-center gap-3 rounded-lg border border-slate-200 bg-white p-2.5 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
    >
      <span className="flex h-10 w-10 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-indigo-600 dark:bg-indigo-500/15 dark:text-indigo-300">
        <FileIcon className="h-5 w-5" />
      </span>
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium">{attachment.fileName}</span>
        <span className="block text-xs text-slate-500 dark:text-slate-400">{formatBytes(attachment.size)}</span>
      </span>
    </a>
  );
}

export function MessageAttachments({ attachments }: { attachments: readonly AttachmentDto[] }) {
  if (attachments.length === 0) return null;
  // Pictures first, then the download cards, each group in the order they were attached.
  const ordered = [...attachments].sort((a, b) => Number(isImageContentType(b.contentType)) - Number(isImageContentType(a.contentType)));
  return (
    <ul className="mt-1.5 flex flex-wrap gap-2" aria-label="Attachments">
      {ordered.map((attachment) => {
        const url = safeAttachmentUrl(attachment.url);
        if (!url) return null;
        return (
          <li key={attachment.id} className="max-w-full">
            {isImageContentType(attachment.contentType) ? (
              <ImageAttachment attachment={attachment} url={url} />
            ) : (
              <FileAttachment attachment={attachment} url={url} />
            )}
          </li>
        );
      })}
    </ul>
  );
}

type UploadTrayProps = {
  uploads: readonly UploadItem[];
  onRemove: (key: string) => void;
  onRetry: (key: string) => void;
};

/** The composer's files: a preview, a progress bar while uploading, the reason when it failed. */
export function UploadTray({ uploads, onRemove, onRetry }: UploadTrayProps) {
  if (uploads.length === 0) return null;
  return (
    <ul className="flex gap-2 overflow-x-auto px-3 pt-3" aria-label="Files to send">
      {uploads.map((upload) => (
        <li
          key={upload.key}
          data-status={upload.status}
          className={clsx(
            "relative flex w-56 shrink-0 gap-2 rounded-lg border p-2",
            upload.status === "failed"
              ? "border-red-300 bg-red-50 dark:border-red-500/50 dark:bg-red-950/40"
              : "border-slate-200 bg-slate-50 dark:border-slate-700 dark:bg-slate-800/60",
          )}
        >
          {upload.previewUrl ? (
            // A local blob: preview of the picked file.
            <img src={upload.previewUrl} alt="" className="h-12 w-12 shrink-0 rounded object-cover" />
          ) : (
            <span className="flex h-12 w-12 shrink-0 items-center justify-center rounded bg-white text-slate-500 dark:bg-slate-900">
              {upload.status === "failed" ? <AlertIcon className="h-5 w-5 text-red-600" /> : <FileIcon className="h-5 w-5" />}
            </span>
          )}
          <div className="min-w-0 flex-1 pr-5">
            <p className="truncate text-xs font-medium" title={upload.name}>
              {upload.name}
            </p>
            {upload.status === "uploading" ? (
              <div
                role="progressbar"
                aria-label={`Uploading ${upload.name}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(upload.progress * 100)}
                className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
              >
                <div className="h-full rounded-full bg-indigo-500 transition-[width]" style={{ width: `${Math.round(upload.progress * 100)}%` }} />
              </div>
            ) : upload.status === "failed" ? (
              <>
                <p role="alert" className="mt-0.5 text-xs text-red-700 dark:text-red-300">
                  {upload.error}
                </p>
                {upload.canRetry ? (
                  <button
                    type="button"
                    onClick={() => onRetry(upload.key)}
                    aria-label={`Retry uploading ${upload.name}`}
                    className="mt-0.5 text-xs font-medium text-indigo-700 underline dark:text-indigo-300"
                  >
                    Retry
                  </button>
                ) : null}
              </>
            ) : (
              <p className="text-xs text-slate-500 dark:text-slate-400">{formatBytes(upload.size)}</p>
            )}
          </div>
          <button
            type="button"
            onClick={() => onRemove(upload.key)}
            aria-label={`Remove ${upload.name}`}
            className="absolute right-1 top-1 rounded p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-700 dark:hover:text-white"
          >
            <CloseIcon className="h-3.5 w-3.5" />
          </button>
        </li>
      ))}
    </ul>
  );
}
