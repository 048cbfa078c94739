// The help centre (issue 17): articles in categories, Markdown bodies, full-text search.
// `body_text` is the rendered article's words (written by knowledge/ on save); `search`
// weighs the title above the body and uses the english configuration, so "refund" finds
// "refunds". Counters live on the article so the staff list reads them without a join;
// kb_visitors remembers each visitor's vote and deflection so they count once.
export const sql = `
create table kb_categories (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  name text not null,
  slug text not null,
  description text,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, slug)
);

create table kb_articles (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  category_id uuid,
  title text not null,
  slug text not null,
  body text not null default '',
  body_text text not null default '',
  status text not null default 'draft' check (status in ('draft', 'published')),
  author_id uuid,
  source_url text,
  published_at timestamptz,
  view_count integer not null default 0,
  helpful_count integer not null default 0,
  not_helpful_count integer not null default 0,
  deflection_count integer not null default 0,
  search tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body_text), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, slug),
  foreign key (workspace_id, category_id) references kb_categories (workspace_id, id) on delete set null (category_id)
);
create index kb_articles_search on kb_articles using gin (search);
create index kb_articles_updated on kb_articles (workspace_id, updated_at desc, id desc);
create index kb_articles_category on kb_articles (workspace_id, category_id) where category_id is not null;

create table kb_article_versions (
  workspace_id uuid not null,
  id uuid not null,
  article_id uuid not null,
  title text not null,
  body text not null,
  edited_by uuid,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, article_id) references kb_articles (workspace_id, id) on delete cascade
);
create index kb_article_versions_article on kb_article_versions (workspace_id, article_id, created_at);

create table kb_visitors (
  workspace_id uuid not null,
  article_id uuid not null,
  visitor_key text not null,
  helpful boolean,
  viewed_at timestamptz,
  deflected_at timestamptz,
  primary key (workspace_id, article_id, visitor_key),
  foreign key (workspace_id, article_id) references kb_articles (workspace_id, id) on delete cascade
);
`;
