-- A close writes tens of kilobytes of explanation per dealer (every settlement and source
-- document), and the database's share of a close was mostly turning that text into jsonb and
-- compressing it with pglz. Explanations are written once and read back whole, so `json` (the
-- text as written, validated) serves them, and lz4 compresses several times faster than pglz.
-- SQL still reads them: `explanation->'sources'`, `json_array_elements(...)` (docs/DECISIONS.md).
ALTER TABLE results
  ALTER COLUMN explanation TYPE json,
  ALTER COLUMN explanation SET COMPRESSION lz4;
ALTER TABLE dealer_grades
  ALTER COLUMN explanation TYPE json,
  ALTER COLUMN explanation SET COMPRESSION lz4;
