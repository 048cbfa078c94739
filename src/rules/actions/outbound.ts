import { z } from "zod";
import { newId } from "../../shared/ids";
import { encryptSecret } from "../../shared/secrets";
import { ROLES } from "../../store/schema";
import { assigneeOf, defineAction, done, render, skipped, teamRef, template } from "../action-kit";

// Actions that tell people or systems: in-app notifications (and email), webhooks. What
// leaves the process only enters the outbox here; the rules worker delivers it after commit.

export const notify = defineAction({
  schema: z
    .object({
      type: z.literal("notify"),
      team: teamRef.optional(),
      roles: z.array(z.enum(ROLES)).optional(),
      user_ids: z.array(z.uuid()).optional(),
      assignee: z.boolean().optional(),
      title: template.min(1),
      body: template.optional(),
      email: z.boolean().default(false),
    })
    .strict()
    .refine((a) => a.team || a.roles?.length || a.user_ids?.length || a.assignee, {
      message: "name who to notify: team, roles, user_ids or assignee",
      path: ["team"],
    }),
  async run(ctx, a, s, rule) {
    const ws = ctx.workspaceId;
    const ids = new Set<string>(a.user_ids ?? []);
    if (a.team) for (const m of await ctx.roster((await ctx.team(a.team)).id)) ids.add(m.user_id);
    if (a.roles?.length) for (const m of await ctx.membersWithRoles(a.roles)) ids.add(m.id);
    const assignee = assigneeOf(s);
    if (a.assignee && assignee) ids.add(assignee);
    const members = await ctx.members([...ids]);
    if (members.length === 0) return skipped("nobody to notify");
    const title = render(a.title, s.values);
    const body = a.body ? render(a.body, s.values) : (s.detail ?? null);
    const link = s.conversationId ? `/conversations/${s.conversationId}` : (s.link ?? null);
    for (const m of members) ctx.notify({ workspace_id: ws, id: newId(), user_id: m.id, title, body, link, rule_id: rule.id });
    const emailed = a.email && process.env.PARLEY_SMTP_URL;
    if (emailed) {
      // an email is read outside the app: its link is the web app's page at this server's public address
      const origin = (process.env.PARLEY_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 4000}`).replace(/\/+$/, "");
      const page = s.conversationId ? `/inbox/${s.conversationId}` : link;
      ctx.enqueue({
        workspace_id: ws,
        id: newId(),
        kind: "email",
        rule_id: rule.id,
        payload: JSON.stringify({
          to: members.map((m) => m.email),
          subject: title,
          text: `${body ?? ""}${page ? `\n\n${origin}${page}` : ""}`,
        }),
      });
    }
    return done(`${members.length} notified${emailed ? " (and emailed)" : ""}`);
  },
});

export const webhook = defineAction({
  schema: z
    .object({
      type: z.literal("webhook"),
      url: z.url({ protocol: /^https?$/ }).max(2000),
      // Write-only: a new signing secret (null removes it; left out, the current one is kept).
      // Never returned: responses say `secret_set` instead.
      secret: z.string().min(8).max(200).nullable().optional(),
      generate_secret: z.boolean().optional(),
      secret_set: z.boolean().optional(),
      // How the secret is stored (AES-256-GCM, src/shared/secrets.ts); set by the server only.
      secret_sealed: z.string().max(2000).optional(),
    })
    .strict(),
  run(ctx, a, s, rule) {
    const body = {
      event: s.eventKey ?? null,
      rule: { id: rule.id, key: rule.key, name: rule.name, version: rule.version },
      message_id: s.messageId ?? null,
      conversation_id: s.conversationId ?? null,
      contact_id: s.contactId ?? null,
      values: Object.fromEntries(Object.entries(s.values).filter(([k]) => !k.startsWith("contact.custom."))),
    };
    ctx.enqueue({
      workspace_id: ctx.workspaceId,
      id: newId(),
      kind: "webhook",
      rule_id: rule.id,
      // the secret stays sealed in the outbox too; the worker opens it to sign
      payload: JSON.stringify({ url: a.url, secret_sealed: a.secret_sealed ?? (a.secret ? encryptSecret(a.secret) : null), body }),
    });
    return done(`queued POST ${new URL(a.url).host}`);
  },
});
