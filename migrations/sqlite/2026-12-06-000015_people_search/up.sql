-- The people pickers' search text (see the PostgreSQL migration of the same
-- name): the lower-cased name, then the email and the department. SQLite
-- computes it as it reads (a virtual column) and scans: 10,000 people stay
-- well under the pickers' target (benches/picker.rs).
ALTER TABLE users ADD COLUMN search_text TEXT
    GENERATED ALWAYS AS (lower(name) || ' ' || email || ' ' || lower(coalesce(department, ''))) VIRTUAL;
