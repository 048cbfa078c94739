import {
  type ArticleSuggestion,
  type casePage,
  type ideaBoard,
  type ideaPage,
  ideaStatusName,
  type myCases,
  type PostView,
  type questionList,
  type questionPage,
  type roadmap,
  trustName,
} from "../../community";
import { type Html, html, textBlock, trusted } from "./html";
import { csrfField, type PageContext, page } from "./layout";

// The portal's pages. Each takes what the community module answered and the page context, and
// returns the whole document; nothing here reads the database.

type Status = { notice?: string | null; error?: string | null };
type Values = Record<string, string>;

const base = (ctx: PageContext) => `/c/${ctx.portal.slug}`;
const when = (d: Date) => html`<time datetime="${new Date(d).toISOString()}">${new Date(d).toISOString().slice(0, 10)}</time>`;
const badge = (b: string | null) => (b ? html`<span class="badge">${b}</span>` : "");

function signInFirst(ctx: PageContext, what: string): Html {
  return html`<p class="card"><a href="${base(ctx)}/signin?next=${encodeURIComponent(ctx.path)}">Sign in</a> or
<a href="${base(ctx)}/signup">join</a> to ${what}.</p>`;
}

function questionItems(ctx: PageContext, questions: Awaited<ReturnType<typeof questionList>>): Html {
  if (questions.length === 0) return html`<p class="card">No questions yet.</p>`;
  return html`<ul class="list">${questions.map(
    (q) => html`<li><a href="${base(ctx)}/q/${q.id}"><strong>${q.title}</strong></a>
<div class="meta">${q.author}${badge(q.badge)} · ${when(q.created_at)} · ${q.answers} ${q.answers === 1 ? "answer" : "answers"} · ${q.score} ${q.score === 1 ? "upvote" : "upvotes"}</div></li>`,
  )}</ul>`;
}

function ideaItems(ctx: PageContext, ideas: Awaited<ReturnType<typeof ideaBoard>>): Html {
  if (ideas.length === 0) return html`<p class="card">No ideas here yet.</p>`;
  return html`<ul class="list">${ideas.map(
    (i) => html`<li><span class="votes" aria-label="${i.vote_count} votes">${i.vote_count}</span>
<a href="${base(ctx)}/ideas/${i.id}"><strong>${i.title}</strong></a> <span class="badge">${ideaStatusName(i.status)}</span></li>`,
  )}</ul>`;
}

function searchForm(ctx: PageContext, q = ""): Html {
  return html`<form role="search" method="get" action="${base(ctx)}/search" class="row">
<label for="q" class="sr">Search the community</label>
<input id="q" type="search" name="q" value="${q}" placeholder="Search questions and articles" style="flex:1;min-width:12rem">
<button type="submit">Search</button></form>`;
}

export function homePage(
  ctx: PageContext,
  data: { questions: Awaited<ReturnType<typeof questionList>>; ideas: Awaited<ReturnType<typeof ideaBoard>> },
  status: Status = {},
) {
  return page(
    ctx,
    "Community",
    html`<h1>${ctx.portal.title} community</h1>
${searchForm(ctx)}
<p class="row"><a class="button" href="${base(ctx)}/questions/new">Ask a question</a> <a class="button" href="${base(ctx)}/ideas/new">Suggest an idea</a></p>
<h2>Recent questions</h2>${questionItems(ctx, data.questions)}
<h2>Popular ideas</h2>${ideaItems(ctx, data.ideas)}`,
    status,
  );
}

export function searchPage(
  ctx: PageContext,
  q: string,
  data: { questions: Awaited<ReturnType<typeof questionList>>; articles: ArticleSuggestion[] },
) {
  return page(
    ctx,
    `Search: ${q}`,
    html`<h1>Search</h1>${searchForm(ctx, q)}
${data.articles.length ? html`<h2>Help articles</h2><ul class="list">${data.articles.map((a) => html`<li><a href="${a.url}">${a.title}</a>${a.excerpt ? html`<div class="meta">${a.excerpt}</div>` : ""}</li>`)}</ul>` : ""}
<h2>Questions</h2>${questionItems(ctx, data.questions)}
<p><a href="${base(ctx)}/questions/new?title=${encodeURIComponent(q)}">Did not find it? Ask the community</a></p>`,
  );
}

export function questionsPage(ctx: PageContext, questions: Awaited<ReturnType<typeof questionList>>) {
  return page(
    ctx,
    "Questions",
    html`<h1>Questions</h1>${searchForm(ctx)}<p><a class="button" href="${base(ctx)}/questions/new">Ask a question</a></p>${questionItems(ctx, questions)}`,
  );
}

export function askPage(ctx: PageContext, values: Values = {}, status: Status = {}) {
  const form = ctx.member
    ? html`<form class="stack" method="post" action="${base(ctx)}/questions">${csrfField(ctx)}
<div><label for="title">Your question</label><input id="title" type="text" name="title" required minlength="5" maxlength="200" value="${values.title ?? ""}" data-suggest="${base(ctx)}/suggest" aria-describedby="suggestions" autocomplete="off"></div>
<div id="suggestions" class="hint" aria-live="polite"></div>
<div><label for="body">Details</label><textarea id="body" name="body" required maxlength="20000">${values.body ?? ""}</textarea>
<div class="meta">Markdown works. Links and images appear once you have taken part for a while.</div></div>
<div><button type="submit">Post question</button></div></form>`
    : signInFirst(ctx, "ask a question");
  return page(ctx, "Ask a question", html`<h1>Ask a question</h1>${form}`, status);
}

function postActions(ctx: PageContext, p: PostView, opts: { accept?: boolean }): Html {
  if (!ctx.member) return html``;
  const b = base(ctx);
  return html`<div class="row">
${!p.mine && !p.upvoted ? html`<form class="inline" method="post" action="${b}/posts/${p.id}/upvote">${csrfField(ctx)}<button class="quiet" type="submit">Upvote</button></form>` : ""}
${opts.accept && !p.accepted ? html`<form class="inline" method="post" action="${b}/posts/${p.id}/accept">${csrfField(ctx)}<button class="quiet" type="submit">Accept answer</button></form>` : ""}
<details><summary>Comment</summary><form class="stack" method="post" action="${b}/posts/${p.id}/comments">${csrfField(ctx)}
<label for="c-${p.id}">Comment</label><textarea id="c-${p.id}" name="body" required maxlength="2000"></textarea><button type="submit">Add comment</button></form></details>
${
  !p.mine
    ? html`<details><summary>Report</summary><form class="stack" method="post" action="${b}/posts/${p.id}/report">${csrfField(ctx)}
<label for="r-${p.id}">What is wrong with this post?</label><input id="r-${p.id}" type="text" name="reason" required maxlength="500"><button class="quiet" type="submit">Report to moderators</button></form></details>`
    : ""
}
</div>`;
}

function postBlock(ctx: PageContext, p: PostView, opts: { accept?: boolean } = {}): Html {
  return html`<article class="card post${p.accepted ? " accepted" : ""}" id="p-${p.id}">
<div class="meta">${p.author}${badge(p.badge)} · ${when(p.created_at)} · ${p.score} ${p.score === 1 ? "upvote" : "upvotes"}${p.accepted ? html` <span class="badge ok">Accepted answer</span>` : ""}</div>
${trusted(p.html)}
${p.comments.length ? html`<div class="comments">${p.comments.map((c) => html`<div class="post" id="p-${c.id}"><div class="meta">${c.author}${badge(c.badge)} · ${when(c.created_at)}</div>${trusted(c.html)}</div>`)}</div>` : ""}
${postActions(ctx, p, opts)}
</article>`;
}

export function questionPageView(ctx: PageContext, data: Awaited<ReturnType<typeof questionPage>>, status: Status = {}) {
  const q = data.question;
  return page(
    ctx,
    q.title,
    html`<h1>${q.title}</h1>
${q.hidden ? html`<p class="notice">Only you can see this question until a moderator has looked at it.</p>` : ""}
${postBlock(ctx, q)}
${data.staff.map((s) => html`<article class="card post" id="s-${s.id}"><div class="meta">${s.author} <span class="badge staff">Staff</span> · ${when(s.created_at)}</div>${textBlock(s.text)}</article>`)}
<h2>${data.answers.length} ${data.answers.length === 1 ? "answer" : "answers"}</h2>
${data.answers.map((a) => postBlock(ctx, a, { accept: data.canAccept }))}
<h2>Your answer</h2>
${
  ctx.member
    ? html`<form class="stack" method="post" action="${base(ctx)}/q/${q.id}/answers">${csrfField(ctx)}
<div><label for="answer">Answer</label><textarea id="answer" name="body" required maxlength="20000"></textarea></div><div><button type="submit">Post answer</button></div></form>`
    : signInFirst(ctx, "answer")
}`,
    status,
  );
}

export function ideasPage(ctx: PageContext, ideas: Awaited<ReturnType<typeof ideaBoard>>, status: string | undefined) {
  const b = base(ctx);
  const filters = ["", "new", "under_review", "planned", "in_progress", "done", "declined"];
  return page(
    ctx,
    "Ideas",
    html`<h1>Ideas</h1>
<p class="row"><a class="button" href="${b}/ideas/new">Suggest an idea</a> <a href="${b}/roadmap">See the roadmap</a></p>
<form method="get" action="${b}/ideas" class="row"><label for="status">Status</label>
<select id="status" name="status" style="max-width:14rem">${filters.map((f) => html`<option value="${f}" ${(status ?? "") === f ? html`selected` : ""}>${f ? ideaStatusName(f) : "all"}</option>`)}</select>
<button class="quiet" type="submit">Show</button></form>
${ideaItems(ctx, ideas)}`,
  );
}

export function newIdeaPage(ctx: PageContext, values: Values = {}, status: Status = {}) {
  const form = ctx.member
    ? html`<form class="stack" method="post" action="${base(ctx)}/ideas">${csrfField(ctx)}
<div><label for="idea-title">Your idea</label><input id="idea-title" type="text" name="title" required minlength="5" maxlength="200" value="${values.title ?? ""}" data-similar="${base(ctx)}/ideas/similar" aria-describedby="similar" autocomplete="off"></div>
<div id="similar" class="hint" aria-live="polite"></div>
<div><label for="description">Why it matters (optional)</label><textarea id="description" name="description" maxlength="5000">${values.description ?? ""}</textarea></div>
<div><button type="submit">Submit idea</button></div></form>`
    : signInFirst(ctx, "suggest an idea");
  return page(ctx, "Suggest an idea", html`<h1>Suggest an idea</h1>${form}`, status);
}

export function ideaPageView(ctx: PageContext, data: Awaited<ReturnType<typeof ideaPage>>, status: Status = {}) {
  const b = base(ctx);
  const i = data.idea;
  const actions = ctx.member
    ? html`<div class="row">
${data.voted ? html`<span class="badge ok">You voted</span>` : html`<form class="inline" method="post" action="${b}/ideas/${i.id}/vote">${csrfField(ctx)}<button type="submit">Vote</button></form>`}
<form class="inline" method="post" action="${b}/ideas/${i.id}/follow">${csrfField(ctx)}<input type="hidden" name="follow" value="${data.following ? "0" : "1"}"><button class="quiet" type="submit">${data.following ? "Unfollow" : "Follow"}</button></form></div>`
    : signInFirst(ctx, "vote");
  return page(
    ctx,
    i.title,
    html`<h1>${i.title}</h1>
<p><span class="votes" data-testid="idea-votes">${i.votes}</span> ${i.votes === 1 ? "vote" : "votes"} · <span class="badge">${ideaStatusName(i.status)}</span></p>
${i.description ? html`<div class="card">${textBlock(i.description)}</div>` : ""}
${actions}
<h2>Comments</h2>
${data.comments.map((c) => html`<article class="card post" id="p-${c.id}"><div class="meta">${c.author}${badge(c.badge)} · ${when(c.created_at)}</div>${trusted(c.html)}</article>`)}
${data.staff.map((s) => html`<article class="card post"><div class="meta">${s.author} <span class="badge staff">Staff</span> · ${when(s.created_at)}</div>${textBlock(s.text)}</article>`)}
${
  ctx.member
    ? html`<form class="stack" method="post" action="${b}/ideas/${i.id}/comments">${csrfField(ctx)}<div><label for="comment">Comment</label><textarea id="comment" name="body" required maxlength="2000"></textarea></div><div><button type="submit">Add comment</button></div></form>`
    : ""
}`,
    status,
  );
}

export function roadmapPage(ctx: PageContext, columns: Awaited<ReturnType<typeof roadmap>>) {
  return page(
    ctx,
    "Roadmap",
    html`<h1>Roadmap</h1><div class="cols">${columns.map(
      (c) =>
        html`<section aria-labelledby="rm-${c.status}"><h2 id="rm-${c.status}">${ideaStatusName(c.status)}</h2>${ideaItems(ctx, c.ideas)}</section>`,
    )}</div>`,
  );
}

export function signUpPage(ctx: PageContext, values: Values = {}, status: Status = {}) {
  const b = base(ctx);
  return page(
    ctx,
    "Join",
    html`<h1>Join the community</h1>
<form class="stack" method="post" action="${b}/signup">${csrfField(ctx)}
<div><label for="display_name">Name shown to others</label><input id="display_name" type="text" name="display_name" required minlength="2" maxlength="60" value="${values.display_name ?? ""}" autocomplete="nickname"></div>
<div><label for="email">Email</label><input id="email" type="email" name="email" required value="${values.email ?? ""}" autocomplete="email"></div>
<div><label for="password">Password (at least 10 characters)</label><input id="password" type="password" name="password" required minlength="10" autocomplete="new-password"></div>
<div><button type="submit">Join</button></div></form>
<p>Already a member? <a href="${b}/signin">Sign in</a></p>`,
    status,
  );
}

export function signInPage(ctx: PageContext, values: Values = {}, status: Status = {}) {
  const b = base(ctx);
  return page(
    ctx,
    "Sign in",
    html`<h1>Sign in</h1>
<form class="stack" method="post" action="${b}/signin">${csrfField(ctx)}
<input type="hidden" name="next" value="${values.next ?? ""}">
<div><label for="email">Email</label><input id="email" type="email" name="email" required value="${values.email ?? ""}" autocomplete="email"></div>
<div><label for="password">Password</label><input id="password" type="password" name="password" required autocomplete="current-password"></div>
<div><button type="submit">Sign in</button></div></form>
<h2>Or get a sign-in link by email</h2>
<form class="stack" method="post" action="${b}/magic">${csrfField(ctx)}
<div><label for="magic-email">Email</label><input id="magic-email" type="email" name="email" required autocomplete="email"></div>
<div><button class="quiet" type="submit">Email me a link</button></div></form>
<p>New here? <a href="${b}/signup">Join</a></p>`,
    status,
  );
}

export function profilePage(ctx: PageContext, status: Status = {}) {
  const m = ctx.member;
  if (!m) return page(ctx, "Profile", signInFirst(ctx, "see your profile"), status);
  return page(
    ctx,
    "Profile",
    html`<h1>Your profile</h1>
<p class="meta">${m.email} · trust level: ${trustName(m.trust_level)} · ${m.post_count} posts</p>
<form class="stack" method="post" action="${base(ctx)}/profile">${csrfField(ctx)}
<div><label for="display_name">Name shown to others</label><input id="display_name" type="text" name="display_name" required minlength="2" maxlength="60" value="${m.display_name}"></div>
<fieldset><legend>Email me when</legend>
<div><input id="notify_replies" type="checkbox" name="notify_replies" value="1" ${m.notify_replies ? html`checked` : ""}> <label for="notify_replies" class="inline">someone answers my questions</label></div>
<div><input id="notify_ideas" type="checkbox" name="notify_ideas" value="1" ${m.notify_ideas ? html`checked` : ""}> <label for="notify_ideas" class="inline">an idea I follow or voted for changes status</label></div>
</fieldset>
<div><button type="submit">Save</button></div></form>`,
    status,
  );
}

/** The "stop emails about ideas" link from a notice email: one button, so a link preview cannot unsubscribe. */
export function stopNoticesPage(ctx: PageContext, link: { m: string; k: string }, done: boolean | null) {
  const body =
    done === null
      ? html`<h1>Emails about ideas</h1><p>Stop the emails we send when an idea you follow or voted for changes status?</p>
<form method="post" action="${base(ctx)}/notices/stop">${csrfField(ctx)}<input type="hidden" name="m" value="${link.m}"><input type="hidden" name="k" value="${link.k}">
<button type="submit">Stop these emails</button></form>`
      : done
        ? html`<h1>Emails about ideas</h1><p role="status">Done: you will get no more emails about ideas. You can turn them on again in <a href="${base(ctx)}/profile">your profile</a>.</p>`
        : html`<h1>Emails about ideas</h1><p class="error" role="alert">This link does not work (it may be from an old email). Sign in and change your emails in <a href="${base(ctx)}/profile">your profile</a>.</p>`;
  return page(ctx, "Emails about ideas", body);
}

export function casesPage(ctx: PageContext, cases: Awaited<ReturnType<typeof myCases>>) {
  return page(
    ctx,
    "My cases",
    html`<h1>My cases</h1>${
      cases.length === 0
        ? html`<p class="card">You have no cases with us.</p>`
        : html`<ul class="list">${cases.map(
            (c) => html`<li><a href="${base(ctx)}/cases/${c.id}"><strong>#${c.number} ${c.subject}</strong></a>
<div class="meta">${c.status.replace(/_/g, " ")} · updated ${when(c.updated_at)}</div></li>`,
          )}</ul>`
    }`,
  );
}

export function casePageView(ctx: PageContext, data: Awaited<ReturnType<typeof casePage>>, status: Status = {}) {
  const c = data.case;
  return page(
    ctx,
    `Case #${c.number}`,
    html`<h1>#${c.number} ${c.subject}</h1>
<p>Status: <span class="badge">${c.status.replace(/_/g, " ")}</span></p>
${data.timeline.map((t) => html`<article class="card post"><div class="meta">${t.from}${t.staff ? html` <span class="badge staff">Staff</span>` : ""} · ${when(t.at)}</div>${textBlock(t.text)}</article>`)}
<form class="stack" method="post" action="${base(ctx)}/cases/${c.id}/replies">${csrfField(ctx)}
<div><label for="reply">Reply</label><textarea id="reply" name="body" required maxlength="10000"></textarea></div>
<div><button type="submit">Send reply</button></div></form>`,
    status,
  );
}

export function errorPage(ctx: PageContext, status: number, message: string) {
  return page(
    ctx,
    status === 404 ? "Not found" : status < 400 ? "Thank you" : "Something is wrong",
    html`<h1>${status === 404 ? "Not found" : status < 400 ? "Thank you" : status === 429 ? "Slow down" : "That did not work"}</h1><p>${message}</p><p><a href="${base(ctx)}">Back to the community</a></p>`,
  );
}

export function helpIndexPage(ctx: PageContext, articles: Array<{ slug: string; title: string }>) {
  return page(
    ctx,
    "Help centre",
    html`<h1>Help centre</h1>${searchForm(ctx)}${
      articles.length === 0
        ? html`<p class="card">No articles yet.</p>`
        : html`<ul class="list">${articles.map((a) => html`<li><a href="${base(ctx)}/help/${a.slug}">${a.title}</a></li>`)}</ul>`
    }`,
  );
}

export function helpArticlePage(ctx: PageContext, article: { slug: string; title: string; html: string }, status: Status = {}) {
  return page(
    ctx,
    article.title,
    html`<h1>${article.title}</h1>
<article class="card post">${trusted(article.html)}</article>
<form class="row" method="post" action="${base(ctx)}/help/${article.slug}/feedback" aria-label="Was this helpful?">${csrfField(ctx)}
<span>Was this helpful?</span>
<button class="quiet" type="submit" name="helpful" value="1">Yes</button>
<button class="quiet" type="submit" name="helpful" value="0">No</button></form>
<p><a href="${base(ctx)}/questions/new">Still stuck? Ask the community</a></p>`,
    status,
  );
}
