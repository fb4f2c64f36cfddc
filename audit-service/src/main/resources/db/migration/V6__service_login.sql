-- The service runs as the login 'audit', which owns nothing here: it may read every table and add rows, update only
-- the chain heads and consumer positions, and change or remove no event, usage record, checkpoint or retention record.
-- Migrations, like this one, run as the schema's owner (docs/security.md). Partitions are created and dropped only by
-- the two functions below, which run with the owner's rights; nothing else the login calls does.
GRANT USAGE ON SCHEMA audit TO audit;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA audit TO audit;
GRANT UPDATE ON chain_heads, consumer_positions TO audit;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA audit TO audit;
REVOKE SELECT, INSERT ON flyway_schema_history FROM audit;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA audit FROM PUBLIC;
GRANT EXECUTE ON FUNCTION month_partition_name(TEXT, DATE) TO audit;

CREATE OR REPLACE FUNCTION ensure_month_partition(parent TEXT, month_start DATE) RETURNS TEXT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    first_day DATE := date_trunc('month', month_start)::date;
    name      TEXT := month_partition_name(parent, first_day);
BEGIN
    IF parent NOT IN ('events', 'usage_records') THEN
        RAISE EXCEPTION 'no partitioned table %', parent USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                       name, parent, first_day::timestamp AT TIME ZONE 'UTC',
                       (first_day + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC');
        -- statement-level TRUNCATE triggers are not inherited from the parent
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()',
                       name || '_no_truncate', name);
        -- retention exports a partition by reading it directly
        EXECUTE format('GRANT SELECT ON %I TO audit', name);
    END IF;
    RETURN name;
END
$$;

-- Locks one month against new rows (retention exports it next, then drops it in the same transaction).
CREATE FUNCTION lock_month_partition(parent TEXT, month_start DATE) RETURNS VOID
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    name TEXT := month_partition_name(parent, date_trunc('month', month_start)::date);
BEGIN
    IF parent NOT IN ('events', 'usage_records') THEN
        RAISE EXCEPTION 'no partitioned table %', parent USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %I IN SHARE MODE', name);
    END IF;
END
$$;

-- Drops one month of a partitioned table together with the ingested ids of its rows; returns the rows removed. A
-- month that ended less than 90 days ago (the least retention the service accepts) is refused, whoever asks.
CREATE OR REPLACE FUNCTION drop_month_partition(parent TEXT, month_start DATE) RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    first_day DATE := date_trunc('month', month_start)::date;
    name      TEXT := month_partition_name(parent, first_day);
    removed   BIGINT;
BEGIN
    IF parent NOT IN ('events', 'usage_records') THEN
        RAISE EXCEPTION 'no partitioned table %', parent USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (first_day + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC' > now() - INTERVAL '90 days' THEN
        RAISE EXCEPTION 'partition % holds rows younger than 90 days; retention may not drop it', name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF to_regclass(name) IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('SELECT count(*) FROM %I', name) INTO removed;
    EXECUTE format('DELETE FROM ingested_ids USING %I p WHERE ingested_ids.id = p.id', name);
    EXECUTE format('DROP TABLE %I', name);
    RETURN removed;
END
$$;

REVOKE ALL ON FUNCTION ensure_month_partition(TEXT, DATE), lock_month_partition(TEXT, DATE),
    drop_month_partition(TEXT, DATE) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ensure_month_partition(TEXT, DATE), lock_month_partition(TEXT, DATE),
    drop_month_partition(TEXT, DATE) TO audit;
