-- Counted reports of the month that are confidential: counted, never described.
SELECT count(*) FROM core.counted_reports(%(month)s::date) WHERE confidential;
