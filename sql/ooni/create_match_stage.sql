-- Host matches computed by one matching pass, before they replace the previous ones.
CREATE TEMP TABLE ooni_match_stage (LIKE core.ooni_host_match INCLUDING DEFAULTS) ON COMMIT DROP;
