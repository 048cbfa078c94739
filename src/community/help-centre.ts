import type { DbOrTx } from "../store/db";

// HOOK (issue 17, help centre): the portal's search box and the "ask" form suggest help-centre
// articles (deflection). The knowledge module (src/knowledge) provides its search here at
// start-up through provideHelpCentre; until it does, the portal searches questions only.

export type ArticleSuggestion = { title: string; url: string; excerpt: string | null };

export type HelpCentre = {
  search(db: DbOrTx, workspaceId: string, q: string, limit: number): Promise<ArticleSuggestion[]>;
};

let provided: HelpCentre | null = null;

export function provideHelpCentre(helpCentre: HelpCentre): void {
  provided = helpCentre;
}

export async function suggestArticles(db: DbOrTx, workspaceId: string, q: string, limit = 5): Promise<ArticleSuggestion[]> {
  if (!provided || q.trim().length < 3) return [];
  try {
    return await provided.search(db, workspaceId, q, limit);
  } catch {
    return []; // a suggestion is a help, never a reason for the portal to fail
  }
}
