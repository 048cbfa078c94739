// HTML for the community portal, written as tagged templates: every interpolated value is
// escaped unless it is already Html (a fragment built the same way, or sanitized post HTML
// marked with trusted()). Members' names, titles and posts are strangers' words: they only
// ever enter a page through here.

export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export const escapeHtml = (value: string) => value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);

type Value = Html | string | number | boolean | null | undefined | Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i] as Value) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** HTML that was sanitized where it was made (a member's post through src/community/render.ts). */
export const trusted = (sanitized: string) => new Html(sanitized);

/** Plain text with its line breaks kept. */
export const textBlock = (text: string) =>
  html`${text.split(/\n{2,}/).map((para) => html`<p>${para.split("\n").map((line, i) => (i === 0 ? line : html`<br>${line}`))}</p>`)}`;
