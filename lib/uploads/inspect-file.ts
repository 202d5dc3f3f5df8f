/**
 * What an uploaded file really is, decided from its bytes: the declared type and the name are only
 * claims. Images are recognised by their magic bytes whatever they claim; any other file must be one
 * of the allowed types and carry that type's signature. Pure (no Node APIs).
 */
import { GIF } from "image-size/types/gif";
import type { IImage } from "image-size/types/interface";
import { JPG } from "image-size/types/jpg";
import { PNG } from "image-size/types/png";
import { WEBP } from "image-size/types/webp";

import {
  ATTACHMENT_TYPES,
  type AttachmentContentType,
  claimedContentTypes,
  type ContentSignature,
  EMPTY_FILE_MESSAGE,
  type ImageContentType,
  isImageContentType,
  MAX_IMAGE_PIXELS,
  TYPE_NOT_ALLOWED_MESSAGE,
} from "@/lib/validations/attachments";

export type InspectedFile = { contentType: AttachmentContentType; width: number | null; height: number | null };
export type InspectionProblem = {
  reason: "empty" | "type-not-allowed" | "content-mismatch" | "image-unreadable" | "image-too-large";
  message: string;
};
export type InspectionResult = { ok: true; file: InspectedFile } | { ok: false; problem: InspectionProblem };

const ascii = (text: string): number[] => Array.from(text, (char) => char.charCodeAt(0));

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF_MAGIC = ascii("%PDF-");
// Readers accept a PDF header anywhere in the first kilobyte.
const PDF_HEADER_WINDOW = 1024;

function hasBytesAt(bytes: Uint8Array, expected: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + expected.length) return false;
  return expected.every((value, index) => bytes[offset + index] === value);
}

function hasBytesWithin(bytes: Uint8Array, expected: readonly number[], window: number): boolean {
  const last = Math.min(window, bytes.length - expected.length);
  for (let offset = 0; offset <= last; offset += 1) {
    if (hasBytesAt(bytes, expected, offset)) return true;
  }
  return false;
}

/** The image type the bytes start with, if any of the allowed ones. */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  if (hasBytesAt(bytes, PNG_MAGIC)) return "image/png";
  if (hasBytesAt(bytes, JPEG_MAGIC)) return "image/jpeg";
  if (hasBytesAt(bytes, ascii("GIF87a")) || hasBytesAt(bytes, ascii("GIF89a"))) return "image/gif";
  if (hasBytesAt(bytes, ascii("RIFF")) && hasBytesAt(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

/** UTF-8 (BOM allowed) without NUL bytes: what text files are and binaries are not. */
export function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether the bytes carry a non-image signature (images are recognised by `sniffImageType`). */
export function hasSignature(signature: ContentSignature, bytes: Uint8Array): boolean {
  switch (signature) {
    case "pdf":
      return hasBytesWithin(bytes, PDF_MAGIC, PDF_HEADER_WINDOW);
    case "zip":
      return hasBytesAt(bytes, ascii("PK\x03\x04")) || hasBytesAt(bytes, ascii("PK\x05\x06"));
    case "ole":
      return hasBytesAt(bytes, OLE_MAGIC);
    case "rtf":
      return hasBytesAt(bytes, ascii("{\\rtf"));
    case "text":
      return isUtf8Text(bytes);
    case "png":
    case "jpeg":
    case "gif":
    case "webp":
      return false;
  }
}

const IMAGE_READERS: Record<ImageContentType, IImage> = { "image/png": PNG, "image/jpeg": JPG, "image/gif": GIF, "image/webp": WEBP };

/** Display width and height from the image's header, or null when the header is damaged. */
export function readImageSize(type: ImageContentType, bytes: Uint8Array): { width: number; height: number } | null {
  const reader = IMAGE_READERS[type];
  try {
    if (!reader.validate(bytes)) return null;
    const size = reader.calculate(bytes);
    const valid = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
    if (!valid(size.width) || !valid(size.height)) return null;
    // EXIF orientations 5–8 turn the picture by 90°: browsers show it with width and height swapped.
    const isTurned = typeof size.orientation === "number" && size.orientation >= 5 && size.orientation <= 8;
    return isTurned ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
  } catch {
    return null;
  }
}

const refuse = (reason: InspectionProblem["reason"], message: string): InspectionResult => ({ ok: false, problem: { reason, message } });

export function inspectFile(input: { bytes: Uint8Array; declaredType: string; fileName: string }): InspectionResult {
  const { bytes } = input;
  if (bytes.length === 0) return refuse("empty", EMPTY_FILE_MESSAGE);

  const imageType = sniffImageType(bytes);
  if (imageType) {
    const size = readImageSize(imageType, bytes);
    if (!size) return refuse("image-unreadable", `This ${ATTACHMENT_TYPES[imageType].label} is damaged and cannot be shown.`);
    if (size.width * size.height > MAX_IMAGE_PIXELS) {
      return refuse("image-too-large", `The image is too large (${size.width} × ${size.height} pixels). Scale it down and try again.`);
    }
    return { ok: true, file: { contentType: imageType, ...size } };
  }

  const claims = claimedContentTypes(input.declaredType, input.fileName);
  const [firstClaim] = claims;
  if (!firstClaim) return refuse("type-not-allowed", TYPE_NOT_ALLOWED_MESSAGE);
  const confirmed = claims.find((claim) => !isImageContentType(claim) && hasSignature(ATTACHMENT_TYPES[claim].signature, bytes));
  if (!confirmed) return refuse("content-mismatch", `This file is not a valid ${ATTACHMENT_TYPES[firstClaim].label}.`);
  return { ok: true, file: { contentType: confirmed, width: null, height: null } };
}
