-- The people pickers search as you type over the whole organisation.
-- search_text is what they match: the lower-cased name first (so a prefix of
-- it is a prefix of the name), then the email and the department. Stored, so
-- a search does not lower-case every row again; a B-tree answers
-- LIKE 'abc%' and trigrams answer LIKE '%abc%' (pg_trgm is a trusted
-- extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE users ADD COLUMN search_text text
    GENERATED ALWAYS AS (lower(name) || ' ' || email || ' ' || lower(coalesce(department, ''))) STORED;
CREATE INDEX users_search_prefix ON users (search_text text_pattern_ops);
CREATE INDEX users_search_trigrams ON users USING gin (search_text gin_trgm_ops);
