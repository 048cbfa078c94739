import type { Member, Portal } from "../../community";
import { type Html, html } from "./html";

// The portal's page frame: the workspace's name, logo and colour in the header, a skip link,
// the navigation, and a small stylesheet inline (no framework, no bundle: a page is one
// request plus the optional script that suggests similar ideas and articles while typing).

export type PageContext = { portal: Portal; member: Member | null; csrf: string; path: string };

/** Black or white, whichever reads better on the brand colour (WCAG relative luminance). */
export function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return l > 0.179 ? "#111111" : "#ffffff";
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1f23;background:#f6f7f9}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f0a400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header.top{background:var(--brand);color:var(--on-brand)}
header.top .bar{max-width:60rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top a{color:var(--on-brand)}
.brand{display:flex;align-items:center;gap:.5rem;font-weight:700;font-size:1.15rem;text-decoration:none}
.brand img{height:32px;width:auto;border-radius:4px;background:#fff}
nav.main{display:flex;flex-wrap:wrap;gap:.25rem .9rem;flex:1}
nav.main a{text-decoration:none;padding:.2rem 0}
nav.main a[aria-current=page]{text-decoration:underline;text-underline-offset:4px}
.who{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.6rem 0 1rem}
h2{font-size:1.2rem;margin:1.4rem 0 .6rem}
.card{background:#fff;border:1px solid #d9dce1;border-radius:8px;padding:1rem;margin:0 0 .8rem}
.list{list-style:none;padding:0;margin:0}
.list li{background:#fff;border:1px solid #d9dce1;border-radius:8px;padding:.7rem 1rem;margin:0 0 .5rem}
.meta{color:#555b66;font-size:.875rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .45rem;border-radius:99px;background:#e7ecf5;color:#1f3a66;margin-left:.3rem}
.badge.staff{background:#1d1f23;color:#fff}.badge.ok{background:#dff3e4;color:#14532d}
.accepted{border-color:#2f8f4e;border-width:2px}
form.stack{display:grid;gap:.8rem;max-width:40rem}
label{font-weight:600;display:block;margin-bottom:.2rem}
input[type=text],input[type=email],input[type=password],input[type=search],textarea,select{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid #8a909a;border-radius:6px;background:#fff;color:#1d1f23}
textarea{min-height:8rem}
button,.button{font:inherit;font-weight:600;padding:.5rem .9rem;border-radius:6px;border:1px solid var(--brand);background:var(--brand);color:var(--on-brand);cursor:pointer;text-decoration:none;display:inline-block}
button.quiet{background:#fff;color:#1d1f23;border-color:#8a909a}
.inline{display:inline}
.row{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.error{background:#fde8e8;border:1px solid #b42318;color:#7a1a12;padding:.6rem .8rem;border-radius:6px}
.notice{background:#e8f3fd;border:1px solid #1c5fb8;padding:.6rem .8rem;border-radius:6px}
.post p{margin:.4rem 0}.post img{max-width:100%;height:auto}
.comments{margin:.6rem 0 0 1rem;border-left:3px solid #e3e6ea;padding-left:.8rem}
.votes{font-weight:700;font-size:1.1rem}
.cols{display:grid;gap:1rem}
@media(min-width:48rem){.cols{grid-template-columns:repeat(3,1fr)}}
.hint:empty{display:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
label.inline{display:inline;font-weight:400}
fieldset{border:1px solid #d9dce1;border-radius:6px}
`;

export function page(ctx: PageContext, title: string, body: Html, status: { notice?: string | null; error?: string | null } = {}): string {
  const { portal, member } = ctx;
  const base = `/c/${portal.slug}`;
  const link = (href: string, label: string) => html`<a href="${href}" ${ctx.path === href ? html`aria-current="page"` : ""}>${label}</a>`;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${portal.title}</title>
<style>:root{--brand:${portal.color};--on-brand:${textOn(portal.color)};--link:#1749a0}${CSS}</style>
<script src="/c/assets/portal.js" defer></script>
</head>
<body data-portal="${base}">
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="bar">
<a class="brand" href="${base}">${portal.logoUrl ? html`<img src="${portal.logoUrl}" alt="">` : ""}<span>${portal.title}</span></a>
<nav class="main" aria-label="Community">
${link(`${base}/help`, "Help")}
${link(`${base}/questions`, "Questions")}
${link(`${base}/ideas`, "Ideas")}
${link(`${base}/roadmap`, "Roadmap")}
${member ? link(`${base}/cases`, "My cases") : ""}
</nav>
<div class="who">${
    member
      ? html`<a href="${base}/profile">${member.display_name}</a>
<form class="inline" method="post" action="${base}/signout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button class="quiet" type="submit">Sign out</button></form>`
      : html`<a href="${base}/signin">Sign in</a> <a href="${base}/signup">Join</a>`
  }</div>
</div></header>
<main id="main">
${status.error ? html`<p class="error" role="alert">${status.error}</p>` : ""}
${status.notice ? html`<p class="notice" role="status">${status.notice}</p>` : ""}
${body}
</main>
</body>
</html>`}`;
}

/** The hidden CSRF field every form carries (checked against the portal's CSRF cookie). */
export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
