import { type Actor, audit, requirePermission } from "../accounts";
import type { ErasureResult } from "../contracts/privacy";
import { publish } from "../events";
import { identityHashes } from "../ingest";
import { AppError, notFound } from "../shared/errors";
import { findContact } from "../store/crm";
import type { Db } from "../store/db";
import * as store from "../store/erasure";
import { contactReferences, profilesOfContact } from "../store/identity";
import { profileReferences } from "../store/privacy";
import { recountIdeaVotes } from "../store/work";
import { summarizeRequest } from "../understand";

// Erasure (issue 13): forget a person, irreversibly, in one transaction. Their contact, linked
// profiles, votes, notes, activities and consent go; the messages they wrote stay as tombstones
// (no text, author, link or analysis) so threads and counts stay whole; cases and deals stay
// without them; merges that held a snapshot of them are scrubbed and can no longer be undone.
// Hashes of their identities are kept so that later ingest drops their posts (ingest/suppress.ts).

/** Business records that outlive the person: they keep their row, without the link to them. */
const KEPT_WITHOUT_PERSON = new Set(["cases", "deals"]);

export async function eraseContact(db: Db, actor: Actor, contactId: string, confirmName: string, now = new Date()): Promise<ErasureResult> {
  requirePermission(actor, "audit:read");
  const ws = actor.workspaceId;
  return db.transaction().execute(async (tx) => {
    const contact = await findContact(tx, ws, contactId);
    if (!contact) throw notFound("Contact");
    if (confirmName.trim().toLowerCase() !== contact.name.trim().toLowerCase())
      throw new AppError("validation_error", "confirm_name: type the contact's name to confirm the erasure", [
        { field: "confirm_name", message: "does not match the contact's name" },
      ]);

    const profiles = await profilesOfContact(tx, ws, contactId);
    const profileIds = profiles.map((p) => p.id);
    const suppressions = profiles.flatMap((p) => identityHashes(ws, p.network, { id: p.network_id, handle: p.handle }));
    // the contact's addresses too, so an email from them is not taken for a new person
    suppressions.push(...identityHashes(ws, "email", { id: "-" }, contact.emails).filter((s) => s.kind === "email"));

    // rules may have quoted their words in case, deal and idea titles and notifications
    const written = await store.messagesBy(tx, ws, profileIds);
    const words = written.flatMap((m) => [m.text, m.subject ?? ""]);
    await store.scrubQuotedWords(
      tx,
      ws,
      // as written, and as the short titles rules and idea splits write for cases (80) and ideas (60) (summarizeRequest)
      words.flatMap((w) => [
        w.replace(/\s+/g, " ").trim().slice(0, 40),
        ...[80, 60].map((max) => summarizeRequest(w, max).replace(/…$/, "").slice(0, 40)),
      ]),
    );
    const tombstones = await store.tombstoneMessages(tx, ws, profileIds, now);
    const messageIds = tombstones.map((m) => m.id);
    await store.clearConversationSubjects(tx, ws, messageIds);
    // what was derived from their words elsewhere (emerging issues' names) is made again without them
    await publish(tx, ws, {
      type: "messages.erased",
      messages: written.map((m) => ({ message_id: m.id, text: m.subject ? `${m.subject}\n${m.text}` : m.text })),
      at: now,
    });
    const rowsDeleted: Record<string, number> = {};
    const count = (table: string, n: number) => {
      if (n > 0) rowsDeleted[table] = (rowsDeleted[table] ?? 0) + n;
    };
    count("label_corrections", await store.deleteRowsWhere(tx, ws, "label_corrections", "message_id", messageIds));

    const ideas = await store.ideasVotedBy(tx, ws, contactId, profileIds);
    for (const ref of await profileReferences(tx)) {
      if (ref.table === "messages") continue;
      count(ref.table, await store.deleteRowsWhere(tx, ws, ref.table, ref.column, profileIds));
    }
    for (const ref of await contactReferences(tx)) {
      if (ref.table === "profiles") continue;
      if (KEPT_WITHOUT_PERSON.has(ref.table)) await store.nullColumnWhere(tx, ws, ref.table, ref.column, [contactId]);
      else count(ref.table, await store.deleteRowsWhere(tx, ws, ref.table, ref.column, [contactId]));
    }
    for (const idea of ideas) await recountIdeaVotes(tx, ws, idea);
    const profilesDeleted = await store.deleteRowsWhere(tx, ws, "profiles", "id", profileIds);

    const lineage = await store.mergedLineage(tx, ws, contactId);
    const mergesScrubbed = await store.scrubMerges(
      tx,
      ws,
      lineage.map((l) => l.id),
      now,
    );
    await store.scrubAuditNames(
      tx,
      ws,
      lineage.map((l) => l.id),
      [contact.name, ...lineage.map((l) => l.name ?? "")],
    );
    await store.insertSuppressions(tx, ws, suppressions);
    await store.deleteRowsWhere(tx, ws, "contacts", "id", [contactId]);

    const result = {
      contact_id: contactId,
      erased_at: now.toISOString(),
      messages_tombstoned: tombstones.length,
      profiles_deleted: profilesDeleted,
      suppressions: new Set(suppressions.map((s) => s.hash)).size,
      merges_scrubbed: mergesScrubbed,
      rows_deleted: rowsDeleted,
    };
    // The entry says what was done, not to whom by name: the name is what was erased.
    await audit(
      tx,
      actor,
      "contact.erased",
      { type: "contact", id: contactId },
      `Erased a person: ${tombstones.length} messages kept as tombstones, ${profilesDeleted} profiles and their data deleted`,
      { ...result, rows_deleted: undefined, ...Object.fromEntries(Object.entries(rowsDeleted).map(([k, v]) => [`deleted_${k}`, v])) },
    );
    return result;
  });
}
