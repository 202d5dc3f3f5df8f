"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { toast } from "sonner";

import type { AttachmentDto } from "@/lib/realtime/protocol";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "@/lib/realtime/protocol-constants";
import { isUploadError, uploadFile } from "@/lib/uploads/upload-file";
import { checkFileBeforeUpload, claimedContentTypes, isImageContentType } from "@/lib/validations/attachments";

export type UploadItem = {
  key: string;
  name: string;
  size: number;
  status: "uploading" | "done" | "failed";
  /** 0 to 1. */
  progress: number;
  error: string | null;
  /** False when the file itself is refused (too large, wrong type): retrying cannot help. */
  canRetry: boolean;
  previewUrl: string | null;
  attachment: AttachmentDto | null;
};

type Entry = { file: File; controller: AbortController | null };

let nextKey = 0;

/**
 * The composer's attachments: each file uploads at once with its own progress, can be removed
 * (which cancels it) or retried, and leaves once the message that carries it is queued.
 */
export function useUploads(conversationId: string) {
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const entries = useRef(new Map<string, Entry>());
  const uploadsRef = useRef(uploads);
  useEffect(() => {
    uploadsRef.current = uploads;
  });

  const patch = useCallback((key: string, change: Partial<UploadItem>) => {
    setUploads((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const start = useCallback(
    (key: string) => {
      const entry = entries.current.get(key);
      if (!entry) return;
      const controller = new AbortController();
      entry.controller = controller;
      patch(key, { status: "uploading", progress: 0, error: null });
      uploadFile({
        conversationId,
        file: entry.file,
        signal: controller.signal,
        onProgress: (fraction) => patch(key, { progress: fraction }),
      }).then(
        (attachment) => {
          if (entries.current.has(key)) patch(key, { status: "done", progress: 1, attachment });
        },
        (error: unknown) => {
          if (controller.signal.aborted || !entries.current.has(key)) return;
          const message = error instanceof Error ? error.message : "The upload failed. Try again.";
          const canRetry = !isUploadError(error) || !["too-large", "type-not-allowed", "empty"].includes(error.code);
          patch(key, { status: "failed", error: message, canRetry });
        },
      );
    },
    [conversationId, patch],
  );

  const addFiles = useCallback(
    (files: readonly File[]) => {
      const room = MAX_ATTACHMENTS_PER_MESSAGE - uploadsRef.current.length;
      if (files.length > room) toast.error(`You can attach up to ${MAX_ATTACHMENTS_PER_MESSAGE} files to one message.`);
      const accepted = files.slice(0, Math.max(0, room));
      const added: UploadItem[] = accepted.map((file) => {
        const key = `upload-${(nextKey += 1)}`;
        entries.current.set(key, { file, controller: null });
        const problem = checkFileBeforeUpload(file);
        const isImage = claimedContentTypes(file.type, file.name).some(isImageContentType);
        return {
          key,
          name: file.name || "file",
          size: file.size,
          status: problem ? "failed" : "uploading",
          progress: 0,
          error: problem?.message ?? null,
          canRetry: !problem,
          previewUrl: isImage && !problem ? URL.createObjectURL(file) : null,
          attachment: null,
        };
      });
      if (added.length === 0) return;
      setUploads((current) => [...current, ...added]);
      for (const item of added) if (item.status === "uploading") start(item.key);
    },
    [start],
  );

  const forget = useCallback((keys: readonly string[]) => {
    const removing = new Set(keys);
    for (const key of removing) {
      entries.current.get(key)?.controller?.abort();
      entries.current.delete(key);
    }
    setUploads((current) => {
      for (const item of current) if (removing.has(item.key) && item.previewUrl) URL.revokeObjectURL(item.previewUrl);
      return current.filter((item) => !removing.has(item.key));
    });
  }, []);

  const remove = useCallback((key: string) => forget([key]), [forget]);
  const retry = useCallback((key: string) => start(key), [start]);

  useEffect(
    () => () => {
      for (const entry of entries.current.values()) entry.controller?.abort();
      for (const item of uploadsRef.current) if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    },
    [],
  );

  return {
    uploads,
    addFiles,
    remove,
    retry,
    forget,
    isUploading: uploads.some((item) => item.status === "uploading"),
    hasFailed: uploads.some((item) => item.status === "failed"),
  };
}
