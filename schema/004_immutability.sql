-- The database itself refuses changes that finance and auditors rely on never happening:
-- results of a closed period, reopening a closed period, and editing a loaded policy.
-- SQLSTATE RB001 = closed period, RB002 = immutable record (docs/errors.md).

CREATE FUNCTION refuse_closed_period_results() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  touched text;
BEGIN
  FOR touched IN
    SELECT DISTINCT key FROM (VALUES
      (CASE WHEN TG_OP <> 'INSERT' THEN OLD.period_key END),
      (CASE WHEN TG_OP <> 'DELETE' THEN NEW.period_key END)) AS keys (key)
    WHERE key IS NOT NULL
  LOOP
    IF EXISTS (SELECT 1 FROM periods WHERE period_key = touched AND status = 'closed') THEN
      RAISE EXCEPTION 'E-DB-PERIOD-CLOSED: period % is closed; its results cannot be changed (% refused)',
        touched, TG_OP
        USING ERRCODE = 'RB001',
              HINT = 'post an adjustment in the next open period instead';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER results_closed_period
  BEFORE INSERT OR UPDATE OR DELETE ON results
  FOR EACH ROW EXECUTE FUNCTION refuse_closed_period_results();

CREATE FUNCTION refuse_truncating_closed_results() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM periods WHERE status = 'closed') THEN
    RAISE EXCEPTION 'E-DB-PERIOD-CLOSED: results cannot be truncated while closed periods exist'
      USING ERRCODE = 'RB001';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER results_no_truncate
  BEFORE TRUNCATE ON results
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncating_closed_results();

CREATE FUNCTION refuse_reopening_period() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'closed' THEN
    RAISE EXCEPTION 'E-DB-PERIOD-CLOSED: period % is closed; it cannot be %',
      OLD.period_key, CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'changed or reopened' END
      USING ERRCODE = 'RB001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER periods_closed_final
  BEFORE UPDATE OR DELETE ON periods
  FOR EACH ROW EXECUTE FUNCTION refuse_reopening_period();

CREATE FUNCTION refuse_policy_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'E-DB-IMMUTABLE: policy % version % is loaded and immutable; load a new version',
    OLD.policy_id, OLD.version
    USING ERRCODE = 'RB002';
END;
$$;

CREATE TRIGGER policies_immutable
  BEFORE UPDATE OR DELETE ON policies
  FOR EACH ROW EXECUTE FUNCTION refuse_policy_change();
