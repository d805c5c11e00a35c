-- 013 Finer statistics for the name-search columns.
-- A typed prefix ("bart") is searched as a range on search_last / search_first. With the default
-- histogram (100 buckets over a million names) the planner guessed ~20 rows for ranges that hold
-- thousands, chose a bitmap scan plus a sort over all of them, and a search took 12 ms instead of
-- walking the index in order and stopping after a page (under 1 ms). 1,000 buckets fix the guess.
ALTER TABLE patients ALTER COLUMN search_last SET STATISTICS 1000;
ALTER TABLE patients ALTER COLUMN search_first SET STATISTICS 1000;
ANALYZE patients (search_last, search_first);
