import { z } from "zod";
import { type Response, timestamp, uuid } from "./common";
import { IDEA_STATUSES, NETWORKS, type Network } from "./enums";

// Replies (engage): an agent answers a conversation where the customer spoke. The reply is an
// outbound message on the conversation at once ("sending"), delivered through the channel's
// connector after commit ("sent" with the network's id and URL, or "failed" in words).

export const REPLY_VISIBILITIES = ["public", "private"] as const;
export type ReplyVisibility = (typeof REPLY_VISIBILITIES)[number];
export const DELIVERY_STATUSES = ["sending", "sent", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * How long a reply may be on each network that can take one, in user-perceived characters
 * (graphemes, as Mastodon and Bluesky count them); networks missing here have no write API.
 */
export const REPLY_LIMITS: Partial<Record<Network, number>> = {
  mastodon: 500,
  bluesky: 300,
  x: 280,
  reddit: 10_000,
  email: 100_000,
  webhook: 100_000,
};

/** Characters as a person counts them: "👍🏽" is one, not four UTF-16 units. */
export function graphemeCount(text: string): number {
  if (typeof Intl !== "undefined" && "Segmenter" in Intl) {
    let n = 0;
    for (const _ of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) n++;
    return n;
  }
  return [...text].length;
}

/** The image types a reply can carry: recognised from the bytes, never from the name or the declared type. */
export const ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
/** At most this many images on one reply, each at most this large (a network may allow less). */
export const MAX_ATTACHMENTS = 4;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** The image type the bytes are (their magic numbers), or null when they are none of the four: shared by the composer and the server. */
export function sniffImageType(b: Uint8Array): AttachmentType | null {
  const at = (i: number, bytes: number[]) => bytes.every((v, k) => b[i + k] === v);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (at(0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (at(0, [0x47, 0x49, 0x46, 0x38]) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return "image/gif";
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return "image/webp";
  return null;
}

export const replyAttachmentInputSchema = z
  .object({
    data_base64: z
      .string()
      .min(1, { message: "must not be empty" })
      .max(10_000_000)
      .describe("The image's bytes in base64 (a data: URL is accepted too); PNG, JPEG, GIF or WebP, at most 5 MB"),
    content_type: z.string().trim().max(100).optional().describe("Informative only: the type is read from the bytes"),
    alt: z.string().trim().max(1500).optional().describe("Alt text: what the image shows, for people who cannot see it"),
    filename: z.string().trim().max(200).optional(),
  })
  .strict();
export type ReplyAttachmentInput = z.output<typeof replyAttachmentInputSchema>;

/** An image attached to a reply, as the thread shows it; `url` serves it to a signed-in member. */
export const replyAttachmentSchema = z.object({
  id: z.string(),
  content_type: z.enum(ATTACHMENT_TYPES),
  filename: z.string().nullable(),
  alt: z.string().nullable(),
  byte_size: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  url: z.string(),
});
export type ReplyAttachment = z.infer<typeof replyAttachmentSchema>;

export const replyCreateSchema = z
  .object({
    text: z.string().trim().min(1, { message: "must not be empty" }).max(100_000),
    visibility: z.enum(REPLY_VISIBILITIES).default("public").describe("public: where the post was made; private: a direct message"),
    idempotency_key: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("The same key on the same conversation answers the same reply: it is never sent twice"),
    in_reply_to_message_id: uuid.optional().describe("The message answered (default: the conversation's latest received message)"),
    override_consent: z
      .boolean()
      .optional()
      .describe("Send although the person withdrew consent to social engagement (otherwise 409); recorded in the audit log"),
    attachments: z
      .array(replyAttachmentInputSchema)
      .max(MAX_ATTACHMENTS, { message: `at most ${MAX_ATTACHMENTS} images` })
      .optional()
      .describe("Images sent with the reply where the network takes them (the composer says how many and how large)"),
  })
  .strict();
export type ReplyCreateBody = z.input<typeof replyCreateSchema>;
export type ReplyCreateInput = z.output<typeof replyCreateSchema>;

export const replyParams = z.object({ id: uuid, reply_id: uuid });

export const replySchema = z.looseObject({
  id: z.string(),
  conversation_id: z.string(),
  network: z.string().meta({ enum: [...NETWORKS] }),
  text: z.string(),
  visibility: z.enum(REPLY_VISIBILITIES),
  in_reply_to: z.string().nullable(),
  delivery_status: z.enum(DELIVERY_STATUSES),
  /** Why the last attempt failed, in words (also while a retry is waiting). */
  delivery_error: z.string().nullable(),
  /** The network's id and address once sent. */
  external_id: z.string().nullable(),
  url: z.string().nullable(),
  sent_by: z.string().nullable(),
  created_at: timestamp,
  delivered_at: timestamp.nullable(),
  attachments: z.array(replyAttachmentSchema).optional(),
});

/** What the composer needs to know about answering this conversation. */
export const replyComposerSchema = z.looseObject({
  can_reply: z.boolean(),
  /** When replies are not possible here, why, in a sentence. */
  reason: z.string().nullable(),
  network: z.string(),
  max_length: z.number().nullable(),
  private_allowed: z.boolean(),
  /** Text put before the agent's (e.g. "@kaito@fosstodon.example "): counted in the limit. */
  prefix: z.string(),
  in_reply_to_message_id: z.string().nullable(),
  /** The person answered withdrew consent to social engagement: the composer warns, and a reply needs override_consent. */
  consent_warning: z.object({ contact_id: z.string(), contact_name: z.string(), withdrawn_at: z.string(), source: z.string() }).nullable(),
  /** Images the network takes with a reply: how many (0: none, then `reason` says why), how large, which types. */
  attachments: z.object({ max: z.number(), max_bytes: z.number(), types: z.array(z.string()), reason: z.string().nullable() }).optional(),
});

export type Reply = Response<typeof replySchema>;
export type ReplyComposer = Response<typeof replyComposerSchema>;

// ---------- Closing the loop on ideas (issue 14)

export const ideaStatusRepliesSchema = z.object({
  enabled: z.boolean().describe("Parley answers the public posts that asked for an idea when its status changes"),
});
export const ideaStatusRepliesPatchSchema = z.object({ enabled: z.boolean() }).strict();
export const ideaStatusRepliesPreviewQuery = z.object({
  status: z.enum(IDEA_STATUSES).optional().describe("The status the idea would change to (default: its status now)"),
});
export const ideaStatusRepliesPreviewSchema = z.object({
  enabled: z.boolean(),
  /** The reply as written before each network's limit shortens the title. */
  text: z.string(),
  recipients: z.array(
    z.object({
      message_id: z.string(),
      conversation_id: z.string(),
      network: z.string(),
      author: z.string().nullable(),
      /** What would be posted to this person, or null with the reason it cannot be. */
      text: z.string().nullable(),
      can_reply: z.boolean(),
      reason: z.string().nullable(),
    }),
  ),
});
export type IdeaStatusReplies = z.infer<typeof ideaStatusRepliesSchema>;
export type IdeaStatusRepliesPreview = z.infer<typeof ideaStatusRepliesPreviewSchema>;
