import sanitizeHtml from "sanitize-html";
import { z } from "zod";
import { NETWORKS } from "../store/schema";

// The normalized message: what every connector, file format and webhook turns
// a post into before the pipeline sees it. docs/normalized-message.schema.json
// is generated from this schema (test/listen-format.test.ts keeps them equal).

const text = (max: number) => z.string().max(max);

export const authorSchema = z
  .object({
    id: text(300).min(1).describe("The author's stable id on the network (or the handle when the network has no ids)"),
    handle: text(300).nullish().describe("@handle / username / email address"),
    display_name: text(300).nullish(),
    profile_url: text(2000).nullish(),
    followers: z.number().int().min(0).nullish(),
    bio: text(5000).nullish(),
    verified: z.boolean().nullish(),
  })
  .strict();

export const normalizedMessageSchema = z
  .object({
    network: z.enum(NETWORKS).describe("Where the post was made"),
    external_id: text(500).min(1).describe("The post's id on its network; (network, external_id) is unique"),
    channel: text(200).nullish().describe("Channel id or name the message came through (optional)"),
    url: text(2000).nullish().describe("Link to the post at its source"),
    author: authorSchema,
    text: text(100_000).describe("Plain text of the post"),
    html: text(500_000).nullish().describe("HTML of the post, if any; Parley stores it sanitized"),
    subject: text(1000).nullish().describe("Email subject or post title"),
    language: text(20).nullish().describe("Language hint from the source (ISO 639-1)"),
    created_at: z.iso.datetime({ offset: true }).describe("When the post was made (ISO 8601)"),
    in_reply_to: text(500).nullish().describe("external_id of the post this one replies to"),
    quote_of: text(500).nullish().describe("external_id of the post this one quotes"),
    repost_of: text(500).nullish().describe("external_id of the post this one reposts (retweet, boost)"),
    references: z.array(text(500)).max(200).nullish().describe("Email References: Message-IDs of the thread, oldest first"),
    public: z.boolean().default(true).describe("false for direct messages and email"),
    direction: z.enum(["inbound", "outbound"]).nullish().describe("Omit: Parley decides from the workspace's own accounts"),
    raw: z.unknown().optional().describe("The source payload, kept for audit"),
  })
  .strict();

export type NormalizedMessage = z.infer<typeof normalizedMessageSchema>;
export type NormalizedMessageInput = z.input<typeof normalizedMessageSchema>;

export function messageJsonSchema() {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://parley.dev/schemas/normalized-message.json",
    title: "Parley normalized message",
    ...z.toJSONSchema(normalizedMessageSchema, { io: "input" }),
  };
}

/** HTML from the outside world keeps its text formatting and links, nothing that runs. */
export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ["p", "br", "a", "b", "strong", "i", "em", "u", "s", "blockquote", "code", "pre", "ul", "ol", "li", "span"],
    allowedAttributes: { a: ["href", "rel", "target"] },
    allowedSchemes: ["http", "https", "mailto"],
    transformTags: {
      a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow ugc", target: "_blank" }),
    },
  });
}

/** Plain text from HTML, for analysis and search. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p>/gi, "\n\n"), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
