-- The debrief room keeps a loop's competency library (the role's and the
-- panel's competencies, with their anchors) with its names: the names'
-- version now moves with every change of a competency, not only of its
-- name, and with every change of a role's competencies.
DROP TRIGGER competencies_name_moves_names_version;
CREATE TRIGGER competencies_update_moves_names_version AFTER UPDATE ON competencies
    BEGIN UPDATE names_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER requisition_competencies_insert_moves_names_version
    AFTER INSERT ON requisition_competencies
    BEGIN UPDATE names_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER requisition_competencies_update_moves_names_version
    AFTER UPDATE ON requisition_competencies
    BEGIN UPDATE names_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER requisition_competencies_delete_moves_names_version
    AFTER DELETE ON requisition_competencies
    BEGIN UPDATE names_version SET version = version + 1 WHERE id = 1; END;
