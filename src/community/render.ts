import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { trustOf } from "./trust";

// A member's post is Markdown written by a stranger: it becomes HTML through marked and then
// sanitize-html, which keeps text formatting only. Links survive from trust level 1 (marked
// nofollow ugc, opening nothing but http(s) and mailto), images from level 2 (https only);
// below that they are left as their text. Raw HTML in the Markdown is escaped, never passed on.

const BASE_TAGS = ["p", "br", "b", "strong", "i", "em", "s", "blockquote", "code", "pre", "ul", "ol", "li", "h3", "h4", "hr"];

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Raw HTML written into the Markdown is shown as the text it is.
const markdown = new Marked({ gfm: true, breaks: true, renderer: { html: (token) => escapeHtml(token.text) } });

export function renderPost(body: string, trustLevel: number): string {
  const trust = trustOf(trustLevel);
  const html = markdown.parse(body, { async: false }) as string;
  const allowedTags = [...BASE_TAGS, ...(trust.links ? ["a"] : []), ...(trust.images ? ["img"] : [])];
  return sanitizeHtml(html, {
    allowedTags,
    allowedAttributes: { a: ["href", "rel"], img: ["src", "alt"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["https"] },
    allowProtocolRelative: false,
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "nofollow ugc noopener noreferrer" }) },
  });
}

/** Plain text of a post for the inbox and search: the Markdown as written. */
export const postText = (title: string | null, body: string) => (title ? `${title}\n\n${body}` : body);
