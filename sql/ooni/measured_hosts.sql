-- Every host measured so far: matched against the whole watchlist at each load (a few thousand at most: the
-- hosts of the test lists), so the matches follow the watchlist without a record of what was matched when.
SELECT DISTINCT host FROM core.ooni_measurement WHERE host IS NOT NULL ORDER BY host;
