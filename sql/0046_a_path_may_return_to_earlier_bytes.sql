-- A correspondent may send a file back as it was before (version 3 with the bytes of version 1). The unique
-- key on (source_kind, inbox_path, sha256) refused that new version and stopped the whole run. Only the
-- current version of a path must not repeat; superseded versions keep their history.
ALTER TABLE raw.file DROP CONSTRAINT file_source_kind_inbox_path_sha256_key;
CREATE UNIQUE INDEX file_current_version_key ON raw.file (source_kind, inbox_path, sha256) WHERE status <> 'superseded';
COMMENT ON INDEX raw.file_current_version_key IS 'The same bytes are loaded at most once at a path while they are its current version; a path may come back to the bytes of a superseded version.';
