-- Monthly partitions are created and dropped only through these functions, so that identifiers are quoted by
-- format('%I') on the server and the Java side passes nothing but a table name from a fixed set and a date.

CREATE FUNCTION month_partition_name(parent TEXT, month_start DATE) RETURNS TEXT
    LANGUAGE sql STABLE AS $$ SELECT parent || '_' || to_char(month_start, '"y"YYYY"m"MM') $$;

CREATE FUNCTION ensure_month_partition(parent TEXT, month_start DATE) RETURNS TEXT
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
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
    END IF;
    RETURN name;
END
$$;

-- Drops one month of a partitioned table together with the ingested ids of its rows; returns the rows removed.
CREATE FUNCTION drop_month_partition(parent TEXT, month_start DATE) RETURNS BIGINT
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    name    TEXT := month_partition_name(parent, date_trunc('month', month_start)::date);
    removed BIGINT;
BEGIN
    IF parent NOT IN ('events', 'usage_records') THEN
        RAISE EXCEPTION 'no partitioned table %', parent USING ERRCODE = 'invalid_parameter_value';
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
