-- Experiment (docs/scaling.md), NOT a migration: rebuild hazards_hazardevent as a table
-- partitioned by RANGE of the event's moment (`at`), one partition per calendar year in
-- Asia/Shanghai, plus a DEFAULT partition. Run on a scratch copy of a PostgreSQL database:
--   createdb -h 127.0.0.1 -U postgres -T <source> <copy>
--   psql -h 127.0.0.1 -U postgres -d <copy> -v ON_ERROR_STOP=1 -f scripts/partition_events_by_year.sql
-- What it cannot keep (PostgreSQL requires the partition key in every unique index):
--   UNIQUE (hazard_id, seq) and UNIQUE (position) become unique per partition only
--   (hazard_id, seq, at) and (position, at); the primary key becomes (id, at).
-- Everything else stays: the same columns and defaults, the foreign keys, the check
-- constraints, the append-only triggers (cloned onto every partition), the indexes the ledger
-- and verify_ledger read (hazard_id, seq) and (position), as non-unique partitioned indexes.
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE hazards_hazardevent RENAME TO hazards_hazardevent_flat;

CREATE SEQUENCE hazards_hazardevent_part_id_seq;
SELECT setval('hazards_hazardevent_part_id_seq', COALESCE((SELECT max(id) FROM hazards_hazardevent_flat), 0) + 1, false);

CREATE TABLE hazards_hazardevent (
    LIKE hazards_hazardevent_flat INCLUDING DEFAULTS INCLUDING CONSTRAINTS
) PARTITION BY RANGE (at);
ALTER TABLE hazards_hazardevent ALTER COLUMN id SET DEFAULT nextval('hazards_hazardevent_part_id_seq');
ALTER SEQUENCE hazards_hazardevent_part_id_seq OWNED BY hazards_hazardevent.id;

DO $$
DECLARE
    first_year int := COALESCE((SELECT extract(year FROM min(at) AT TIME ZONE 'Asia/Shanghai') FROM hazards_hazardevent_flat), extract(year FROM now())::int);
    last_year int := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int + 1;
BEGIN
    FOR y IN first_year..last_year LOOP
        EXECUTE format(
            'CREATE TABLE hazards_hazardevent_y%s PARTITION OF hazards_hazardevent FOR VALUES FROM (%L) TO (%L)',
            y, format('%s-01-01 00:00:00+08', y), format('%s-01-01 00:00:00+08', y + 1));
    END LOOP;
END $$;
CREATE TABLE hazards_hazardevent_default PARTITION OF hazards_hazardevent DEFAULT;

INSERT INTO hazards_hazardevent SELECT * FROM hazards_hazardevent_flat;

ALTER TABLE hazards_hazardevent ADD PRIMARY KEY (id, at);
ALTER TABLE hazards_hazardevent ADD CONSTRAINT hazard_event_seq_unique_part UNIQUE (hazard_id, seq, at);
ALTER TABLE hazards_hazardevent ADD CONSTRAINT hazards_hazardevent_position_part UNIQUE (position, at);
CREATE INDEX hazards_hazardevent_hazard_seq_part ON hazards_hazardevent (hazard_id, seq);
CREATE INDEX hazards_hazardevent_position_idx_part ON hazards_hazardevent (position);
CREATE INDEX hazards_hazardevent_actor_part ON hazards_hazardevent (actor_id);
ALTER TABLE hazards_hazardevent ADD FOREIGN KEY (hazard_id) REFERENCES hazards_hazard (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE hazards_hazardevent ADD FOREIGN KEY (actor_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED;

-- The append-only guard (core.db.refuse_changes_sql), by the names verify_ledger looks for.
DROP TABLE hazards_hazardevent_flat;  -- its triggers and function-bound names go with it
CREATE OR REPLACE FUNCTION hazards_hazardevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
RAISE EXCEPTION USING MESSAGE = 'hazards_hazardevent is append-only: ' || TG_OP || ' refused'; END $$;
CREATE TRIGGER hazards_hazardevent_no_update BEFORE UPDATE ON hazards_hazardevent FOR EACH ROW EXECUTE FUNCTION hazards_hazardevent_refuse();
CREATE TRIGGER hazards_hazardevent_no_delete BEFORE DELETE ON hazards_hazardevent FOR EACH ROW EXECUTE FUNCTION hazards_hazardevent_refuse();
COMMIT;
ANALYZE hazards_hazardevent;
SELECT tableoid::regclass AS partition, count(*) FROM hazards_hazardevent GROUP BY 1 ORDER BY 1;
