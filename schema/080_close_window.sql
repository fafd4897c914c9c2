-- The period close streams its documents with COPY, which takes no bind parameters. The window's
-- dates are set through parameters as settings of the stream's own transaction
-- (`set_config('rebate.window_from', $1, true)`) and read back here. Declared IMMUTABLE on
-- purpose: the planner folds each call to a constant when it plans the statement (after the
-- settings are made), so the plan sees the dates as literals and no row re-reads or re-parses
-- them. Only for statements planned and run inside the transaction that made the settings.
CREATE FUNCTION close_window_day(setting text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT current_setting('rebate.' || setting)::date $$;
