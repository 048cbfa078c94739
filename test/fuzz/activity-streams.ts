import fc from "fast-check";
import { anyString, tokenSoup } from "./support";

// Generators of ActivityStreams 2.0 documents: the fields the converter reads,
// holding any JSON.

const AS2_TYPES = [
  "Note",
  "Article",
  "Comment",
  "Create",
  "Update",
  "Announce",
  "Collection",
  "OrderedCollection",
  "CollectionPage",
  "Person",
  7,
];

const json = fc.jsonValue({ maxDepth: 4 });
const value = fc.oneof({ weight: 3, arbitrary: anyString(20) }, { weight: 2, arbitrary: json });

/** AS2-ish documents: the fields the converter reads, holding any JSON. */
export const as2Doc: fc.Arbitrary<unknown> = fc.letrec<{ doc: unknown }>((tie) => ({
  doc: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    value,
    fc.record(
      {
        "@context": fc.oneof(fc.constant("https://www.w3.org/ns/activitystreams"), value),
        type: fc.oneof(fc.constantFrom(...AS2_TYPES), value),
        id: value,
        url: fc.oneof(value, tie("doc")),
        actor: fc.oneof(value, tie("doc"), fc.array(tie("doc"), { maxLength: 2 })),
        attributedTo: fc.oneof(value, tie("doc")),
        object: fc.oneof(value, tie("doc")),
        items: fc.oneof(value, fc.array(tie("doc"), { maxLength: 3 })),
        orderedItems: fc.oneof(value, fc.array(tie("doc"), { maxLength: 3 })),
        content: fc.oneof(anyString(40), tokenSoup(["<p>", "</p>", "<br>", "<a href='x'>", "&amp;", "<script>", "text"], 10), value),
        contentMap: value,
        name: value,
        summary: value,
        published: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          value,
        ),
        inReplyTo: fc.oneof(value, tie("doc")),
        preferredUsername: value,
      },
      { requiredKeys: [] },
    ),
  ),
})).doc;
