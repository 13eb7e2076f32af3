DROP TRIGGER requisition_competencies_moves_names_version ON requisition_competencies;
DROP TRIGGER competencies_update_moves_names_version ON competencies;
CREATE CONSTRAINT TRIGGER competencies_name_moves_names_version AFTER UPDATE OF name ON competencies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION names_version_move();
