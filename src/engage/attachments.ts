import {
  ATTACHMENT_TYPES,
  type AttachmentType,
  MAX_ATTACHMENT_BYTES,
  type ReplyAttachmentInput,
  sniffImageType,
} from "../contracts/replies";
import type { ReplyAttachmentFile } from "../listen";
import { invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import { insertReplyAttachments, replyAttachmentsWithData } from "../store/reply-attachments";
import { networkName, type ReplyPlan } from "./plan";

// Images on replies (issue 14). What a file is comes from its bytes (the magic numbers of PNG,
// JPEG, GIF and WebP), never from its name or the type the client declared: a page renamed
// .png is refused. The network's own limits (how many, how large) are checked before storing.

export type AttachmentRules = { max: number; maxBytes: number };

/** Width and height from the image's header, when it says them plainly (for aspect ratios). */
export function imageSize(b: Uint8Array, type: AttachmentType): { width: number; height: number } | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ok = (w: number, h: number) => (w > 0 && h > 0 ? { width: w, height: h } : null);
  try {
    if (type === "image/png") return ok(view.getUint32(16), view.getUint32(20));
    if (type === "image/gif") return ok(view.getUint16(6, true), view.getUint16(8, true));
    if (type === "image/webp") {
      const chunk = String.fromCharCode(b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0);
      if (chunk === "VP8 ") return ok(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
      if (chunk === "VP8L") {
        const bits = view.getUint32(21, true);
        return ok((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
      }
      if (chunk === "VP8X") {
        const w = (b[24] ?? 0) | ((b[25] ?? 0) << 8) | ((b[26] ?? 0) << 16);
        const h = (b[27] ?? 0) | ((b[28] ?? 0) << 8) | ((b[29] ?? 0) << 16);
        return ok(w + 1, h + 1);
      }
      return null;
    }
    // JPEG: walk the segments to the first start-of-frame marker.
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] ?? 0;
      const length = view.getUint16(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return ok(view.getUint16(i + 7), view.getUint16(i + 5));
      i += 2 + length;
    }
    return null;
  } catch {
    return null;
  }
}

/** A size in the unit the limit is set in (5 MB is 5 × 2^20 bytes, Bluesky's 1 MB 10^6), rounded up: 5 MB and a byte is "5.01 MB". */
function sizeWords(bytes: number, limit: number) {
  const unit = limit % 1_048_576 === 0 ? 1_048_576 : 1_000_000;
  const up = Math.ceil((bytes / unit) * 100) / 100;
  return { size: `${String(up)} MB`, limit: `${String(Math.round((limit / unit) * 100) / 100)} MB` };
}

/** Letters, digits and a few marks, no paths: a name fit for a header and a mail part. */
function cleanFilename(name: string | undefined, type: AttachmentType, index: number): string {
  const ext = type.slice("image/".length).replace("jpeg", "jpg");
  const base = (name ?? "")
    .split(/[\\/]/)
    .pop()
    ?.replace(/[^\w.\- ]+/g, "")
    .trim()
    .slice(0, 100);
  if (!base) return `image-${index + 1}.${ext}`;
  return /\.[a-z0-9]{2,5}$/i.test(base) ? base : `${base}.${ext}`;
}

export type CheckedAttachment = {
  contentType: AttachmentType;
  filename: string;
  alt: string | null;
  bytes: Buffer;
  width: number | null;
  height: number | null;
};

/** The network's image rules for this plan: null when it takes none. */
export function attachmentRules(plan: Extract<ReplyPlan, { ok: true }>): AttachmentRules | null {
  return plan.attachments;
}

/** Decodes and checks the attached images, or a 400 naming attachments[i] (or attachments). */
export function checkedAttachments(
  plan: Extract<ReplyPlan, { ok: true }>,
  inputs: ReplyAttachmentInput[] | undefined,
): CheckedAttachment[] {
  if (!inputs || inputs.length === 0) return [];
  const rules = attachmentRules(plan);
  const where = networkName(plan.channel.network);
  if (!rules) throw invalid("attachments", `${where} takes no images with a reply from Parley; send the text alone`);
  if (inputs.length > rules.max) throw invalid("attachments", `${inputs.length} images; ${where} takes at most ${rules.max}`);
  return inputs.map((input, i) => {
    const field = `attachments[${i}]`;
    const encoded = input.data_base64.replace(/^data:[^,]*;base64,/i, "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) throw invalid(field, "data_base64 is not base64");
    const bytes = Buffer.from(encoded, "base64");
    if (bytes.length === 0) throw invalid(field, "is empty");
    const type = sniffImageType(bytes);
    if (!type) {
      const named = input.filename ? ` (${input.filename.slice(0, 100)})` : "";
      throw invalid(field, `is not an image${named}: only PNG, JPEG, GIF and WebP files can be attached`);
    }
    const limit = Math.min(rules.maxBytes, MAX_ATTACHMENT_BYTES);
    if (bytes.length > limit) {
      const words = sizeWords(bytes.length, limit);
      throw invalid(field, `is ${words.size}; ${where} takes images up to ${words.limit}`);
    }
    const size = imageSize(bytes, type);
    return {
      contentType: type,
      filename: cleanFilename(input.filename, type, i),
      alt: input.alt ? input.alt : null,
      bytes,
      width: size?.width ?? null,
      height: size?.height ?? null,
    };
  });
}

/** What the composer says about images on this conversation's network. */
export function composerAttachments(plan: ReplyPlan) {
  const rules = plan.ok ? attachmentRules(plan) : null;
  if (rules)
    return { max: rules.max, max_bytes: Math.min(rules.maxBytes, MAX_ATTACHMENT_BYTES), types: [...ATTACHMENT_TYPES], reason: null };
  const reason = plan.ok
    ? `${networkName(plan.channel.network)} takes no images with a reply from Parley`
    : "Replies are not possible here";
  return { max: 0, max_bytes: 0, types: [], reason };
}

export async function storeAttachments(tx: DbOrTx, workspaceId: string, messageId: string, files: CheckedAttachment[]) {
  await insertReplyAttachments(
    tx,
    files.map((f, position) => ({
      workspace_id: workspaceId,
      id: newId(),
      message_id: messageId,
      position,
      content_type: f.contentType,
      filename: f.filename,
      alt: f.alt,
      byte_size: f.bytes.length,
      width: f.width,
      height: f.height,
      data: f.bytes,
    })),
  );
}

/** A reply's images as the connector sends them. */
export async function attachmentFiles(db: DbOrTx, workspaceId: string, messageId: string): Promise<ReplyAttachmentFile[]> {
  return (await replyAttachmentsWithData(db, workspaceId, messageId)).map((row) => ({
    id: row.id,
    contentType: row.content_type,
    filename: row.filename,
    alt: row.alt,
    bytes: Buffer.from(row.data),
    width: row.width,
    height: row.height,
  }));
}
