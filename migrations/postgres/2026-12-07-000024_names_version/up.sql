-- A counter that moves with every change of a name a loop's pages show: a
-- person's name, a candidate's, a role's title, a competency's. The service
-- keeps the names it read for a loop beside this counter's value and the
-- last sequence number of the loop's trail, and reads both with the loop:
-- while neither moved, the names it kept are still the names in the
-- database (`db::names_cache`). Triggers move it, so no write can forget to.
CREATE TABLE names_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO names_version (id, version) VALUES (1, 0);

-- Constraint triggers, deferred: the counter's row is updated as each
-- renaming transaction commits, not at the rename. A transaction that
-- renames several people would otherwise hold the counter's lock while it
-- waits for another's row lock, and that other for the counter: a deadlock.
-- At commit a transaction already holds every row it wrote.
CREATE FUNCTION names_version_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE names_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER users_name_moves_names_version AFTER UPDATE OF name ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER users_delete_moves_names_version AFTER DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER candidates_name_moves_names_version AFTER UPDATE OF name ON candidates
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER candidates_delete_moves_names_version AFTER DELETE ON candidates
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER requisitions_title_moves_names_version AFTER UPDATE OF title ON requisitions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER requisitions_delete_moves_names_version AFTER DELETE ON requisitions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER competencies_name_moves_names_version AFTER UPDATE OF name ON competencies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER competencies_delete_moves_names_version AFTER DELETE ON competencies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION names_version_move();
