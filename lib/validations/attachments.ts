/**
 * Attachment limits and allowed types, shared by the upload route and the browser (pre-checks, the
 * file picker's `accept`). Isomorphic: no Node imports.
 */

/** Largest file accepted (10 MiB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Room for the multipart envelope (boundaries, part headers) around the one file. */
export const MAX_UPLOAD_BODY_BYTES = MAX_ATTACHMENT_BYTES + 64 * 1024;
/** Images larger than this many pixels are refused: decoding them would stall or crash a viewer's tab. */
export const MAX_IMAGE_PIXELS = 50_000_000;
export const MAX_FILE_NAME_LENGTH = 200;
export const UPLOADS_PER_MINUTE = 30;
/** Unlinked uploads (never sent in a message) are removed after this long. */
export const UNLINKED_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** The multipart field that carries the file. */
export const UPLOAD_FIELD = "file";
/** `error.code` of a 415 answer (not one of the realtime codes: it only exists over HTTP). */
export const UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";

/** How the server recognises a type from its bytes (see `lib/uploads/inspect-file.ts`). */
export type ContentSignature = "png" | "jpeg" | "gif" | "webp" | "pdf" | "zip" | "ole" | "rtf" | "text";

type AttachmentTypeInfo = { label: string; extensions: readonly string[]; signature: ContentSignature; isImage: boolean };

const image = (label: string, signature: ContentSignature, extensions: string[]): AttachmentTypeInfo => ({ label, extensions, signature, isImage: true });
const file = (label: string, signature: ContentSignature, extensions: string[]): AttachmentTypeInfo => ({ label, extensions, signature, isImage: false });

/**
 * Every type that may be uploaded. Images are shown inline; everything else is only ever downloaded.
 * Deliberately absent: SVG and HTML (script), executables, archives other than zip.
 */
export const ATTACHMENT_TYPES = {
  "image/png": image("PNG image", "png", [".png"]),
  "image/jpeg": image("JPEG image", "jpeg", [".jpg", ".jpeg"]),
  "image/gif": image("GIF image", "gif", [".gif"]),
  "image/webp": image("WebP image", "webp", [".webp"]),
  "application/pdf": file("PDF", "pdf", [".pdf"]),
  "text/plain": file("text file", "text", [".txt", ".log"]),
  "text/markdown": file("Markdown file", "text", [".md", ".markdown"]),
  "text/csv": file("CSV file", "text", [".csv"]),
  "application/rtf": file("RTF document", "rtf", [".rtf"]),
  "application/zip": file("zip archive", "zip", [".zip"]),
  "application/msword": file("Word document", "ole", [".doc"]),
  "application/vnd.ms-excel": file("Excel spreadsheet", "ole", [".xls"]),
  "application/vnd.ms-powerpoint": file("PowerPoint presentation", "ole", [".ppt"]),
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": file("Word document", "zip", [".docx"]),
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": file("Excel spreadsheet", "zip", [".xlsx"]),
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": file("PowerPoint presentation", "zip", [".pptx"]),
  "application/vnd.oasis.opendocument.text": file("OpenDocument text", "zip", [".odt"]),
  "application/vnd.oasis.opendocument.spreadsheet": file("OpenDocument spreadsheet", "zip", [".ods"]),
  "application/vnd.oasis.opendocument.presentation": file("OpenDocument presentation", "zip", [".odp"]),
} as const satisfies Record<string, AttachmentTypeInfo>;

export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;
export type ImageContentType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

/** Names browsers and operating systems use for the same types. */
const TYPE_ALIASES: Readonly<Record<string, AttachmentContentType>> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "application/x-zip-compressed": "application/zip",
  "application/x-zip": "application/zip",
  "text/x-markdown": "text/markdown",
  "text/rtf": "application/rtf",
  "application/x-rtf": "application/rtf",
};

export function isAllowedContentType(type: string): type is AttachmentContentType {
  return Object.hasOwn(ATTACHMENT_TYPES, type);
}

export function isImageContentType(type: string): type is ImageContentType {
  return isAllowedContentType(type) && ATTACHMENT_TYPES[type].isImage;
}

/** Lower-cased media type without parameters (`Text/Plain; charset=x` → `text/plain`), aliases resolved. */
export function normalizeContentType(type: string): string {
  const bare = (type.split(";")[0] ?? "").trim().toLowerCase();
  return TYPE_ALIASES[bare] ?? bare;
}

/** `.pdf` for `Report.PDF`; empty when there is none (a leading dot alone is a name, not an extension). */
export function fileExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot).toLowerCase() : "";
}

export function contentTypeFromFileName(fileName: string): AttachmentContentType | null {
  const extension = fileExtension(fileName);
  if (!extension) return null;
  for (const [type, info] of Object.entries(ATTACHMENT_TYPES)) {
    if ((info.extensions as readonly string[]).includes(extension)) return type as AttachmentContentType;
  }
  return null;
}

/**
 * The allowed types a file claims to be, most trusted first: its declared type, then its extension's
 * (browsers report odd types, e.g. Windows with Excel calls a .csv `application/vnd.ms-excel`). Empty
 * when neither is allowed. The server keeps the first claim the bytes bear out.
 */
export function claimedContentTypes(declaredType: string, fileName: string): AttachmentContentType[] {
  const normalized = normalizeContentType(declaredType);
  const claims: AttachmentContentType[] = [];
  if (isAllowedContentType(normalized)) claims.push(normalized);
  const byExtension = contentTypeFromFileName(fileName);
  if (byExtension && !claims.includes(byExtension)) claims.push(byExtension);
  return claims;
}

// Path separators, C0/C1 controls and format characters (bidi overrides that disguise `exe.pdf`
// as `fdp.exe`, zero-width characters) never belong in a name shown to other people.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const RESERVED_ON_WINDOWS = /[<>:"|?*]/g;

/**
 * A display name from an untrusted file name: the last path segment only, no control or format
 * characters, no characters Windows refuses in a saved file, at most MAX_FILE_NAME_LENGTH characters
 * (code points, keeping the extension). Never used to build a storage path.
 */
export function sanitizeFileName(raw: string, fallback = "file"): string {
  const lastSegment = raw.split(/[/\\]/).pop() ?? "";
  const cleaned = lastSegment
    .normalize("NFC")
    .replace(INVISIBLE_OR_CONTROL, "")
    .replace(RESERVED_ON_WINDOWS, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[. ]+$/, "");
  if (cleaned === "" || /^\.+$/.test(cleaned)) return fallback;
  const codePoints = Array.from(cleaned);
  if (codePoints.length <= MAX_FILE_NAME_LENGTH) return cleaned;
  const extension = Array.from(fileExtension(cleaned));
  const keep = extension.length > 0 && extension.length <= 16 ? extension : [];
  return codePoints.slice(0, MAX_FILE_NAME_LENGTH - keep.length).join("").trimEnd() + keep.join("");
}

/** Extensions a file stored as `type` may keep: those of its own kind (same signature; any raster image for an image). */
function extensionsOfKind(type: AttachmentContentType): string[] {
  const info = ATTACHMENT_TYPES[type];
  return Object.values(ATTACHMENT_TYPES)
    .filter((other) => other.signature === info.signature || (info.isImage && other.isImage))
    .flatMap((other) => [...other.extensions]);
}

/**
 * The name a stored file is downloaded or saved under: its display name, plus its stored type's
 * extension when the name's own extension is of another kind. Text named `run.bat`, `page.html` or
 * `logo.svg` is saved as `run.bat.txt`, `page.html.txt`, `logo.svg.txt`, a PNG named `poly.html` as
 * `poly.html.png`: opening the saved file opens what the bytes are, never a script or a page.
 */
export function downloadFileName(fileName: string, contentType: string): string {
  if (!isAllowedContentType(contentType)) return fileName;
  const extension = fileExtension(fileName);
  if (extension && extensionsOfKind(contentType).includes(extension)) return fileName;
  return `${fileName}${ATTACHMENT_TYPES[contentType].extensions[0]}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

export const TOO_LARGE_MESSAGE = `The file is larger than ${formatBytes(MAX_ATTACHMENT_BYTES)}.`;
export const TYPE_NOT_ALLOWED_MESSAGE = "This type of file cannot be sent. Images, PDFs, text, zip and office documents can.";
export const EMPTY_FILE_MESSAGE = "The file is empty.";

export type PreUploadProblem = { code: "too-large" | "type-not-allowed" | "empty"; message: string };

/** The checks a browser can make before sending anything (the server repeats them, and reads the bytes). */
export function checkFileBeforeUpload(candidate: { name: string; size: number; type: string }): PreUploadProblem | null {
  if (candidate.size > MAX_ATTACHMENT_BYTES) return { code: "too-large", message: TOO_LARGE_MESSAGE };
  if (candidate.size === 0) return { code: "empty", message: EMPTY_FILE_MESSAGE };
  if (claimedContentTypes(candidate.type, candidate.name).length === 0) return { code: "type-not-allowed", message: TYPE_NOT_ALLOWED_MESSAGE };
  return null;
}

/** For `<input type="file" accept=…>`: every allowed type and extension. */
export const ATTACHMENT_ACCEPT = [
  ...Object.keys(ATTACHMENT_TYPES),
  ...Object.values(ATTACHMENT_TYPES).flatMap((info) => info.extensions),
].join(",");
