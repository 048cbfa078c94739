// The home page: the first steps a new workspace needs, and what needs the signed-in
// person now. Without teams that have members, every default rule says "assign: team
// Support (the team has no members)"; without the brand's own accounts, its replies are
// read as customers' posts; without a channel nothing arrives; alone, nobody shares the work.
import { type Actor, requirePermission } from "../accounts";
import type { Home } from "../contracts";
import { plural } from "../shared/plural";
import type { DbOrTx } from "../store/db";
import { attentionCounts, setupCounts } from "../store/home";

/** A conversation at or above this priority counts as urgent (the escalation rule sets 100). */
export const URGENT_PRIORITY = 80;

export async function home(db: DbOrTx, actor: Actor, now = new Date()): Promise<Home> {
  requirePermission(actor, "crm:read");
  const setup = await setupCounts(db, actor.workspaceId, actor.userId);
  const steps: Home["onboarding"]["steps"] = [
    {
      key: "teams",
      done: setup.my_teams > 0,
      title: "Join your teams",
      detail:
        setup.my_teams > 0
          ? `You are in ${plural(setup.my_teams, "team")}: rules can assign conversations to you and notify you.`
          : "Rules assign work to teams (Support, Product, Sales); a team without members leaves it with nobody.",
      link: "/settings/teams",
    },
    {
      key: "own_accounts",
      done: setup.own_accounts > 0,
      title: "Add the brand's own accounts",
      detail:
        setup.own_accounts > 0
          ? `${plural(setup.own_accounts, "account")} known as yours: their posts count as your replies.`
          : "Without them, your own replies on a network are read as customers' posts.",
      link: "/settings/channels",
    },
    {
      key: "channel",
      done: setup.channels > 0,
      title: "Connect a channel",
      detail:
        setup.channels > 0
          ? `${plural(setup.channels, "channel")} listening.`
          : "A channel brings in posts, mentions, reviews or email: Mastodon, Bluesky, X, Reddit, RSS, email, a webhook.",
      link: "/settings/channels",
    },
    {
      key: "invite",
      done: setup.members > 1 || setup.invitations > 0,
      title: "Invite your team",
      detail:
        setup.members > 1
          ? `${plural(setup.members, "person", "people")} in this workspace.`
          : setup.invitations > 0
            ? `${plural(setup.invitations, "invitation")} waiting to be accepted.`
            : "Agents answer, managers see the reports; each gets the conversations routed to their team.",
      link: "/settings/users",
    },
  ];
  const counts = await attentionCounts(db, actor.workspaceId, actor.userId, now, URGENT_PRIORITY);
  const attention: Home["attention"] = [
    { key: "unassigned", count: counts.unassigned, label: "Unassigned open conversations", link: "/inbox?status=open&assignee=none" },
    { key: "mine", count: counts.mine, label: "Conversations assigned to you", link: "/inbox?assignee=me" },
    {
      key: "urgent",
      count: counts.urgent,
      label: `Urgent conversations (priority ${URGENT_PRIORITY}+)`,
      link: `/inbox?min_priority=${URGENT_PRIORITY}`,
    },
    { key: "cases_breached", count: counts.cases_breached, label: "Open cases past their SLA", link: "/cases?breached=true" },
    { key: "cases_due_soon", count: counts.cases_due_soon, label: "Cases due within the hour", link: "/cases" },
    { key: "tasks_due", count: counts.tasks_due, label: "Your tasks due today or overdue", link: "/tasks" },
    { key: "new_ideas", count: counts.new_ideas, label: "New ideas to review", link: "/ideas?status=new" },
  ];
  return { onboarding: { steps, done: steps.filter((s) => s.done).length, total: steps.length }, attention };
}
