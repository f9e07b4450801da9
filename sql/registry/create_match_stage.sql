-- Matches computed by one matching pass, before they replace the previous ones.
CREATE TEMP TABLE registry_match_stage (LIKE core.registry_match INCLUDING DEFAULTS) ON COMMIT DROP;
