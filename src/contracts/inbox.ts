import { z } from "zod";
import { jsonObject, listOf, pageOf, type Response, timestamp } from "./common";
import { CONVERSATION_STATUSES, DIRECTIONS, NETWORKS, type Network } from "./enums";
import { replyAttachmentSchema } from "./replies";

// Listening and the inbox: channels, own accounts, the dictionary, conversations, messages
// and their authors' profiles. Objects are loose (unknown keys pass): the domain's presenters
// are the whitelist, these schemas document and type the fields every answer has.

// Rows carry the network as a string; the documented values are NETWORKS.
const network = z.string().meta({ enum: [...NETWORKS] });
// An intersection, not Omit: Omit over a loose object (an index signature) would drop its named keys.
type WithNetwork<T> = T & { network: Network };

export const messageAnalysisSchema = z.looseObject({
  sentiment: z.object({ label: z.string().nullable(), score: z.number().nullable() }),
  intents: z.record(z.string(), z.number()).nullable(),
  signals: z
    .record(z.string(), z.number())
    .nullable()
    .describe("Probabilities that the message is ironic (irony) and offensive or hateful (toxic); null if analyzed before they were kept"),
  labels: z.array(z.string()),
  priority: z.number().nullable(),
  reasons: z.array(z.string()),
  topics: z.array(z.string()),
  products: z.array(z.string()),
  model_version: z.string().nullable(),
  analyzed_at: timestamp.nullable(),
});

export const messageSchema = z.looseObject({
  id: z.string(),
  conversation_id: z.string(),
  channel_id: z.string().nullable(),
  network,
  external_id: z.string(),
  url: z.string().nullable(),
  profile_id: z.string().nullable(),
  author: z.looseObject({ handle: z.string().nullable(), name: z.string().nullable() }),
  text: z.string().nullable(),
  html: z.string().nullable(),
  subject: z.string().nullable(),
  language: z.string().nullable(),
  posted_at: timestamp,
  received_at: timestamp.nullable(),
  in_reply_to: z.string().nullable(),
  quote_of: z.string().nullable(),
  public: z.boolean(),
  direction: z.enum(DIRECTIONS),
  repost_count: z.number(),
  duplicate_count: z.number(),
  /** A reply written in Parley: sending, sent or failed (why, in words); null on received messages. */
  delivery: z
    .object({
      status: z.enum(["sending", "sent", "failed"]),
      error: z.string().nullable(),
      delivered_at: timestamp.nullable(),
      sent_by: z.string().nullable(),
    })
    .nullable()
    .optional(),
  /** Images sent with a reply written in Parley (in a conversation's thread). */
  attachments: z.array(replyAttachmentSchema).optional(),
  analysis: messageAnalysisSchema.nullable(),
});
export const messagePageSchema = pageOf(messageSchema);

export const profileSchema = z.looseObject({
  id: z.string(),
  network,
  network_id: z.string().nullable(),
  handle: z.string().nullable(),
  display_name: z.string().nullable(),
  profile_url: z.string().nullable(),
  followers: z.number().nullable(),
  bio: z.string().nullable(),
  verified: z.boolean().nullable(),
  contact_id: z.string().nullable(),
});

export const conversationSchema = z.looseObject({
  id: z.string(),
  channel_id: z.string().nullable(),
  network,
  subject: z.string().nullable(),
  status: z.enum(CONVERSATION_STATUSES),
  assignee_id: z.string().nullable(),
  team_id: z.string().nullable(),
  priority: z.number().nullable(),
  message_count: z.number(),
  first_message_at: timestamp.nullable(),
  last_message_at: timestamp.nullable(),
  last_inbound_at: timestamp.nullable(),
  /** In the inbox list: the latest message's start and its author. */
  snippet: z.string().nullable().optional(),
  author: z.looseObject({ name: z.string().nullable(), handle: z.string().nullable(), profile_id: z.string().nullable() }).optional(),
  /** Hidden from open lists until then. */
  snoozed_until: timestamp.nullable().optional(),
  /** In the inbox list: the conversation's tags, and whether it changed since you last read it. */
  tags: z.array(z.string()).optional(),
  unread: z.boolean().nullable().optional(),
});
export const conversationPageSchema = pageOf(conversationSchema);
/** A conversation with its messages in order, their authors and the rule runs on them. */
export const conversationDetailSchema = conversationSchema.extend({
  messages: z.array(messageSchema),
  profiles: z.array(profileSchema),
});

export const correctionRecordSchema = z.looseObject({
  id: z.string(),
  field: z.string(),
  old_value: z.unknown().describe("The field's value before (a sentiment label, a list of labels, a language code)"),
  new_value: z.unknown().describe("The value the agent set"),
  user_id: z.string().nullable(),
  created_at: timestamp,
});
export const correctionListSchema = listOf(correctionRecordSchema);
export const correctedMessageSchema = z.looseObject({ message: messageSchema, corrections: z.number() });

export const channelSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  network,
  config: jsonObject.describe("The connector's settings (its own fields per network; credentials are never returned)"),
  queries: z.array(z.string()),
  enabled: z.boolean(),
  has_credentials: z.boolean(),
  status: z.string().nullable(),
  last_poll_at: timestamp.nullable(),
  last_error: z.string().nullable(),
  items_total: z.number(),
  webhook_url: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const channelListSchema = listOf(channelSchema);
/** A new webhook channel answers its signing secret once. */
export const channelCreatedSchema = channelSchema.extend({ webhook_secret: z.string().optional() });
export const channelStatusSchema = z.looseObject({
  status: z.string().nullable(),
  polled: z.boolean(),
  last_poll_at: timestamp.nullable(),
  next_poll_at: timestamp.nullable(),
  last_error: z.string().nullable(),
  items_total: z.number(),
  items_last_hour: z.number(),
});
export const channelTestSchema = z.looseObject({ ok: z.boolean(), detail: z.string() });
export const pollOutcomeSchema = z.looseObject({
  channel_id: z.string(),
  status: z.string(),
  received: z.number(),
  stored: z.number(),
  duplicates: z.number(),
  filtered: z.number(),
  rejected: z.number(),
  error: z.string().nullable(),
});

export const ownAccountRecordSchema = z.looseObject({ id: z.string(), network, handle: z.string(), created_at: timestamp.optional() });
export const ownAccountListSchema = listOf(ownAccountRecordSchema);
export const dictionaryTermRecordSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(["brand", "product"]),
  name: z.string(),
  aliases: z.array(z.string()),
  created_at: timestamp.optional(),
});
export const dictionaryListSchema = listOf(dictionaryTermRecordSchema);

/** Text answers (a JSON-lines export, an event stream). */
export const textBody = z.string();

export type Message = WithNetwork<Response<typeof messageSchema>>;
export type MessageAnalysisData = Response<typeof messageAnalysisSchema>;
export type Profile = WithNetwork<Response<typeof profileSchema>>;
export type ConversationSummary = WithNetwork<Response<typeof conversationSchema>>;
/** conversationDetailSchema as received; its messages and profiles carry a Network too. */
export type Conversation = ConversationSummary & { messages: Message[]; profiles: Profile[] };
export type Channel = WithNetwork<Response<typeof channelSchema>>;
export type ChannelStatus = Response<typeof channelStatusSchema>;
export type OwnAccount = WithNetwork<Response<typeof ownAccountRecordSchema>>;
export type DictionaryTerm = Response<typeof dictionaryTermRecordSchema>;
