-- migrate:no-transaction
-- squawk-disable-assume-in-transaction
-- 023 The open stay of each bed, indexed: the bed board and census (ward_bed_states) look up
-- `room_id, bed_number … discharged_at IS NULL`, which walked every past stay (a sequential scan of
-- 200,000 rows in bench:ward; the exclusion constraint's gist index on room_id threw away ~500 past
-- stays per room). A live hospital's room_assignments is full, so the index is built CONCURRENTLY,
-- outside a transaction; dropping first repairs an INVALID index left by an interrupted build.
DROP INDEX CONCURRENTLY IF EXISTS idx_room_assignments_open_stay;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_room_assignments_open_stay ON room_assignments (room_id, bed_number) WHERE discharged_at IS NULL;
