-- New legal claims per kind and article: this month, and from January to this month. A claim is new in the month
-- its case was first reported (as counted by core.counted_reports); kind, article and amount are the case's.
INSERT INTO mart_stage.monthly_legal_claims (run_id, month, claim_kind, article, new_cases, amount_claimed_kzt,
                                             ytd_new_cases, ytd_amount_claimed_kzt)
WITH new_cases AS (
    SELECT r.event_month AS month, coalesce(lc.kind, 'other') AS kind, lc.article_normalized AS article,
           lc.amount_claimed_kzt AS amount
    FROM generate_series(date_trunc('year', %(month)s::date), %(month)s::date, interval '1 month') AS s(month)
    CROSS JOIN LATERAL core.counted_reports(s.month::date) r
    JOIN core.legal_case lc ON lc.first_report_key = r.report_key
    WHERE r.group_code = 'legal_claims'
)
SELECT %(run_id)s, %(month)s::date, kind, article,
       count(*) FILTER (WHERE month = %(month)s::date),
       coalesce(sum(amount) FILTER (WHERE month = %(month)s::date), 0),
       count(*),
       coalesce(sum(amount), 0)
FROM new_cases
GROUP BY kind, article;
