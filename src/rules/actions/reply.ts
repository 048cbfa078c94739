import { z } from "zod";
import { REPLY_VISIBILITIES } from "../../contracts/replies";
import { consentStates } from "../../store/consent";
import { defineAction, done, render, skipped, template } from "../action-kit";
import { replySender } from "../reply-sender";

// An automated reply where the customer spoke (an acknowledgement, an out-of-hours note), public or
// private, sent through the channel like an agent's. A person who withdrew consent to social
// engagement (issue 13) gets none: the action refuses and says why in the rule's trace. Consent
// never recorded is no objection (answering someone who wrote in is customer service).

export const sendReply = defineAction({
  schema: z
    .object({
      type: z.literal("send_reply"),
      text: template.min(1),
      visibility: z.enum(REPLY_VISIBILITIES).default("public"),
    })
    .strict(),
  writesNow: true,
  async run(ctx, a, s, rule) {
    if (!s.messageId || !s.conversationId) return skipped("there is no message to answer");
    if (s.values["message.direction"] === "outbound") return skipped("the message is Parley's own");
    if (s.contactId) {
      const consent = (await consentStates(ctx.db, ctx.workspaceId, [s.contactId])).get(s.contactId)?.social_engagement;
      if (consent === "withdrawn") return skipped("refused: the contact withdrew social_engagement consent");
    }
    const text = render(a.text, s.values).trim();
    if (!text) return skipped("the reply's text is empty once filled in");
    if (ctx.dryRun) return done(`would send a ${a.visibility} reply "${text.slice(0, 80)}"`);
    const sent = await replySender().sendRuleReply(ctx.db, ctx.workspaceId, {
      conversationId: s.conversationId,
      messageId: s.messageId,
      text,
      visibility: a.visibility,
      ruleId: rule.id,
      ruleName: rule.name,
    });
    return sent.ok ? done(`${a.visibility} reply queued`) : skipped(sent.reason);
  },
});
