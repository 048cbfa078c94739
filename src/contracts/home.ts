import { z } from "zod";

// The home page (issue 14, "the first day"): the steps that make a new workspace work, and
// what needs someone's attention now. Each item links to the page where it is done.

export const ONBOARDING_STEPS = ["teams", "own_accounts", "channel", "invite"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export const ATTENTION_ITEMS = ["unassigned", "mine", "urgent", "cases_breached", "cases_due_soon", "tasks_due", "new_ideas"] as const;
export type AttentionItem = (typeof ATTENTION_ITEMS)[number];

export const homeSchema = z.object({
  onboarding: z
    .object({
      steps: z.array(
        z.object({
          key: z.enum(ONBOARDING_STEPS),
          done: z.boolean(),
          title: z.string(),
          detail: z.string().describe("Why the step matters, or what was found"),
          link: z.string().describe("The web app's page where it is done"),
        }),
      ),
      done: z.number().int(),
      total: z.number().int(),
    })
    .describe("Steps a new workspace needs; all done means Parley routes and answers as it should"),
  attention: z
    .array(
      z.object({
        key: z.enum(ATTENTION_ITEMS),
        count: z.number().int(),
        label: z.string(),
        link: z.string(),
      }),
    )
    .describe("What needs someone now, for the signed-in user"),
});
export type Home = z.infer<typeof homeSchema>;
