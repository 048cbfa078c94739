import { sql } from "kysely";
import type { DbOrTx } from "./db";

/** What a new workspace has set up so far, as counts (for the home page's first steps). */
export async function setupCounts(db: DbOrTx, workspaceId: string, userId: string | null) {
  const result = await sql<{ my_teams: number; own_accounts: number; channels: number; members: number; invitations: number }>`
    select
      (select count(*)::int from team_members where workspace_id = ${workspaceId} and user_id = ${userId}) as my_teams,
      (select count(*)::int from own_accounts where workspace_id = ${workspaceId}) as own_accounts,
      (select count(*)::int from channels where workspace_id = ${workspaceId}) as channels,
      (select count(*)::int from memberships where workspace_id = ${workspaceId}) as members,
      (select count(*)::int from invitations where workspace_id = ${workspaceId} and accepted_at is null and expires_at > now()) as invitations
  `.execute(db);
  return result.rows[0] as NonNullable<(typeof result.rows)[0]>;
}

/** What needs someone now, counted for one user; `urgentPriority` is the conversation priority that counts as urgent. */
export async function attentionCounts(db: DbOrTx, workspaceId: string, userId: string | null, now: Date, urgentPriority: number) {
  const soon = new Date(now.getTime() + 60 * 60 * 1000);
  const endOfDay = new Date(now.getTime() + 24 * 60 * 60 * 1000);
  const result = await sql<{
    unassigned: number;
    mine: number;
    urgent: number;
    cases_breached: number;
    cases_due_soon: number;
    tasks_due: number;
    new_ideas: number;
  }>`
    select
      (select count(*)::int from conversations where workspace_id = ${workspaceId}
        and status in ('new', 'open') and assignee_id is null) as unassigned,
      (select count(*)::int from conversations where workspace_id = ${workspaceId}
        and status in ('new', 'open', 'pending') and assignee_id = ${userId}) as mine,
      (select count(*)::int from conversations where workspace_id = ${workspaceId}
        and status in ('new', 'open') and priority >= ${urgentPriority}) as urgent,
      (select count(*)::int from cases where workspace_id = ${workspaceId} and status not in ('solved', 'closed')
        and (first_response_breached or resolution_breached)) as cases_breached,
      (select count(*)::int from cases where workspace_id = ${workspaceId} and status not in ('solved', 'closed')
        and paused_at is null
        and ((first_responded_at is null and not first_response_breached and first_response_due_at <= ${soon})
          or (resolved_at is null and not resolution_breached and resolution_due_at <= ${soon}))) as cases_due_soon,
      (select count(*)::int from activities where workspace_id = ${workspaceId} and type = 'task'
        and completed_at is null and assignee_id = ${userId} and due_at < ${endOfDay}) as tasks_due,
      (select count(*)::int from ideas where workspace_id = ${workspaceId} and status = 'new'
        and merged_into_id is null) as new_ideas
  `.execute(db);
  return result.rows[0] as NonNullable<(typeof result.rows)[0]>;
}
