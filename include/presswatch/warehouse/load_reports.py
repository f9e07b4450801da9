"""Loading one correspondent file version into raw, core and quarantine, in one transaction.

The idempotency key is (path in the inbox, SHA-256 of the bytes): the same bytes at the same path are
never loaded twice. New bytes at a known path are a new version: the old version's reports and
quarantined rows are withdrawn and the new ones loaded, while raw keeps every version. A report id given by
several current files of the same submission month is a correction too: the row of the latest file (by
raw.file.submitted_at, then inbox path; not by the order of loading) stands, and the others (accepted or
quarantined) are withdrawn into raw.row_replacement and taken off their files' counters in raw.file. They
come back when the file that withdrew them is replaced by a version without the id. Loads of one month take
turns (an advisory lock), so each sees the others' rows.

Cell text only ever reaches the warehouse as a query parameter or through COPY, never inside SQL text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import operator
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from ..normalize.rows import RECORD_FIELDS, NormalizedRow, Problem, location, payload_json_bytes
from .bulk import copy_lines, copy_rows, copy_text_line

log = logging.getLogger(__name__)

SOURCE_KIND = "correspondent"
REPORT_COLUMNS = ("file_id", "sheet", "row_number", *RECORD_FIELDS, "content_hash")
RAW_COLUMNS = ("file_id", "sheet", "row_number", "payload")
_record_values = operator.itemgetter(*RECORD_FIELDS)
_sha256 = hashlib.sha256


@dataclass(frozen=True)
class FileVersion:
    inbox_path: str
    sha256: str
    size_bytes: int
    submission_month: dt.date | None = None
    submitted_at: dt.datetime | None = None  # orders files of a month (raw.file.submitted_at); None: now


@dataclass
class FileRows:
    """A file's rows as COPY writes them, less the file's id (known only when the file is loaded), and whole
    the few rows a load may put in quarantine.

    Worked out apart from the load, so that the next files are prepared while the warehouse loads this one."""
    raw_lines: list[bytes]  # raw.row (sheet, row_number, payload) of every row
    report_lines: list[bytes]  # core.report (sheet, row_number, *RECORD_FIELDS, content hash) of every row
    external_ids: list[str | None]  # the report id of every row
    kept: dict[int, NormalizedRow]  # by index: rows with problems, duplicate marks, rows naming a duplicate


def _with_content_hash(line: bytes) -> bytes:
    """A report line without its hash (it ends at duplicate_of), with it: the SHA-256 of the content columns as
    the line writes them, between the report id and duplicate_of (core.report_content_hash rebuilds the same
    bytes from a stored row). Every tab in the line separates columns: a tab inside a value is written \\t."""
    start = line.index(b"\t", line.index(b"\t", line.index(b"\t") + 1) + 1) + 1
    digest = _sha256(line[start:line.rindex(b"\t")]).hexdigest()
    return b"%s\t%s\n" % (line[:-1], digest.encode())


def report_line(sheet: str, row_number: int, fields: tuple, content_hash: str | None = None) -> bytes:
    """core.report's COPY line for a record (the values of RECORD_FIELDS): with ``content_hash`` (a report as the
    warehouse holds it), or with the hash of its content."""
    if content_hash is not None:
        return copy_text_line((sheet, row_number, *fields, content_hash))
    return _with_content_hash(copy_text_line((sheet, row_number, *fields)))


def content_hash(fields: tuple) -> str:
    """The content hash of a record (the values of RECORD_FIELDS), as report_line writes it."""
    return report_line("", 0, fields)[-65:-1].decode()  # the line ends with the 64 hex digits and its line end


def raw_lines(rows: list[NormalizedRow]) -> list[bytes]:
    """raw.row's COPY lines (sheet, row number, payload), as copy_text_line writes them, at half its cost: a
    sheet name is encoded once, and JSON text needs no COPY escape but its backslashes doubled (JSON writes every
    tab, line end and other control character inside a string as an escape)."""
    sheets: dict[str, bytes] = {}
    lines = []
    for row in rows:
        sheet = sheets.get(row.sheet)
        if sheet is None:
            sheet = sheets[row.sheet] = copy_text_line((row.sheet,))[:-1]
        payload = payload_json_bytes(row.payload)
        if b"\\" in payload:
            payload = payload.replace(b"\\", b"\\\\")
        lines.append(b"%s\t%d\t%s\n" % (sheet, row.row_number, payload))
    return lines


def file_rows(rows: list[NormalizedRow], keep: set[int]) -> FileRows:
    """``rows`` encoded for COPY; those at the indexes in ``keep`` are also kept whole."""
    return FileRows(
        raw_lines(rows),
        [report_line(r.sheet, r.row_number, _record_values(r.record)) for r in rows],
        [r.record["external_id"] for r in rows],
        {index: rows[index] for index in keep},
    )


@dataclass
class LoadResult:
    file_id: int
    superseded_file_id: int | None = None
    replaced: list[tuple[str, str, int, str]] = field(default_factory=list)  # (was, inbox_path, row, report id)
    restored: list[tuple[str, str, int, str]] = field(default_factory=list)  # withdrawn rows that came back
    # Rows of this file withdrawn at once: a later file of the month, loaded before it, gives their report ids.
    withdrawn: list[tuple[str, str, int, str]] = field(default_factory=list)


def already_loaded_or_twin(conn: psycopg.Connection, version: FileVersion) -> tuple[bool, str | None]:
    """Whether these bytes are the path's current version already; if not, the path of another current file of
    the same submission month with exactly these bytes, if any, for a path seen for the first time (a path that
    has a current version is loaded whatever its new bytes equal: its old version has to go). One statement:
    the loading process asks it for every file, and waits for each answer."""
    loaded, twin = conn.execute(
        """SELECT EXISTS (SELECT 1 FROM raw.file
                          WHERE source_kind = %(kind)s AND inbox_path = %(path)s AND sha256 = %(sha)s
                            AND status <> 'superseded'),
                  (SELECT inbox_path FROM raw.file
                   WHERE source_kind = %(kind)s AND sha256 = %(sha)s AND inbox_path <> %(path)s AND status = 'loaded'
                     AND submission_month IS NOT DISTINCT FROM %(month)s
                     AND NOT EXISTS (SELECT 1 FROM raw.file
                                     WHERE source_kind = %(kind)s AND inbox_path = %(path)s AND status <> 'superseded')
                   ORDER BY file_id LIMIT 1)""",
        {"kind": SOURCE_KIND, "sha": version.sha256, "path": version.inbox_path, "month": version.submission_month},
    ).fetchone()
    return loaded, None if loaded else twin


def _lock_for_load(conn: psycopg.Connection, version: FileVersion) -> None:
    """Take the locks a load holds until its transaction ends: the submission month (a load must see the rows
    of the month's other files, to settle which file a report id belongs to), then the path (two workers
    loading versions of it would both supersede the same old version). Always month first, evaluated left to
    right: a worker never holds a path while it waits for a month, so a mapped task and a whole-inbox run
    cannot wait for each other in a circle."""
    conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext(%s)), pg_advisory_xact_lock(hashtext(%s))",
        (f"{SOURCE_KIND}:month:{version.submission_month}", f"{SOURCE_KIND}:{version.inbox_path}"),
    )


def _insert_file(conn: psycopg.Connection, version: FileVersion, status: str,
                 **extra) -> tuple[int, list[tuple[int, dt.date | None]]]:
    """Insert the new version; returns its file id and the path's current versions until now, (file id,
    submission month) each: the statement that inserts finds them too (it does not see its own row)."""
    found = conn.execute(
        """WITH new AS (
               INSERT INTO raw.file (source_kind, inbox_path, sha256, size_bytes, status, rows_read, rows_loaded,
                                     rows_quarantined, sheets, unknown_columns, submission_month, submitted_at)
               VALUES (%(kind)s, %(path)s, %(sha)s, %(size)s, %(status)s, %(read)s, %(loaded)s, %(quarantined)s,
                       %(sheets)s, %(unknown)s, %(month)s, coalesce(%(submitted)s, now()))
               RETURNING file_id)
           SELECT new.file_id, previous.file_id, previous.submission_month
           FROM new LEFT JOIN raw.file previous
             ON previous.source_kind = %(kind)s AND previous.inbox_path = %(path)s AND previous.status <> 'superseded'
           ORDER BY previous.file_id""",
        {
            "kind": SOURCE_KIND, "path": version.inbox_path, "sha": version.sha256, "size": version.size_bytes,
            "status": status, "read": extra.get("rows_read", 0), "loaded": extra.get("rows_loaded", 0),
            "quarantined": extra.get("rows_quarantined", 0), "sheets": json.dumps(extra.get("sheets", [])),
            "unknown": extra.get("unknown_columns", []), "month": version.submission_month,
            "submitted": version.submitted_at,
        },
    ).fetchall()
    return found[0][0], [(file_id, month) for _, file_id, month in found if file_id is not None]


def _supersede_previous(
    conn: psycopg.Connection, version: FileVersion, new_file_id: int, previous: list[tuple[int, dt.date | None]],
) -> tuple[int | None, list[tuple[str, str, int, str]]]:
    """Withdraw the path's ``previous`` current versions (see _insert_file); returns the first one's file id and the
    rows of other files they had withdrawn that came back (see _restore_withdrawn). When the new version gives the
    same report ids, settling them withdraws those rows again (or not, if their file is the later one)."""
    restored = []
    for file_id, month in previous:
        if month != version.submission_month:  # a path outside a YYYY-MM folder, sent again in a later month
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{SOURCE_KIND}:month:{month}",))
        conn.execute("DELETE FROM core.report WHERE file_id = %s", (file_id,))
        conn.execute("DELETE FROM quarantine.row WHERE file_id = %s", (file_id,))
        conn.execute("DELETE FROM quarantine.file WHERE file_id = %s", (file_id,))
        conn.execute(
            "UPDATE raw.file SET status = 'superseded', superseded_at = now(), superseded_by = %s WHERE file_id = %s",
            (new_file_id, file_id),
        )
        log.info("%s: version %d superseded by %d", version.inbox_path, file_id, new_file_id)
        restored += _restore_withdrawn(conn, month, file_id, new_file_id)
    return (previous[0][0] if previous else None), restored


_REPORT_RESTORE_COLUMNS = ("report_key", *REPORT_COLUMNS)
_QUARANTINE_RESTORE_COLUMNS = ("quarantine_row_id", "file_id", "inbox_path", "sheet", "row_number", "message", "payload",
                               "external_id")


def _restore_withdrawn(conn: psycopg.Connection, month: dt.date | None, superseded_file_id: int,
                       new_file_id: int) -> list[tuple[str, str, int, str]]:
    """Put back rows that a correction by report id had withdrawn, now that the correcting version is gone.

    For each report id the superseded version had taken from other files, the rows withdrawn by versions that
    are no longer current come back to the latest of their files (still current, same submission month),
    unless a current row of the month carries the id: that row is the latest word on the report. Following
    every withdrawal of the id, not only this version's, undoes a chain of corrections whose later links were
    replaced first; rows of earlier files stay withdrawn, now by the row that came back.
    Returns (was, inbox_path, row_number, report id) of each row put back.
    """
    columns = sql.SQL(", ").join(map(sql.Identifier, _REPORT_RESTORE_COLUMNS))
    quarantine_columns = sql.SQL(", ").join(map(sql.Identifier, _QUARANTINE_RESTORE_COLUMNS))
    restored = conn.execute(sql.SQL(
        """WITH candidate AS (
               SELECT DISTINCT external_id FROM raw.row_replacement
               WHERE replaced_by_file_id = %(superseded)s),
           held AS (
               SELECT c.external_id FROM core.report c JOIN raw.file f ON f.file_id = c.file_id
               WHERE c.external_id IN (SELECT external_id FROM candidate) AND f.source_kind = %(kind)s
                 AND f.status = 'loaded' AND f.submission_month IS NOT DISTINCT FROM %(month)s
               UNION
               SELECT q.external_id FROM quarantine.row q JOIN raw.file f ON f.file_id = q.file_id
               WHERE q.external_id IN (SELECT external_id FROM candidate) AND f.source_kind = %(kind)s
                 AND f.status = 'loaded' AND f.submission_month IS NOT DISTINCT FROM %(month)s),
           restorable AS (
               SELECT h.file_id, h.sheet, h.row_number, h.external_id, origin.submitted_at, origin.inbox_path
               FROM raw.row_replacement h
               JOIN raw.file origin ON origin.file_id = h.file_id
               JOIN raw.file corrector ON corrector.file_id = h.replaced_by_file_id
               WHERE h.external_id IN (SELECT external_id FROM candidate)
                 AND h.external_id NOT IN (SELECT external_id FROM held)
                 AND h.content IS NOT NULL
                 AND origin.source_kind = %(kind)s AND origin.status = 'loaded'
                 AND origin.submission_month IS NOT DISTINCT FROM %(month)s
                 AND corrector.status <> 'loaded'),
           latest AS (  -- of the files whose rows could come back, the latest has the id
               SELECT DISTINCT ON (external_id) external_id, file_id FROM restorable
               ORDER BY external_id, submitted_at DESC, inbox_path COLLATE "C" DESC, file_id DESC),
           back AS (
               DELETE FROM raw.row_replacement h USING restorable r, latest l
               WHERE (h.file_id, h.sheet, h.row_number) = (r.file_id, r.sheet, r.row_number)
                 AND l.external_id = r.external_id AND l.file_id = r.file_id
               RETURNING h.*, r.inbox_path),
           rebound AS (  -- the others stay withdrawn, now by the row that came back
               UPDATE raw.row_replacement h SET replaced_by_file_id = l.file_id
               FROM restorable r, latest l
               WHERE (h.file_id, h.sheet, h.row_number) = (r.file_id, r.sheet, r.row_number)
                 AND l.external_id = r.external_id AND l.file_id <> r.file_id),
           to_core AS (
               INSERT INTO core.report ({columns}, loaded_at)
               SELECT r.*, now() FROM back,
                   LATERAL (SELECT {columns} FROM jsonb_populate_record(NULL::core.report, back.content)) r
               WHERE back.was = 'core'),
           to_quarantine AS (
               INSERT INTO quarantine.row ({quarantine_columns}, quarantined_at)
               SELECT r.*, now() FROM back,
                   LATERAL (SELECT {quarantine_columns} FROM jsonb_populate_record(NULL::quarantine.row, back.content)) r
               WHERE back.was = 'quarantine'),
           problems AS (
               INSERT INTO quarantine.row_problem (quarantine_row_id, column_name, field, value, reason)
               SELECT p.quarantine_row_id, p.column_name, p.field, p.value, p.reason FROM back,
                   LATERAL jsonb_populate_recordset(NULL::quarantine.row_problem, back.content -> 'problems') p
               WHERE back.was = 'quarantine'),
           history AS (
               INSERT INTO raw.row_restoration (file_id, sheet, row_number, external_id, was, replaced_by_file_id,
                                                replaced_at, restored_by_file_id)
               SELECT file_id, sheet, row_number, external_id, was, replaced_by_file_id, replaced_at, %(new)s
               FROM back),
           recounted AS (
               UPDATE raw.file f
               SET rows_loaded = f.rows_loaded + n.core, rows_quarantined = f.rows_quarantined + n.quarantine
               FROM (SELECT file_id, count(*) FILTER (WHERE was = 'core') AS core,
                            count(*) FILTER (WHERE was = 'quarantine') AS quarantine
                     FROM back GROUP BY file_id) n
               WHERE f.file_id = n.file_id)
           SELECT was, inbox_path, row_number, external_id FROM back ORDER BY was, inbox_path, sheet, row_number"""
    ).format(columns=columns, quarantine_columns=quarantine_columns),
        {"superseded": superseded_file_id, "kind": SOURCE_KIND, "month": month, "new": new_file_id},
    ).fetchall()
    for was, path, row_number, report_id in restored:
        log.info("report id %s of row %d of %s is back (%s): the correction that withdrew it is gone",
                 report_id, row_number, path, was)
    return [tuple(r) for r in restored]


def _held_elsewhere(conn: psycopg.Connection, file_id: int, report_ids: list[str]) -> bool:
    """Whether a row of another file (any month, accepted or quarantined) carries one of these report ids.

    Most files correct nothing: this look-up decides whether settling the ids is needed at all. It runs before
    the file's own rows are written, so each id's index probe usually finds nothing, instead of finding the
    file's own fresh row and reading it from the heap to see whose it is. One index probe per id (the LIMIT keeps
    the planner from turning it into a join): a hash join would scan the whole table for every file, which the
    planner chooses while a table filled in this transaction has no statistics yet."""
    if not report_ids:
        return False
    # The ids travel as one JSON text: psycopg adapts a list to an array element by element in Python, which
    # for hundreds of ids a file was a third of the loading process's CPU.
    (seen,) = conn.execute(
        """SELECT EXISTS (SELECT 1 FROM json_array_elements_text(%(ids)s::json) i(id) CROSS JOIN LATERAL (
                   SELECT 1 FROM core.report WHERE external_id = i.id AND file_id <> %(file_id)s LIMIT 1) c)
               OR EXISTS (SELECT 1 FROM json_array_elements_text(%(ids)s::json) i(id) CROSS JOIN LATERAL (
                   SELECT 1 FROM quarantine.row WHERE external_id = i.id AND file_id <> %(file_id)s LIMIT 1) q)""",
        {"file_id": file_id, "ids": json.dumps(report_ids, ensure_ascii=False)},
    ).fetchone()
    return seen


def _settle_report_ids(conn: psycopg.Connection, version: FileVersion, file_id: int,
                       report_ids: list[str]) -> list[tuple[str, str, int, str]]:
    """After a file's rows are in: where a current file of the month gives one of its report ids too, the row
    of the latest file (raw.file.submitted_at, then inbox_path) stands and the others are withdrawn, this
    file's own included when the other file is later. Returns (was, inbox_path, row, report id) withdrawn.
    Needed only when _held_elsewhere found one of the ids before the file's rows were written."""
    if not report_ids:
        return []
    params = {"kind": SOURCE_KIND, "month": version.submission_month, "file_id": file_id, "ids": report_ids}
    # One statement withdraws the rows, keeps their history and takes them off the counters of the files they
    # came from, so raw.file keeps agreeing with core.report, quarantine.row and raw.row_replacement. The
    # counters are decremented by what this statement deleted rather than recounted, so a decrement by another
    # load of the month is never lost.
    replaced = conn.execute(
        """WITH holder AS (
               SELECT c.external_id, c.file_id FROM core.report c WHERE c.external_id IN (SELECT unnest(%(ids)s::text[]))
               UNION
               SELECT q.external_id, q.file_id FROM quarantine.row q
               WHERE q.external_id IN (SELECT unnest(%(ids)s::text[]))),
           latest AS (
               SELECT DISTINCT ON (h.external_id) h.external_id, h.file_id
               FROM holder h JOIN raw.file f ON f.file_id = h.file_id
               WHERE f.source_kind = %(kind)s AND f.status = 'loaded' AND f.submission_month IS NOT DISTINCT FROM %(month)s
               ORDER BY h.external_id, f.submitted_at DESC, f.inbox_path COLLATE "C" DESC, f.file_id DESC),
           from_core AS (
               DELETE FROM core.report c USING raw.file f, latest l
               WHERE f.file_id = c.file_id AND f.source_kind = %(kind)s AND f.status = 'loaded'
                 AND f.submission_month IS NOT DISTINCT FROM %(month)s
                 AND c.external_id = l.external_id AND c.file_id <> l.file_id
               RETURNING c.file_id, c.sheet, c.row_number, c.external_id, NULL::text AS message, f.inbox_path,
                         l.file_id AS replaced_by, to_jsonb(c) AS content),
           from_quarantine AS (
               DELETE FROM quarantine.row q USING raw.file f, latest l
               WHERE f.file_id = q.file_id AND f.source_kind = %(kind)s AND f.status = 'loaded'
                 AND f.submission_month IS NOT DISTINCT FROM %(month)s
                 AND q.external_id = l.external_id AND q.file_id <> l.file_id
               RETURNING q.file_id, q.sheet, q.row_number, q.external_id, q.message, f.inbox_path,
                         l.file_id AS replaced_by,
                         to_jsonb(q) || jsonb_build_object('problems', (
                             SELECT coalesce(jsonb_agg(to_jsonb(p)), '[]') FROM quarantine.row_problem p
                             WHERE p.quarantine_row_id = q.quarantine_row_id)) AS content),
           gone AS (
               SELECT 'core' AS was, * FROM from_core UNION ALL SELECT 'quarantine', * FROM from_quarantine),
           history AS (
               INSERT INTO raw.row_replacement (file_id, sheet, row_number, external_id, was, message,
                                                replaced_by_file_id, content)
               SELECT file_id, sheet, row_number, external_id, was, message, replaced_by, content FROM gone),
           marks_kept AS (  -- an editor's duplicate mark outlives the report being sent again without one
               UPDATE core.report w SET duplicate_of = g.content ->> 'duplicate_of'
               FROM gone g, latest l
               WHERE g.was = 'core' AND g.content ->> 'duplicate_of' IS NOT NULL
                 AND l.external_id = g.external_id AND w.file_id = l.file_id AND w.external_id = g.external_id
                 AND w.duplicate_of IS NULL),
           recounted AS (
               UPDATE raw.file f
               SET rows_loaded = f.rows_loaded - n.core, rows_quarantined = f.rows_quarantined - n.quarantine
               FROM (SELECT file_id, count(*) FILTER (WHERE was = 'core') AS core,
                            count(*) FILTER (WHERE was = 'quarantine') AS quarantine
                     FROM gone GROUP BY file_id) n
               WHERE f.file_id = n.file_id)
           SELECT was, inbox_path, row_number, external_id FROM gone ORDER BY was, inbox_path, sheet, row_number""",
        params,
    ).fetchall()
    for was, path, row_number, report_id in replaced:
        if path == version.inbox_path:
            log.info("%s: row %d withdrawn: a later file of the month gives report id %s too (%s)",
                     path, row_number, report_id, was)
        else:
            log.info("%s: report id %s replaces row %d of %s (%s)", version.inbox_path, report_id, row_number, path,
                     was)
    return [tuple(r) for r in replaced]


def current_reports_by_id(conn: psycopg.Connection, version: FileVersion, report_ids: list[str]) -> dict[str, tuple]:
    """The accepted reports of the submission month's current files that carry these report ids, as
    (*RECORD_FIELDS, content hash) by id: what a duplicate mark for them loads again, marked."""
    if not report_ids:
        return {}
    query = sql.SQL(
        """SELECT {columns}, c.content_hash FROM core.report c JOIN raw.file f ON f.file_id = c.file_id
           WHERE f.source_kind = %(kind)s AND f.status = 'loaded' AND f.submission_month IS NOT DISTINCT FROM %(month)s
             AND c.external_id = ANY(%(ids)s)
           ORDER BY c.report_key"""
    ).format(columns=sql.SQL(", ").join(sql.Identifier("c", f) for f in RECORD_FIELDS))
    rows = conn.execute(query, {"kind": SOURCE_KIND, "month": version.submission_month, "path": version.inbox_path,
                                "ids": report_ids}).fetchall()
    return {row[0]: tuple(row) for row in rows}  # external_id leads RECORD_FIELDS; the latest report wins


def quarantine_file(conn: psycopg.Connection, version: FileVersion, reason: str) -> LoadResult:
    """Record a file that could not be read at all, with its reason. It replaces the path's current version,
    whose corrections by report id are undone."""
    with conn.transaction():
        _lock_for_load(conn, version)
        file_id, previous = _insert_file(conn, version, "quarantined")
        superseded, restored = _supersede_previous(conn, version, file_id, previous)
        result = LoadResult(file_id, superseded, restored=restored)
        conn.execute(
            "INSERT INTO quarantine.file (file_id, inbox_path, reason) VALUES (%s, %s, %s)",
            (file_id, version.inbox_path, reason),
        )
    return result


def load_file(
    conn: psycopg.Connection,
    version: FileVersion,
    rows: FileRows,
    problems: dict[int, list[Problem]],
    sheets: list[dict],
    unknown_columns: list[str],
) -> LoadResult:
    """Load a read file: all rows into raw.row, clean ones into core.report, the rest (``problems``, by row
    index; each such row is one of ``rows.kept``) into quarantine."""
    accepted = [line for index, line in enumerate(rows.report_lines) if index not in problems]
    rejected = [(rows.kept[index], problems[index]) for index in sorted(problems)]
    with conn.transaction():
        _lock_for_load(conn, version)
        file_id, previous = _insert_file(
            conn, version, "loaded", rows_read=len(rows.raw_lines), rows_loaded=len(accepted),
            rows_quarantined=len(rejected), sheets=sheets, unknown_columns=unknown_columns,
        )
        # A duplicate mark that could not be applied leaves the report it names as it was.
        report_ids = sorted({
            report_id for index, report_id in enumerate(rows.external_ids)
            if report_id and not (index in problems and rows.kept[index].duplicate_mark)
        })
        superseded, restored = _supersede_previous(conn, version, file_id, previous)
        result = LoadResult(file_id, superseded, restored=restored)
        # Other files' rows with these ids are there now or not at all: the month's loads wait for each other.
        corrects = _held_elsewhere(conn, file_id, report_ids)
        prefix = f"{file_id}\t".encode()
        copy_lines(conn, "raw.row", RAW_COLUMNS, rows.raw_lines, prefix)
        copy_lines(conn, "core.report", REPORT_COLUMNS, accepted, prefix)
        if rejected:
            ids = [i for (i,) in conn.execute(
                "SELECT nextval('quarantine.row_quarantine_row_id_seq') FROM generate_series(1, %s)", (len(rejected),)
            )]
            copy_rows(
                conn, "quarantine.row",
                ("quarantine_row_id", "file_id", "inbox_path", "sheet", "row_number", "message", "payload",
                 "external_id"),
                (
                    (qid, file_id, version.inbox_path, r.sheet, r.row_number,
                     "\n".join(f"{location(r.sheet, r.row_number, p.column)}: {p.reason}" for p in found),
                     # A duplicate mark that failed names a report; it gives no report of its own to stand for.
                     r.payload_json(), None if r.duplicate_mark else r.record.get("external_id"))
                    for qid, (r, found) in zip(ids, rejected)
                ),
            )
            copy_rows(
                conn, "quarantine.row_problem", ("quarantine_row_id", "column_name", "field", "value", "reason"),
                ((qid, p.column, p.field, p.value, p.reason) for qid, (_, found) in zip(ids, rejected) for p in found),
            )
        settled = _settle_report_ids(conn, version, file_id, report_ids) if corrects else []
        # A row the old version had withdrawn comes back when it goes, and is withdrawn again at once when this
        # version gives the same id: it never was back, and its history says so.
        round_trip = {r[1:] for r in restored} & {r[1:] for r in settled}
        if round_trip:
            conn.execute(
                """DELETE FROM raw.row_restoration r USING raw.row_replacement h
                   WHERE r.restored_by_file_id = %(file_id)s AND h.replaced_by_file_id = %(file_id)s
                     AND (r.file_id, r.sheet, r.row_number) = (h.file_id, h.sheet, h.row_number)""",
                {"file_id": file_id},
            )
        result.restored = [r for r in restored if r[1:] not in round_trip]
        result.replaced = [r for r in settled if r[1] != version.inbox_path and r[1:] not in round_trip]
        result.withdrawn = [r for r in settled if r[1] == version.inbox_path]
    return result


def refresh_legal_cases(conn: psycopg.Connection) -> int:
    """Rebuild core.legal_case and its dated history core.legal_case_event from the reports about each case
    (see legal_cases.py); returns the number of cases."""
    from . import legal_cases

    return legal_cases.refresh(conn)
