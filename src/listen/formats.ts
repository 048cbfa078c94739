import type { NormalizedMessageInput } from "../ingest";

// Public formats Parley accepts besides its own normalized JSON: ActivityStreams
// 2.0 (Note / Create), the "Customer Support on Twitter" CSV, and a generic CSV.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

function as2Actor(actor: unknown): NormalizedMessageInput["author"] {
  if (typeof actor === "string") {
    const handle = actor.replace(/\/+$/, "").split("/").pop() ?? actor;
    return { id: actor, handle, profile_url: actor };
  }
  if (Array.isArray(actor)) return as2Actor(actor[0]);
  if (isObj(actor)) {
    const id = str(actor.id) ?? str(actor.url) ?? str(actor.preferredUsername) ?? "unknown";
    return {
      id,
      handle: str(actor.preferredUsername) ?? null,
      display_name: str(actor.name) ?? null,
      profile_url: str(actor.url) ?? str(actor.id) ?? null,
      bio: str(actor.summary) ?? null,
    };
  }
  return { id: "unknown" };
}

function as2Ref(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (isObj(v)) return str(v.id);
  return undefined;
}

/** An AS2 Note, a Create/Announce of one, or a collection of them → normalized messages. */
export function fromActivityStreams(doc: unknown, network: NormalizedMessageInput["network"] = "webhook"): unknown[] {
  if (!isObj(doc)) return [doc];
  const type = doc.type;
  if (type === "OrderedCollection" || type === "Collection" || type === "OrderedCollectionPage" || type === "CollectionPage") {
    const items = doc.orderedItems ?? doc.items;
    // A sender's "items" may be anything: only a list holds messages.
    return Array.isArray(items) ? items.flatMap((i) => fromActivityStreams(i, network)) : [];
  }
  if (type === "Create" || type === "Update") {
    const object = doc.object;
    if (isObj(object)) return fromActivityStreams({ attributedTo: doc.actor, published: doc.published, ...object }, network);
    return [{ ...doc, _error: "Create without an embedded object" }];
  }
  if (type === "Announce") {
    const id = str(doc.id);
    return [
      {
        network,
        external_id: id ?? "",
        author: as2Actor(doc.actor),
        text: "",
        created_at: str(doc.published) ?? new Date().toISOString(),
        repost_of: as2Ref(doc.object),
        raw: doc,
      },
    ];
  }
  if (type === "Note" || type === "Article" || type === "Comment") {
    const content = str(doc.content) ?? "";
    const looksHtml = /<[a-z][\s\S]*>/i.test(content);
    return [
      {
        network,
        external_id: str(doc.id) ?? "",
        url: as2Ref(doc.url) ?? str(doc.id) ?? null,
        author: as2Actor(doc.attributedTo),
        text: looksHtml ? "" : content,
        html: looksHtml ? content : null,
        subject: str(doc.name) ?? str(doc.summary) ?? null,
        created_at: str(doc.published) ?? new Date().toISOString(),
        in_reply_to: as2Ref(doc.inReplyTo) ?? null,
        language: isObj(doc.contentMap) ? (Object.keys(doc.contentMap)[0] ?? null) : null,
        public: true,
        raw: doc,
      },
    ];
  }
  return [doc];
}

export function isActivityStreams(doc: unknown): boolean {
  return (
    isObj(doc) &&
    (typeof doc.type === "string" || (typeof doc["@context"] === "string" && String(doc["@context"]).includes("activitystreams")))
  );
}

/** "Tue Oct 31 22:10:47 +0000 2017" (Twitter's created_at) → ISO 8601. */
export function twitterDate(value: string): string {
  const m = /^\w{3} (\w{3}) (\d{1,2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4}) (\d{4})$/.exec(value.trim());
  if (m) {
    const d = new Date(`${m[1]} ${m[2]} ${m[5]} ${m[3]} GMT${m[4]}`);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

export const TWCS_COLUMNS = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"];

/** One row of the public "Customer Support on Twitter" data set. */
export function fromTwcsRow(row: Record<string, string>): unknown {
  const inbound = /^true$/i.test(row.inbound ?? "");
  return {
    network: "x",
    external_id: row.tweet_id,
    url: null,
    author: { id: row.author_id, handle: row.author_id },
    text: row.text ?? "",
    created_at: twitterDate(row.created_at ?? ""),
    in_reply_to: row.in_response_to_tweet_id || null,
    public: true,
    direction: inbound ? "inbound" : "outbound",
    raw: row,
  };
}

/** A generic CSV whose columns name normalized fields (author_* for the author). */
export function fromCsvRow(row: Record<string, string>, defaultNetwork = "file"): unknown {
  const get = (...names: string[]) => {
    for (const n of names) {
      const v = row[n];
      if (v !== undefined && v !== "") return v;
    }
    return undefined;
  };
  const followers = get("author_followers", "followers");
  return {
    network: get("network") ?? defaultNetwork,
    external_id: get("external_id", "id", "message_id"),
    url: get("url", "link") ?? null,
    author: {
      id: get("author_id", "author_handle", "author", "handle", "email") ?? "unknown",
      handle: get("author_handle", "handle", "author") ?? null,
      display_name: get("author_name", "name") ?? null,
      profile_url: get("author_url", "profile_url") ?? null,
      followers: followers !== undefined && /^\d+$/.test(followers) ? Number(followers) : null,
      bio: get("author_bio", "bio") ?? null,
    },
    text: get("text", "body", "content", "message") ?? "",
    subject: get("subject", "title") ?? null,
    language: get("language", "lang") ?? null,
    created_at: (() => {
      const v = get("created_at", "date", "timestamp", "posted_at");
      if (!v) return new Date().toISOString();
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : d.toISOString();
    })(),
    in_reply_to: get("in_reply_to", "parent_id") ?? null,
    public: !/^(false|no|0)$/i.test(get("public") ?? "true"),
  };
}
