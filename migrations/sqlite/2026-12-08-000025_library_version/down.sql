DROP TRIGGER requisition_competencies_delete_moves_names_version;
DROP TRIGGER requisition_competencies_update_moves_names_version;
DROP TRIGGER requisition_competencies_insert_moves_names_version;
DROP TRIGGER competencies_update_moves_names_version;
CREATE TRIGGER competencies_name_moves_names_version AFTER UPDATE OF name ON competencies
    WHEN OLD.name IS NOT NEW.name
    BEGIN UPDATE names_version SET version = version + 1 WHERE id = 1; END;
