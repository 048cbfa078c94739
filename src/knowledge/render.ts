import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

// Articles are written in Markdown by staff, and promoted from answers written by
// customers: both are untrusted. Markdown passes raw HTML through, so the rendered
// HTML always goes through the sanitizer, which keeps formatting, images and links
// and drops everything that runs (scripts, handlers, javascript: URLs, styles).

const markdown = new Marked({ gfm: true, breaks: false, async: false });

const ARTICLE_HTML: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "del",
    "s",
    "u",
    "sup",
    "sub",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "alt", "title"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
    // GFM task lists render disabled checkboxes.
    input: ["type", "checked", "disabled"],
    code: ["class"],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow ugc" }),
    input: (tagName, attribs) =>
      attribs.type === "checkbox"
        ? { tagName, attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } }
        : { tagName: "span", attribs: {} },
  },
};

/** The article's Markdown as HTML that is safe to put in a page as is. */
export function renderArticleHtml(source: string): string {
  const html = markdown.parse(source) as string;
  return sanitizeHtml(html, ARTICLE_HTML);
}

/** The article's words without markup: what search indexes and snippets show. */
export function articleText(source: string): string {
  const html = markdown.parse(source) as string;
  return sanitizeHtml(html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/(p|h\d|li|tr|pre|blockquote)>/gi, "\n"), {
    allowedTags: [],
    allowedAttributes: {},
    // A script's or style's content is not words of the article.
    nonTextTags: ["script", "style", "textarea", "option", "noscript"],
  })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}
