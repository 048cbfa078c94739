import { createHash } from "node:crypto";
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import * as core from "./migrations/001-core";
import * as listening from "./migrations/002-listening";
import * as understanding from "./migrations/003-understanding";
import * as identity from "./migrations/004-identity";
import * as work from "./migrations/005-work";
import * as rules from "./migrations/006-rules";
import * as hookDeliveries from "./migrations/007-hook-deliveries";
import * as accountsSafety from "./migrations/008-accounts-safety";
import * as messageSignals from "./migrations/011-message-signals";
import * as audit from "./migrations/013-audit";
import * as replies from "./migrations/014-replies";
import * as community from "./migrations/015-community";
import * as knowledge from "./migrations/016-knowledge";
import * as privacy from "./migrations/017-privacy";
import * as accountSecurity from "./migrations/018-account-security";
import * as team from "./migrations/019-team";
import * as issues from "./migrations/020-issues";
import * as searchWordForms from "./migrations/021-search-word-forms";
import * as influence from "./migrations/022-influence";
import * as communityNotices from "./migrations/023-community-notices";
import * as reportOutcomeIndexes from "./migrations/024-report-outcome-indexes";
import * as inboxIndexes from "./migrations/025-inbox-indexes";
import * as replyAttachments from "./migrations/026-reply-attachments";
import * as ideaStatusReplies from "./migrations/027-idea-status-replies";
import * as digests from "./migrations/028-digests";
import * as alerts from "./migrations/029-alerts";
import * as replyRule from "./migrations/030-reply-rule";
import * as reportRollups from "./migrations/031-report-rollups";
import * as reportTopAuthors from "./migrations/032-report-top-authors";

// Migrations are ordered by name; each is one SQL script that runs in a transaction.
const scripts: Record<string, string> = {
  "001-core": core.sql,
  "002-listening": listening.sql,
  "003-understanding": understanding.sql,
  "004-identity": identity.sql,
  "005-work": work.sql,
  "006-rules": rules.sql,
  "007-hook-deliveries": hookDeliveries.sql,
  "008-accounts-safety": accountsSafety.sql,
  "011-message-signals": messageSignals.sql,
  "013-audit": audit.sql,
  "014-replies": replies.sql,
  "016-knowledge": knowledge.sql,
  "017-privacy": privacy.sql,
  "015-community": community.sql,
  "018-account-security": accountSecurity.sql,
  "019-team": team.sql,
  "020-issues": issues.sql,
  "021-search-word-forms": searchWordForms.sql,
  "022-influence": influence.sql,
  "023-community-notices": communityNotices.sql,
  "024-report-outcome-indexes": reportOutcomeIndexes.sql,
  "025-inbox-indexes": inboxIndexes.sql,
  "027-idea-status-replies": ideaStatusReplies.sql,
  "026-reply-attachments": replyAttachments.sql,
  "028-digests": digests.sql,
  "029-alerts": alerts.sql,
  "030-reply-rule": replyRule.sql,
  "031-report-rollups": reportRollups.sql,
  "032-report-top-authors": reportTopAuthors.sql,
};

/** Every migration this program knows, in order: a backup records the level it was taken at. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(scripts).sort();

class ScriptMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const [name, script] of Object.entries(scripts)) {
      migrations[name] = {
        // biome-ignore lint/suspicious/noExplicitAny: migrations run before the schema type applies.
        up: async (db: Kysely<any>) => {
          await sql.raw(script).execute(db);
        },
      };
    }
    return migrations;
  }
}

export type MigrationReport = { applied: string[]; total: number };

// biome-ignore lint/suspicious/noExplicitAny: works on any Kysely instance.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: new ScriptMigrationProvider(),
    migrationTableName: "parley_migrations",
    migrationLockTableName: "parley_migrations_lock",
    // Numbers are handed out per issue and land in any order (008 was applied before 007
    // existed on some stores); each script stands alone, so a late lower number still runs.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return {
    applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
    total: Object.keys(scripts).length,
  };
}

/**
 * A digest of every migration's name and SQL: a pre-migrated store template
 * (store/template.ts) made from other scripts than these is stale.
 */
export function migrationsDigest(): string {
  const hash = createHash("sha256");
  for (const name of MIGRATION_NAMES) hash.update(`${name}\0${scripts[name]}\0`);
  return hash.digest("hex");
}
