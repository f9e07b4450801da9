-- Operations: what the pipelines report about themselves (not monitoring data; analysts have no access).
CREATE SCHEMA IF NOT EXISTS ops;
COMMENT ON SCHEMA ops IS 'Operations of the pipelines: alerts raised by failing tasks. Not monitoring data.';

CREATE TABLE ops.alert (
    alert_id       bigserial PRIMARY KEY,
    raised_at      timestamptz NOT NULL DEFAULT now(),
    dag_id         text NOT NULL,
    task_id        text NOT NULL,
    map_index      integer NOT NULL DEFAULT -1,
    run_id         text NOT NULL,
    try_number     integer,
    logical_date   timestamptz,
    kind           text NOT NULL DEFAULT 'task_failed',
    error          text,
    log_url        text,
    mailed_to      text[] NOT NULL DEFAULT '{}',
    mail_error     text
);
CREATE INDEX alert_raised_at_idx ON ops.alert (raised_at DESC);
CREATE INDEX alert_dag_task_idx ON ops.alert (dag_id, task_id);

COMMENT ON TABLE ops.alert IS 'One row per failure alert raised by a task-level failure callback (include/presswatch/ops/alerts.py): always written and logged, and mailed when SMTP is configured.';
COMMENT ON COLUMN ops.alert.alert_id IS 'Surrogate key of the alert.';
COMMENT ON COLUMN ops.alert.raised_at IS 'When the callback ran.';
COMMENT ON COLUMN ops.alert.dag_id IS 'Airflow DAG of the failing task.';
COMMENT ON COLUMN ops.alert.task_id IS 'Airflow task that failed.';
COMMENT ON COLUMN ops.alert.map_index IS 'Index of the mapped task instance (one input file, say); -1 for an unmapped task.';
COMMENT ON COLUMN ops.alert.run_id IS 'Airflow DAG run of the failure.';
COMMENT ON COLUMN ops.alert.try_number IS 'Attempt that failed (retries are not alerted: the callback fires when the task has failed for good).';
COMMENT ON COLUMN ops.alert.logical_date IS 'Logical date of the run; empty for runs triggered without one (API, assets).';
COMMENT ON COLUMN ops.alert.kind IS 'What happened: task_failed.';
COMMENT ON COLUMN ops.alert.error IS 'The exception the task failed with (type and message, without traceback).';
COMMENT ON COLUMN ops.alert.log_url IS 'Link to the task instance''s log in the Airflow UI.';
COMMENT ON COLUMN ops.alert.mailed_to IS 'Recipients the alert was mailed to; empty when no SMTP is configured or mailing failed.';
COMMENT ON COLUMN ops.alert.mail_error IS 'Why mailing failed, when it was attempted and failed.';
