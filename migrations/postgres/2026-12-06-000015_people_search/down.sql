DROP INDEX users_search_trigrams;
DROP INDEX users_search_prefix;
ALTER TABLE users DROP COLUMN search_text;
