// Message search finds word forms (issue 14): "refund" finds "refunds" and "refunded".
// The search vector keeps every word as written (the 'simple' configuration, as
// before) and adds the stems of the message's detected language, so a query is
// matched either way (see store/text-search.ts). Languages without a stemmer here
// fall back to the words as written.
export const sql = `
alter table messages drop column search;
alter table messages add column search tsvector generated always as (
  to_tsvector('simple'::regconfig, coalesce(subject, '') || ' ' || text)
  || to_tsvector(
    case language
      when 'en' then 'english'::regconfig
      when 'de' then 'german'::regconfig
      when 'fr' then 'french'::regconfig
      when 'es' then 'spanish'::regconfig
      when 'pt' then 'portuguese'::regconfig
      when 'it' then 'italian'::regconfig
      when 'nl' then 'dutch'::regconfig
      else 'simple'::regconfig
    end,
    coalesce(subject, '') || ' ' || text)
) stored;
create index messages_search on messages using gin (search);
`;
