import { z } from "zod";
import { newId } from "../../shared/ids";
import { consentStates } from "../../store/consent";
import * as store from "../../store/rules";
import { defineAction, done, render, skipped, template } from "../action-kit";

// Marketing email to the message's author (issue 13): sent only to a known contact whose
// newest marketing_email consent is a grant. Without it the action refuses and says why in
// the rule's trace; nothing enters the outbox.

export const sendMarketingEmail = defineAction({
  schema: z
    .object({
      type: z.literal("send_marketing_email"),
      subject: template.min(1),
      body: template.min(1),
    })
    .strict(),
  async run(ctx, a, s, rule) {
    if (!s.contactId) return skipped("the author is not a known contact");
    const consent = (await consentStates(ctx.db, ctx.workspaceId, [s.contactId])).get(s.contactId)?.marketing_email;
    if (consent !== "granted") return skipped(`refused: no marketing_email consent (${consent ?? "never recorded"})`);
    const [contact] = await store.contactsByIds(ctx.db, ctx.workspaceId, [s.contactId]);
    const to = contact?.emails?.[0];
    if (!to) return skipped("the contact has no email address");
    ctx.enqueue({
      workspace_id: ctx.workspaceId,
      id: newId(),
      kind: "email",
      rule_id: rule.id,
      payload: JSON.stringify({ to: [to], subject: render(a.subject, s.values), text: render(a.body, s.values), marketing: true }),
    });
    return done(`marketing email queued to ${to}`);
  },
});
