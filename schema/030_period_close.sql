-- What a period close writes besides its result lines: each dealer's payment grade (E11, read
-- by the next period's eligibility) and each dealer's net turnover and segment at close (the
-- denominator of program cost, E12). Both belong to the period and are frozen with it.

CREATE TABLE dealer_grades (
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  period_key text NOT NULL REFERENCES periods (period_key),
  grade text NOT NULL CHECK (grade <> ''),
  paid_by_due_share numeric(9, 4) NOT NULL CHECK (paid_by_due_share BETWEEN 0 AND 1),
  weighted_days_late numeric(12, 2) NOT NULL CHECK (weighted_days_late >= 0),
  dso_days numeric(12, 2),
  explanation jsonb NOT NULL,
  PRIMARY KEY (period_key, dealer_id)
);

CREATE TABLE period_dealers (
  period_key text NOT NULL REFERENCES periods (period_key),
  dealer_id text NOT NULL REFERENCES dealers (dealer_id),
  segment text NOT NULL CHECK (segment <> ''),
  net_turnover_minor bigint NOT NULL,
  PRIMARY KEY (period_key, dealer_id)
);

-- One row per computed draft: the policy it ran under and its budget cap (for the cost report),
-- and its size. Replaced by each re-run, frozen once the period closes.
CREATE TABLE period_runs (
  period_key text PRIMARY KEY REFERENCES periods (period_key),
  policy_ref text NOT NULL CHECK (policy_ref <> ''),
  -- The policy file the draft was computed under, so exports and reports read the same rules.
  policy_source text NOT NULL,
  budget_cap numeric(9, 6) CHECK (budget_cap BETWEEN 0 AND 1),
  dealer_count integer NOT NULL CHECK (dealer_count >= 0),
  line_count integer NOT NULL CHECK (line_count >= 0),
  computed_at timestamptz NOT NULL
);

-- The same refusal as results: a closed period's grades and turnovers never change.
CREATE TRIGGER dealer_grades_closed_period
  BEFORE INSERT OR UPDATE OR DELETE ON dealer_grades
  FOR EACH ROW EXECUTE FUNCTION refuse_closed_period_results();

CREATE TRIGGER period_dealers_closed_period
  BEFORE INSERT OR UPDATE OR DELETE ON period_dealers
  FOR EACH ROW EXECUTE FUNCTION refuse_closed_period_results();

CREATE TRIGGER period_runs_closed_period
  BEFORE INSERT OR UPDATE OR DELETE ON period_runs
  FOR EACH ROW EXECUTE FUNCTION refuse_closed_period_results();

CREATE TRIGGER dealer_grades_no_truncate
  BEFORE TRUNCATE ON dealer_grades
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncating_closed_results();

CREATE TRIGGER period_dealers_no_truncate
  BEFORE TRUNCATE ON period_dealers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncating_closed_results();

-- Documents of a closed period may still arrive (late data becomes an adjustment, E10), but a
-- document already counted in a closed period's result can no longer be edited or removed.
CREATE FUNCTION refuse_changing_closed_documents() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  dated date;
  number text;
BEGIN
  -- Each branch names only its own table's columns: plpgsql resolves them when it runs.
  IF TG_TABLE_NAME = 'payments' THEN
    dated := OLD.paid_on;
    number := OLD.payment;
  ELSE
    dated := OLD.issued_on;
    number := OLD.document;
  END IF;
  IF EXISTS (
    SELECT 1 FROM periods
    WHERE status = 'closed'
      AND dated BETWEEN period_first_day(period_key) AND period_last_day(period_key)
  ) THEN
    RAISE EXCEPTION 'E-DB-PERIOD-CLOSED: % % is dated % in a closed period; it cannot be %',
      TG_TABLE_NAME, number, dated, CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'changed' END
      USING ERRCODE = 'RB001',
            HINT = 'issue a credit note or a new document in an open period instead';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

-- First and last day of a period key: 2026-Q3, 2026-07 or 2026.
CREATE FUNCTION period_first_day(key text) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN key ~ '^[0-9]{4}-Q[1-4]$' THEN
      make_date(substr(key, 1, 4)::int, (substr(key, 7, 1)::int - 1) * 3 + 1, 1)
    WHEN key ~ '^[0-9]{4}-[0-9]{2}$' THEN make_date(substr(key, 1, 4)::int, substr(key, 6, 2)::int, 1)
    ELSE make_date(substr(key, 1, 4)::int, 1, 1)
  END
$$;

CREATE FUNCTION period_last_day(key text) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (period_first_day(key) + CASE
    WHEN key ~ '^[0-9]{4}-Q[1-4]$' THEN interval '3 months'
    WHEN key ~ '^[0-9]{4}-[0-9]{2}$' THEN interval '1 month'
    ELSE interval '1 year'
  END - interval '1 day')::date
$$;

CREATE TRIGGER invoices_closed_period
  BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION refuse_changing_closed_documents();

CREATE TRIGGER payments_closed_period
  BEFORE UPDATE OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION refuse_changing_closed_documents();

CREATE TRIGGER period_runs_no_truncate
  BEFORE TRUNCATE ON period_runs
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncating_closed_results();
