-- Measurements of one reading as read, before they are merged into core.ooni_measurement by measurement_uid.
CREATE TEMP TABLE ooni_stage (
    measurement_uid         text NOT NULL,
    test_name               text NOT NULL,
    input                   text NOT NULL,
    host                    text,
    host_unicode            text,
    probe_cc                text NOT NULL,
    probe_asn               bigint NOT NULL,
    measurement_start_time  timestamptz NOT NULL,
    anomaly                 boolean NOT NULL,
    confirmed               boolean NOT NULL,
    failure                 boolean,
    scores                  jsonb,
    report_id               text,
    measurement_url         text
) ON COMMIT DROP;
