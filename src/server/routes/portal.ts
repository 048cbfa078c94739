import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import * as community from "../../community";
import { portalHintQuerySchema, portalSuggestionsResponseSchema, similarIdeasResponseSchema } from "../../contracts/community";
import { AppError } from "../../shared/errors";
import { STATUS } from "../errors";
import type { PageContext } from "../portal/layout";
import * as pages from "../portal/pages";
import { PORTAL_JS } from "../portal/script";
import type { App, ServerContext } from "../types";

// The public community portal at /c/<slug>: server-rendered pages for customers (no staff
// actor; members sign in with their own cookie). Forms post urlencoded bodies and carry a CSRF
// token that must equal the portal's CSRF cookie (double submit, SameSite=Lax). Each handler
// resolves the portal and the member, calls one community function and renders or redirects.

export const MEMBER_COOKIE = "parley_member";
export const CSRF_COOKIE = "parley_csrf";

export type PortalLimits = { max: number; windowMs: number };

// Same origin only, and images over https (the logo, trusted members' pictures).
const PORTAL_CSP =
  "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

type Params = { slug: string; id?: string; token?: string };
type Form = Record<string, string>;

const slugParams = z.object({ slug: z.string().max(100) });
const idParams = z.object({ slug: z.string().max(100), id: z.string().max(100) });

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function portalRoutes(app: App, { db, ingestor, secureCookies, now, portalHosts }: ServerContext, limits?: PortalLimits) {
  const deps = community.communityDeps(db, ingestor, { now, ipLimit: limits });

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 128 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  // on a custom domain the whole host is the portal, and its pages live at /ideas, not /c/<slug>/ideas
  const cookiePath = (request: FastifyRequest, slug: string) => (portalHosts.slugOf(request.raw) ? "/" : `/c/${slug}`);
  const cookieOptions = (request: FastifyRequest, slug: string) => ({
    path: cookiePath(request, slug),
    httpOnly: true,
    sameSite: "lax" as const,
    secure: secureCookies,
  });
  const local = (request: FastifyRequest, text: string) => portalHosts.localize(request.raw, text);

  async function contextOf(request: FastifyRequest, reply: FastifyReply): Promise<PageContext> {
    const { slug } = request.params as Params;
    const portal = await community.portalBySlug(db, slug);
    const member = await community.memberFromSession(deps, portal, request.cookies[MEMBER_COOKIE]);
    let csrf = request.cookies[CSRF_COOKIE];
    if (!csrf || !/^[A-Za-z0-9_-]{32,64}$/.test(csrf)) {
      csrf = randomBytes(24).toString("base64url");
      reply.setCookie(CSRF_COOKIE, csrf, cookieOptions(request, portal.slug));
    }
    reply.header("content-security-policy", PORTAL_CSP);
    reply.header("cache-control", "private, no-store");
    return { portal, member, csrf, path: request.url.split("?")[0] ?? "" };
  }

  function fail(reply: FastifyReply, ctx: PageContext | null, err: unknown) {
    if (!(err instanceof AppError)) throw err;
    const status = STATUS[err.code];
    if (err.retryAfterSeconds) reply.header("retry-after", String(err.retryAfterSeconds));
    reply.status(status).type("text/html; charset=utf-8");
    if (!ctx)
      return reply.send(
        `<!doctype html><title>Not found</title><h1>Not found</h1><p>${status === 404 ? "There is no community here." : "Error"}</p>`,
      );
    return reply.send(local(reply.request, pages.errorPage(ctx, status, err.message)));
  }

  /** A page: the portal's context, then the page's own work; domain errors become an error page. */
  const view =
    (render: (ctx: PageContext, request: FastifyRequest, reply: FastifyReply) => Promise<string | undefined> | string | undefined) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      let ctx: PageContext | null = null;
      try {
        ctx = await contextOf(request, reply);
        const body = await render(ctx, request, reply);
        if (body !== undefined) return reply.type("text/html; charset=utf-8").send(local(request, body));
        return reply;
      } catch (err) {
        return fail(reply, ctx, err);
      }
    };

  /** A form post: the CSRF token first, then the action; `form` re-renders a form with its error. */
  const action = (
    run: (ctx: PageContext, form: Form, request: FastifyRequest, reply: FastifyReply) => Promise<string | undefined>,
    form?: (ctx: PageContext, values: Form, status: { error: string }) => string,
  ) =>
    view(async (ctx, request, reply) => {
      const body = (request.body && typeof request.body === "object" ? request.body : {}) as Form;
      if (!sameToken(body._csrf, request.cookies[CSRF_COOKIE]))
        throw new AppError("forbidden", "This form expired or came from another site: reload the page and try again");
      try {
        return await run(ctx, body, request, reply);
      } catch (err) {
        if (form && err instanceof AppError && err.code !== "internal" && err.code !== "not_found") {
          reply.status(STATUS[err.code]);
          if (err.retryAfterSeconds) reply.header("retry-after", String(err.retryAfterSeconds));
          return form(ctx, body, { error: err.message });
        }
        throw err;
      }
    });

  const needMember = (ctx: PageContext) => {
    if (!ctx.member) throw new AppError("unauthorized", "Sign in first");
    return ctx.member;
  };
  const writer = (ctx: PageContext, request: FastifyRequest) => ({ member: needMember(ctx), ip: request.ip });
  const go = (reply: FastifyReply, to: string) => {
    reply.redirect(local(reply.request, to), 303);
    return undefined;
  };
  const base = (ctx: PageContext) => `/c/${ctx.portal.slug}`;
  const signedIn = (reply: FastifyReply, ctx: PageContext, token: string) =>
    reply.setCookie(MEMBER_COOKIE, token, {
      ...cookieOptions(reply.request, ctx.portal.slug),
      maxAge: community.MEMBER_SESSION_DAYS * 86_400,
    });
  // only a path inside this portal: never an open redirect
  const nextPath = (ctx: PageContext, next: string | undefined) =>
    next?.startsWith(`${base(ctx)}/`) && !next.startsWith("//") && !/[\\\s]/.test(next) ? next : base(ctx);

  const html = { config: { access: "public" as const }, schema: { hide: true, params: slugParams } };
  const htmlId = { config: { access: "public" as const }, schema: { hide: true, params: idParams } };

  app.get("/c/assets/portal.js", { config: { access: "public" }, schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").header("cache-control", "public, max-age=3600").send(PORTAL_JS),
  );

  // ---------- reading

  app.get(
    "/c/:slug",
    html,
    view(async (ctx) => {
      const [questions, ideas] = await Promise.all([
        community.questionList(deps, ctx.portal, { limit: 10 }),
        community.ideaBoard(deps, ctx.portal, {}),
      ]);
      return pages.homePage(ctx, { questions, ideas: ideas.slice(0, 10) });
    }),
  );
  app.get(
    "/c/:slug/search",
    html,
    view(async (ctx, request) => {
      const q = String((request.query as { q?: unknown }).q ?? "").slice(0, 200);
      const [questions, articles] = await Promise.all([
        community.questionList(deps, ctx.portal, { q, limit: 20 }),
        community.suggestArticles(db, ctx.portal.workspaceId, q, 5),
      ]);
      return pages.searchPage(ctx, q, { questions, articles });
    }),
  );
  app.get(
    "/c/:slug/questions",
    html,
    view(async (ctx) => pages.questionsPage(ctx, await community.questionList(deps, ctx.portal, { limit: 50 }))),
  );
  app.get(
    "/c/:slug/questions/new",
    html,
    view((ctx, request) => pages.askPage(ctx, { title: String((request.query as { title?: unknown }).title ?? "").slice(0, 200) })),
  );
  app.get(
    "/c/:slug/q/:id",
    htmlId,
    view(async (ctx, request) =>
      pages.questionPageView(ctx, await community.questionPage(deps, ctx.portal, (request.params as Params).id ?? "", ctx.member)),
    ),
  );
  app.get(
    "/c/:slug/ideas",
    html,
    view(async (ctx, request) => {
      const status = String((request.query as { status?: unknown }).status ?? "") || undefined;
      return pages.ideasPage(ctx, await community.ideaBoard(deps, ctx.portal, { status }), status);
    }),
  );
  app.get(
    "/c/:slug/ideas/new",
    html,
    view((ctx, request) => pages.newIdeaPage(ctx, { title: String((request.query as { title?: unknown }).title ?? "").slice(0, 200) })),
  );
  app.get(
    "/c/:slug/ideas/:id",
    htmlId,
    view(async (ctx, request) =>
      pages.ideaPageView(ctx, await community.ideaPage(deps, ctx.portal, (request.params as Params).id ?? "", ctx.member)),
    ),
  );
  app.get(
    "/c/:slug/roadmap",
    html,
    view(async (ctx) => pages.roadmapPage(ctx, await community.roadmap(deps, ctx.portal))),
  );

  // ---------- the help centre (articles are the knowledge module's)

  // a member counts as themselves; a visitor by a hash of their CSRF cookie's random value
  const browserKey = (ctx: PageContext) => `v:${createHash("sha256").update(ctx.csrf).digest("hex").slice(0, 32)}`;
  const visitorKey = (ctx: PageContext) => ctx.member?.id ?? browserKey(ctx);
  const articleParams = {
    config: { access: "public" as const },
    schema: { hide: true, params: z.object({ slug: z.string().max(100), article: z.string().max(200) }) },
  };
  app.get(
    "/c/:slug/help",
    html,
    view(async (ctx) => pages.helpIndexPage(ctx, await community.helpIndex(db, ctx.portal))),
  );
  app.get(
    "/c/:slug/help/:article",
    articleParams,
    view(async (ctx, request) => {
      const fromAsk = (request.query as { from?: unknown }).from === "ask";
      const article = await community.helpArticle(db, ctx.portal, (request.params as { article: string }).article, {
        visitorKey: visitorKey(ctx),
        fromAsk,
      });
      return pages.helpArticlePage(ctx, article);
    }),
  );
  app.post(
    "/c/:slug/help/:article/feedback",
    articleParams,
    action(async (ctx, form, request) => {
      const slug = (request.params as { article: string }).article;
      await community.articleFeedback(db, ctx.portal, slug, { visitorKey: visitorKey(ctx), helpful: form.helpful === "1" });
      const article = await community.helpArticle(db, ctx.portal, slug, { visitorKey: visitorKey(ctx), fromAsk: false });
      return pages.helpArticlePage(ctx, article, { notice: "Thank you for telling us." });
    }),
  );

  // ---------- the hints while typing (JSON)

  app.get(
    "/c/:slug/ideas/similar",
    {
      config: { access: "public" },
      schema: {
        tags: ["community portal"],
        summary: "Open ideas with titles like the one being typed (shown while a member writes an idea)",
        params: slugParams,
        querystring: portalHintQuerySchema,
        response: { 200: similarIdeasResponseSchema },
      },
    },
    async (request) => {
      const portal = await community.portalBySlug(db, request.params.slug);
      const ideas = await community.similarIdeas(deps, portal, request.query.q);
      return { data: ideas.map((i) => ({ ...i, url: local(request, i.url) })) };
    },
  );
  app.get(
    "/c/:slug/suggest",
    {
      config: { access: "public" },
      schema: {
        tags: ["community portal"],
        summary: "Help articles and questions that may answer what is being asked (deflection)",
        params: slugParams,
        querystring: portalHintQuerySchema,
        response: { 200: portalSuggestionsResponseSchema },
      },
    },
    async (request) => {
      const portal = await community.portalBySlug(db, request.params.slug);
      const q = request.query.q;
      if (q.trim().length < 3) return { data: [] };
      const [articles, questions] = await Promise.all([
        community.suggestArticles(db, portal.workspaceId, q, 3),
        community.questionList(deps, portal, { q, limit: 5 }),
      ]);
      return {
        data: [
          ...articles.map((a) => ({ kind: "article" as const, title: a.title, url: local(request, `${a.url}?from=ask`) })),
          ...questions.map((x) => ({
            kind: "question" as const,
            title: x.title,
            url: local(request, community.questionUrl(portal, x.id)),
          })),
        ],
      };
    },
  );

  // ---------- members

  app.get(
    "/c/:slug/signup",
    html,
    view((ctx) => pages.signUpPage(ctx)),
  );
  app.post(
    "/c/:slug/signup",
    html,
    action(
      async (ctx, form, request, reply) => {
        const { token } = await community.signUpMember(deps, ctx.portal, {
          email: form.email ?? "",
          display_name: form.display_name ?? "",
          password: form.password ?? "",
          ip: request.ip,
        });
        signedIn(reply, ctx, token);
        return go(reply, base(ctx));
      },
      (ctx, values, status) => pages.signUpPage(ctx, values, status),
    ),
  );
  app.get(
    "/c/:slug/signin",
    html,
    view((ctx, request) => pages.signInPage(ctx, { next: String((request.query as { next?: unknown }).next ?? "") })),
  );
  app.post(
    "/c/:slug/signin",
    html,
    action(
      async (ctx, form, request, reply) => {
        const { token } = await community.signInMember(deps, ctx.portal, {
          email: form.email ?? "",
          password: form.password ?? "",
          ip: request.ip,
        });
        signedIn(reply, ctx, token);
        return go(reply, nextPath(ctx, form.next));
      },
      (ctx, values, status) => pages.signInPage(ctx, { email: values.email ?? "", next: values.next ?? "" }, status),
    ),
  );
  app.post(
    "/c/:slug/magic",
    html,
    action(
      async (ctx, form, request) => {
        const origin = ctx.portal.customDomain
          ? `https://${ctx.portal.customDomain}`
          : (process.env.PARLEY_PUBLIC_URL?.replace(/\/+$/, "") ?? `${request.protocol}://${request.host}`);
        await community.requestMagicLink(deps, ctx.portal, { email: form.email ?? "", ip: request.ip, baseUrl: origin });
        return pages.signInPage(
          ctx,
          {},
          { notice: "If that address can sign in here, a link is on its way. It works once, for 30 minutes." },
        );
      },
      (ctx, values, status) => pages.signInPage(ctx, { email: values.email ?? "" }, status),
    ),
  );
  app.get(
    "/c/:slug/magic/:token",
    { config: { access: "public" }, schema: { hide: true, params: z.object({ slug: z.string().max(100), token: z.string().max(200) }) } },
    view(async (ctx, request, reply) => {
      const { token } = await community.consumeMagicLink(deps, ctx.portal, (request.params as Params).token ?? "");
      signedIn(reply, ctx, token);
      return go(reply, base(ctx));
    }),
  );
  app.post(
    "/c/:slug/signout",
    html,
    action(async (ctx, _form, request, reply) => {
      await community.signOutMember(deps, request.cookies[MEMBER_COOKIE]);
      reply.clearCookie(MEMBER_COOKIE, { path: cookiePath(request, ctx.portal.slug) });
      return go(reply, base(ctx));
    }),
  );
  app.get(
    "/c/:slug/profile",
    html,
    view((ctx) => pages.profilePage(ctx)),
  );
  app.post(
    "/c/:slug/profile",
    html,
    action(
      async (ctx, form) => {
        const member = await community.updateMemberProfile(deps, needMember(ctx), {
          display_name: form.display_name ?? "",
          notify_replies: form.notify_replies === "1",
          notify_ideas: form.notify_ideas === "1",
        });
        return pages.profilePage({ ...ctx, member }, { notice: "Saved." });
      },
      (ctx, _values, status) => pages.profilePage(ctx, status),
    ),
  );

  // the "stop emails about ideas" link in a status notice (works signed out: the link carries a key)
  app.get(
    "/c/:slug/notices/stop",
    html,
    view((ctx, request) => {
      const q = request.query as { m?: unknown; k?: unknown };
      return pages.stopNoticesPage(ctx, { m: String(q.m ?? "").slice(0, 64), k: String(q.k ?? "").slice(0, 64) }, null);
    }),
  );
  app.post(
    "/c/:slug/notices/stop",
    html,
    action(async (ctx, form, _request, reply) => {
      const done = await community.stopIdeaNotices(db, ctx.portal, { memberId: form.m ?? "", key: form.k ?? "" });
      if (!done) reply.status(404);
      return pages.stopNoticesPage(ctx, { m: "", k: "" }, done);
    }),
  );

  // ---------- questions and answers

  app.post(
    "/c/:slug/questions",
    html,
    action(
      async (ctx, form, request, reply) => {
        const post = await community.askQuestion(deps, ctx.portal, writer(ctx, request), {
          title: form.title ?? "",
          body: form.body ?? "",
          visitorKeys: [browserKey(ctx)],
        });
        return go(reply, community.questionUrl(ctx.portal, post.id));
      },
      (ctx, values, status) => pages.askPage(ctx, values, status),
    ),
  );
  app.post(
    "/c/:slug/q/:id/answers",
    htmlId,
    action(async (ctx, form, request, reply) => {
      const id = (request.params as Params).id ?? "";
      const post = await community.answerQuestion(deps, ctx.portal, writer(ctx, request), id, { body: form.body ?? "" });
      return go(reply, `${community.questionUrl(ctx.portal, id)}#p-${post.id}`);
    }),
  );
  const backToThread = (ctx: PageContext, post: { id: string; kind: string; question_id: string | null }) =>
    `${community.questionUrl(ctx.portal, post.kind === "question" ? post.id : (post.question_id ?? post.id))}#p-${post.id}`;
  app.post(
    "/c/:slug/posts/:id/comments",
    htmlId,
    action(async (ctx, form, request, reply) => {
      const post = await community.commentOnPost(deps, ctx.portal, writer(ctx, request), (request.params as Params).id ?? "", {
        body: form.body ?? "",
      });
      return go(reply, backToThread(ctx, post));
    }),
  );
  app.post(
    "/c/:slug/posts/:id/upvote",
    htmlId,
    action(async (ctx, _form, request, reply) => {
      deps.ipLimiter.take(`vote:${request.ip}`, "votes");
      const { post } = await community.upvotePost(deps, ctx.portal, needMember(ctx), (request.params as Params).id ?? "");
      return go(reply, backToThread(ctx, post));
    }),
  );
  app.post(
    "/c/:slug/posts/:id/accept",
    htmlId,
    action(async (ctx, _form, request, reply) => {
      const answer = await community.acceptAnswer(deps, ctx.portal, needMember(ctx), (request.params as Params).id ?? "");
      return go(reply, backToThread(ctx, answer));
    }),
  );
  app.post(
    "/c/:slug/posts/:id/report",
    htmlId,
    action(async (ctx, form, request) => {
      await community.reportPost(deps, ctx.portal, needMember(ctx), (request.params as Params).id ?? "", { reason: form.reason ?? "" });
      return pages.errorPage(ctx, 200, "Thank you: the moderators will look at this post.");
    }),
  );

  // ---------- ideas

  app.post(
    "/c/:slug/ideas",
    html,
    action(
      async (ctx, form, request, reply) => {
        const r = await community.submitIdea(deps, ctx.portal, writer(ctx, request), {
          title: form.title ?? "",
          description: form.description ?? "",
        });
        return go(reply, `${community.ideaUrl(ctx.portal, r.ideaId)}${r.joined ? "?joined=1" : ""}`);
      },
      (ctx, values, status) => pages.newIdeaPage(ctx, values, status),
    ),
  );
  app.post(
    "/c/:slug/ideas/:id/vote",
    htmlId,
    action(async (ctx, _form, request, reply) => {
      deps.ipLimiter.take(`vote:${request.ip}`, "votes");
      const r = await community.voteForIdea(deps, ctx.portal, needMember(ctx), (request.params as Params).id ?? "");
      return go(reply, community.ideaUrl(ctx.portal, r.ideaId));
    }),
  );
  app.post(
    "/c/:slug/ideas/:id/follow",
    htmlId,
    action(async (ctx, form, request, reply) => {
      const id = await community.followIdea(deps, ctx.portal, needMember(ctx), (request.params as Params).id ?? "", form.follow !== "0");
      return go(reply, community.ideaUrl(ctx.portal, id));
    }),
  );
  app.post(
    "/c/:slug/ideas/:id/comments",
    htmlId,
    action(async (ctx, form, request, reply) => {
      const post = await community.commentOnIdea(deps, ctx.portal, writer(ctx, request), (request.params as Params).id ?? "", {
        body: form.body ?? "",
      });
      return go(reply, `${community.ideaUrl(ctx.portal, post.idea_id ?? "")}#p-${post.id}`);
    }),
  );

  // ---------- the member's cases

  app.get(
    "/c/:slug/cases",
    html,
    view(async (ctx) => pages.casesPage(ctx, await community.myCases(deps, needMember(ctx)))),
  );
  app.get(
    "/c/:slug/cases/:id",
    htmlId,
    view(async (ctx, request) =>
      pages.casePageView(ctx, await community.casePage(deps, needMember(ctx), (request.params as Params).id ?? "")),
    ),
  );
  app.post(
    "/c/:slug/cases/:id/replies",
    htmlId,
    action(async (ctx, form, request, reply) => {
      const id = (request.params as Params).id ?? "";
      await community.replyToCase(deps, ctx.portal, writer(ctx, request), id, { body: form.body ?? "" });
      return go(reply, community.caseUrl(ctx.portal, id));
    }),
  );
}
