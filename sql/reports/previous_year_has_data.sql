-- Whether any report at all was loaded for the same period a year earlier (zero differs from no data).
SELECT EXISTS (
    SELECT 1 FROM core.report
    WHERE event_month BETWEEN (date_trunc('year', %(month)s::date) - interval '1 year')::date
                          AND (%(month)s::date - interval '1 year')::date
);
