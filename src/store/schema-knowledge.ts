import type { ColumnType, Selectable } from "kysely";
import type { ArticleStatus } from "../contracts/knowledge";
import type { Defaulted, NullableTimestamp, Opt, Timestamp } from "./schema-columns";

// The help centre's tables (issue #17, migration 016). Merged into Database in schema.ts.

export type KbCategoryTable = {
  workspace_id: string;
  id: string;
  name: string;
  slug: string;
  description: Opt<string>;
  position: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type KbArticleTable = {
  workspace_id: string;
  id: string;
  category_id: Opt<string>;
  title: string;
  slug: string;
  body: Defaulted<string>;
  body_text: Defaulted<string>;
  status: Defaulted<ArticleStatus>;
  author_id: Opt<string>;
  source_url: Opt<string>;
  published_at: NullableTimestamp;
  view_count: Defaulted<number>;
  helpful_count: Defaulted<number>;
  not_helpful_count: Defaulted<number>;
  deflection_count: Defaulted<number>;
  /** Generated from title and body_text: never written. */
  search: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
};
export type KbArticleVersionTable = {
  workspace_id: string;
  id: string;
  article_id: string;
  title: string;
  body: string;
  edited_by: Opt<string>;
  created_at: Timestamp;
};
export type KbVisitorTable = {
  workspace_id: string;
  article_id: string;
  visitor_key: string;
  helpful: Opt<boolean>;
  viewed_at: NullableTimestamp;
  deflected_at: NullableTimestamp;
};

export type KbCategoryRow = Selectable<KbCategoryTable>;
export type KbArticleRow = Selectable<KbArticleTable>;

export type KnowledgeTables = {
  kb_categories: KbCategoryTable;
  kb_articles: KbArticleTable;
  kb_article_versions: KbArticleVersionTable;
  kb_visitors: KbVisitorTable;
};
