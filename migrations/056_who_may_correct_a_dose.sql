-- 056 Who may mark a recorded dose entered in error, said once. 025's trigger allows the nurse or doctor who
-- recorded it, or an administrator; the MAR offered "Entered in error…" on every recorded dose and the
-- database then refused anyone else (MAR06). The rule is now one function: the trigger asks it before a
-- correction is stored, and the MAR's read asks it to show the button only where it would be accepted.
-- Function bodies only: no table is locked.
CREATE FUNCTION app_may_correct_dose(p_recorded_by UUID, p_corrected_by UUID) RETURNS BOOLEAN
LANGUAGE sql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$ SELECT COALESCE(p_recorded_by = p_corrected_by, false) OR public.app_has_role('admin') $$;
REVOKE ALL ON FUNCTION app_may_correct_dose(UUID, UUID) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_may_correct_dose(UUID, UUID) TO clinic_app;

CREATE OR REPLACE FUNCTION medication_administrations_mark_corrected() RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.corrects_administration_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM public.medication_administrations a
        WHERE a.administration_id = NEW.corrects_administration_id AND public.app_may_correct_dose(a.recorded_by, NEW.recorded_by)) THEN
        RAISE EXCEPTION 'only the one who recorded a dose (or an administrator) corrects it' USING ERRCODE = 'MAR06';
    END IF;
    UPDATE public.medication_administrations a SET entered_in_error = true
    WHERE a.administration_id = NEW.corrects_administration_id AND NOT a.entered_in_error AND a.outcome <> 'entered-in-error'
      AND a.prescription_id = NEW.prescription_id AND a.patient_id = NEW.patient_id AND a.scheduled_for = NEW.scheduled_for;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'administration % is not a recorded dose of this order that can be corrected', NEW.corrects_administration_id
            USING ERRCODE = 'MAR05';
    END IF;
    RETURN NULL;
END;
$$;
