-- The debrief room keeps a loop's competency library (the role's and the
-- panel's competencies, with their anchors) with its names: the names'
-- version now moves with every change of a competency, not only of its
-- name, and with every change of a role's competencies. Deferred to commit
-- like the others (see the names' version's migration).
DROP TRIGGER competencies_name_moves_names_version ON competencies;
CREATE CONSTRAINT TRIGGER competencies_update_moves_names_version AFTER UPDATE ON competencies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW)
    EXECUTE FUNCTION names_version_move();
CREATE CONSTRAINT TRIGGER requisition_competencies_moves_names_version
    AFTER INSERT OR UPDATE OR DELETE ON requisition_competencies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION names_version_move();
