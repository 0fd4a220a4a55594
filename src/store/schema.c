/* schema.c — the store's schema, in one place.
 *
 * Conventions:
 * - `rid` INTEGER PRIMARY KEY is the in-memory index (file index for
 *   articles, array index for people and events), so joins are integer joins.
 * - `id` is the public, stable identifier.
 * - Dates are yyyymmdd integers: *_first / *_last are the first and last day
 *   a date at its precision can mean; *_prec is cd_precision (0 = unknown).
 * - k_* columns are precomputed sort keys, always paired with id as a
 *   tie-breaker and indexed as (k_x, id), so every list is a keyset scan:
 *   "WHERE (k_x, id) > (?, ?) ORDER BY k_x, id LIMIT n". Unknown values get
 *   a sentinel that sorts last in both directions.
 * - doc is the full JSON of a resource, rendered once at build; summary the
 *   JSON of the same resource as a list item; doc_gz its gzip when > 1 KiB.
 */
#include "store_private.h"

const char cd_schema_sql[] =
    /* Key/value facts about this store: schema_version, fingerprint,
     * quick_fingerprint, corpus_dir, built_at, counts, phase times (ms). */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"

    /* Every file seen, ingested or skipped (for /v1/corpus). */
    "CREATE TABLE files(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL,\n"
    "  relpath TEXT NOT NULL,\n"
    "  status TEXT NOT NULL,        -- 'ingested' or 'skipped'\n"
    "  reason TEXT,                 -- why skipped\n"
    "  size INTEGER NOT NULL,\n"
    "  repairs TEXT NOT NULL,       -- JSON array of repair names\n"
    "  replaced INTEGER NOT NULL    -- invalid UTF-8 sequences replaced\n"
    ");\n"

    /* Public ids are unique through indexes made after the rows (as every
     * index here), not UNIQUE constraints: a constraint's index is updated
     * row by row in random id order (events: 0.3-0.5 s more at 100,000
     * articles than sorting once). */
    "CREATE UNIQUE INDEX files_id ON files(id);\n"

    /* One row per ingested file. */
    "CREATE TABLE articles(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL,\n"
    "  title TEXT,\n"
    "  source_id TEXT,\n"
    "  source_name TEXT,\n"
    "  pub_first INTEGER, pub_last INTEGER, pub_prec INTEGER NOT NULL,\n"
    "  k_pub INTEGER NOT NULL,      -- published asc: pub_first, unknown 99999999\n"
    "  k_pubd INTEGER NOT NULL,     -- published desc: 99999999 - pub_last, unknown 99999999\n"
    "  k_title TEXT NOT NULL,       -- folded title, unknown '~'\n"
    "  word_count INTEGER NOT NULL,\n"
    "  fts_lead INTEGER NOT NULL    -- 1: the indexed body starts with the lead (a standfirst)\n"
    ");\n"
    "CREATE UNIQUE INDEX articles_id ON articles(id);\n"
    "CREATE INDEX articles_k_pub ON articles(k_pub, id);\n"
    "CREATE INDEX articles_k_pubd ON articles(k_pubd, id);\n"
    "CREATE INDEX articles_k_title ON articles(k_title, id);\n"
    "CREATE INDEX articles_source ON articles(source_id);\n"

    /* The big columns apart, so list scans over `articles` stay small. */
    "CREATE TABLE article_docs(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  summary TEXT NOT NULL,\n"
    "  doc TEXT NOT NULL,\n"
    "  raw BLOB NOT NULL\n"
    ");\n"

    /* Full text over articles: external content from article_text. No
     * prefix indexes: they made the index build 2.3x slower (measured on
     * 10,000 articles), and FTS5 answers "term*" from the term b-tree
     * without them. */
    /* The indexed text is not stored a second time: FTS5 reads it back only
     * for highlight(), through this view over the article's own doc (the
     * build inserts each row into the index directly). 345 MB less to write
     * at 100,000 articles, and no pass reading it back to index it. */
    "CREATE VIEW article_text(rid, title, body) AS SELECT a.rid, a.title,\n"
    "  CASE WHEN a.fts_lead THEN json_extract(d.doc, '$.data.lead') || char(10, 10) ELSE '' END\n"
    "  || json_extract(d.doc, '$.data.body')\n"
    "  FROM articles a JOIN article_docs d ON d.rid = a.rid;\n"
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, content='article_text',\n"
    "  content_rowid='rid', tokenize='unicode61 remove_diacritics 2');\n"

    /* Outlets (for /v1/sources and the source filter). */
    "CREATE TABLE sources(\n"
    "  id TEXT PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  article_count INTEGER NOT NULL,\n"
    "  first_published INTEGER, last_published INTEGER,\n"
    "  summary TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"

    /* People. names: folded canonical name and aliases, space-joined, for
     * alias-aware lookups. */
    "CREATE TABLE people(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  country TEXT,\n"
    "  k_name TEXT NOT NULL,        -- folded name\n"
    "  k_mentions INTEGER NOT NULL, -- -mention_count\n"
    "  k_last INTEGER NOT NULL,     -- 99999999 - last_seen, unknown 99999999\n"
    "  mention_count INTEGER NOT NULL,\n"
    "  article_count INTEGER NOT NULL,\n"
    "  names TEXT NOT NULL,\n"
    "  summary TEXT NOT NULL,\n"
    "  doc TEXT NOT NULL,\n"
    "  k_country TEXT               -- cd_store_match_key(country), NULL unknown\n"
    ");\n"
    "CREATE UNIQUE INDEX people_id ON people(id);\n"
    "CREATE INDEX people_k_name ON people(k_name, id);\n"
    "CREATE INDEX people_k_country ON people(k_country);\n"
    "CREATE INDEX people_k_mentions ON people(k_mentions, id);\n"
    "CREATE INDEX people_k_last ON people(k_last, id);\n"
    "CREATE TABLE person_names(person INTEGER NOT NULL, name TEXT NOT NULL, folded TEXT NOT NULL);\n"
    "CREATE INDEX person_names_folded ON person_names(folded);\n"

    /* Who is in which article. */
    "CREATE TABLE article_people(\n"
    "  article INTEGER NOT NULL, person INTEGER NOT NULL, role TEXT, mentions INTEGER NOT NULL,\n"
    "  PRIMARY KEY(article, person)) WITHOUT ROWID;\n"
    "CREATE INDEX article_people_person ON article_people(person, article);\n"
    /* (Mention offsets are served inside each article's doc, `spans`; no
     * query needs them as rows, so they are not stored twice.) */

    /* Events. */
    "CREATE TABLE events(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL,\n"
    "  type TEXT NOT NULL,\n"
    "  d_first INTEGER, d_last INTEGER, d_prec INTEGER NOT NULL,\n"
    "  k_start INTEGER NOT NULL,    -- d_first, unknown 99999999\n"
    "  k_startd INTEGER NOT NULL,   -- 99999999 - d_last, unknown 99999999\n"
    "  place TEXT,\n"
    "  status TEXT NOT NULL,        -- 'reported' or 'planned'\n"
    "  k_place TEXT                 -- cd_store_match_key(place), NULL unknown\n"
    ");\n"
    "CREATE UNIQUE INDEX events_id ON events(id);\n"
    "CREATE INDEX events_k_start ON events(k_start, id);\n"
    "CREATE INDEX events_k_startd ON events(k_startd, id);\n"
    /* The JSON apart, as for articles: lists, counts, filters and the
     * build's index pass scan `events` (35 MB at 100,000 articles) instead
     * of 0.9 GB of JSON. */
    "CREATE TABLE event_docs(\n"
    "  rid INTEGER PRIMARY KEY,\n"
    "  summary TEXT NOT NULL,       -- list item JSON\n"
    "  doc TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE event_people(event INTEGER NOT NULL, person INTEGER NOT NULL, role TEXT,\n"
    "  PRIMARY KEY(event, person)) WITHOUT ROWID;\n"
    "CREATE INDEX event_people_person ON event_people(person, event);\n"
    "CREATE TABLE event_articles(event INTEGER NOT NULL, article INTEGER NOT NULL, main INTEGER NOT NULL,\n"
    "  PRIMARY KEY(event, article)) WITHOUT ROWID;\n"
    "CREATE INDEX event_articles_article ON event_articles(article, event);\n"

    /* Each person's network, one row per other person they share an
     * article or an event with, materialised so /v1/people/{id}/network
     * is a keyset scan. k: strength, ascending = strongest first:
     * -(shared events * 2^32 + co-mentioning articles). item: the JSON. */
    "CREATE TABLE person_network(\n"
    "  person INTEGER NOT NULL, k INTEGER NOT NULL, other_id TEXT NOT NULL, item TEXT NOT NULL,\n"
    "  PRIMARY KEY(person, k, other_id)) WITHOUT ROWID;\n";
