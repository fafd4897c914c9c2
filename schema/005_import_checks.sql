-- Set-based validation helpers for `rebate import`: pure, inlinable SQL functions used on
-- whole staging tables at once (never row by row from the client).

-- True when the text is a real calendar date written YYYY-MM-DD (2026-02-30 is not). CASE keeps
-- the casts from running on text the pattern rejected. Not STRICT, so the planner inlines it
-- (a non-inlined SQL function call costs ~100x more per row).
CREATE FUNCTION import_is_date(value text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN false
    WHEN substr(value, 1, 4)::int < 1 OR substr(value, 6, 2)::int NOT BETWEEN 1 AND 12 THEN false
    ELSE substr(value, 9, 2)::int BETWEEN 1 AND extract(day FROM
      make_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, 1)
      + interval '1 month' - interval '1 day')::int
  END
$$;
