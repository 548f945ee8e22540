// SPDX-License-Identifier: MIT
#include "core/register/migrations.h"

#include <string>
#include <utility>

namespace lecert::reg {

namespace {

// Each migration is written once where both back ends run the same statements; a shared text
// names what differs between them in braces, filled in by forDialect(): {id} is a table's
// auto-numbered key, {ref} the type of a column that refers to one, {key_indexes} the indexes
// on the search keys.

// Tables shared by both back ends (dates are ISO text so they sort and compare alike).
// `record_versions` keeps every version of a record; `record_conflicts` keeps the losing side
// of a version conflict; `review_events` is append-only and anchors the record's hash-chain
// head at each event. Only what the queues, search and reports need is a column; the record
// itself stays the JSON document.
constexpr std::string_view kTablesV1 = R"sql(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('officer','supervisor','clerk','auditor')),
  unit TEXT NOT NULL DEFAULT ''
);
CREATE TABLE requests (
  {id},
  received_date TEXT NOT NULL,
  requester_kind TEXT NOT NULL CHECK (requester_kind IN ('victim','attorney','advocate')),
  requester_name TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  form TEXT NOT NULL CHECK (form IN ('i918b','i914b')),
  case_number TEXT NOT NULL DEFAULT '',
  removal_proceedings INTEGER NOT NULL DEFAULT 0,
  deadline TEXT NOT NULL,
  deadline_rule TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  owner TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft','submitted','returned','approved')),
  submitted_by TEXT,
  approved_by TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  record_id TEXT,
  victim_key TEXT NOT NULL DEFAULT '',
  victim_key2 TEXT NOT NULL DEFAULT '',
  requester_key TEXT NOT NULL DEFAULT '',
  crime TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT 'pending'
    CHECK (outcome IN ('pending','certified','declined','withdrawn')),
  outcome_date TEXT,
  decline_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE record_versions (
  request_id {ref} NOT NULL REFERENCES requests(id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  PRIMARY KEY (request_id, version)
);
CREATE TABLE record_conflicts (
  {id},
  request_id {ref} NOT NULL REFERENCES requests(id),
  base_version INTEGER NOT NULL,
  register_version INTEGER NOT NULL,
  record TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at TEXT NOT NULL
);
CREATE TABLE review_events (
  {id},
  request_id {ref} NOT NULL REFERENCES requests(id),
  version INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  chain_head TEXT
);
)sql";

// Indexes for the queues and reports.
constexpr std::string_view kIndexesV2 = R"sql(
CREATE INDEX requests_owner_status ON requests(owner, status);
CREATE INDEX requests_status_received ON requests(status, received_date);
CREATE INDEX requests_outcome_deadline ON requests(outcome, deadline);
CREATE INDEX requests_case_number ON requests(case_number);
{key_indexes}
CREATE INDEX requests_received ON requests(received_date);
CREATE INDEX review_events_request ON review_events(request_id, id);
CREATE INDEX record_conflicts_request ON record_conflicts(request_id);)sql";

// PostgreSQL indexes the search keys in byte order (COLLATE "C"), as SQLite's default does.
constexpr std::string_view kSqliteKeyIndexes =
    "CREATE INDEX requests_victim_key ON requests(victim_key);\n"
    "CREATE INDEX requests_victim_key2 ON requests(victim_key2);\n"
    "CREATE INDEX requests_requester_key ON requests(requester_key);\n";
constexpr std::string_view kPgKeyIndexes =
    "CREATE INDEX requests_victim_key ON requests((victim_key COLLATE \"C\"));\n"
    "CREATE INDEX requests_victim_key2 ON requests((victim_key2 COLLATE \"C\"));\n"
    "CREATE INDEX requests_requester_key ON requests((requester_key COLLATE \"C\"));\n";

// SQLite: the append-only rule (SQLite has no grants: roles are enforced in core; the triggers
// stop a stray UPDATE/DELETE from rewriting history).
constexpr std::string_view kSqliteRulesV2 = R"sql(
CREATE TRIGGER review_events_append_only_u BEFORE UPDATE ON review_events
  BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
CREATE TRIGGER review_events_append_only_d BEFORE DELETE ON review_events
  BEGIN SELECT RAISE(ABORT, 'review events are append-only'); END;
CREATE TRIGGER record_versions_append_only_u BEFORE UPDATE ON record_versions
  BEGIN SELECT RAISE(ABORT, 'record versions are kept, never rewritten'); END;
CREATE TRIGGER record_versions_append_only_d BEFORE DELETE ON record_versions
  BEGIN SELECT RAISE(ABORT, 'record versions are kept, never rewritten'); END;
)sql";

// PostgreSQL: identities are database roles: each user is a LOGIN role that is a member of one
// of the four group roles. The rules live in the database (grants, row-level security,
// triggers), so a hand-written SQL client has the same limits as lecert. `session_user` is the
// authenticated login; the triggers stamp it and the server's time on every row they guard.
constexpr std::string_view kPgRulesV2 = R"sql(

DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['lecert_officer','lecert_supervisor','lecert_clerk','lecert_auditor'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;

CREATE FUNCTION lecert_has_role(r text) RETURNS boolean LANGUAGE sql STABLE AS
  $f$ SELECT pg_has_role(session_user, 'lecert_' || r, 'MEMBER') $f$;
CREATE FUNCTION lecert_now() RETURNS text LANGUAGE sql STABLE AS
  $f$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $f$;
-- Called only for drafts (the policies test the cheap conditions first), since a function
-- with sub-selects is not inlined and would otherwise run for every row of a queue.
CREATE FUNCTION lecert_sees_drafts_of(r_unit text) RETURNS boolean
  LANGUAGE sql STABLE AS $f$
  SELECT lecert_has_role('supervisor') OR lecert_has_role('clerk') OR lecert_has_role('auditor')
      OR coalesce((SELECT value FROM settings WHERE key = 'drafts_private_to_unit'), '1') = '0'
      OR r_unit = coalesce((SELECT unit FROM users WHERE name = session_user), '')
  $f$;

REVOKE ALL ON settings, users, requests, record_versions, record_conflicts, review_events,
  schema_version FROM PUBLIC;
GRANT SELECT ON settings, users, requests, record_versions, record_conflicts, review_events,
  schema_version TO lecert_officer, lecert_supervisor, lecert_clerk, lecert_auditor;
GRANT INSERT, UPDATE ON requests TO lecert_officer, lecert_supervisor, lecert_clerk;
GRANT INSERT ON record_versions, record_conflicts, review_events
  TO lecert_officer, lecert_supervisor, lecert_clerk;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public
  TO lecert_officer, lecert_supervisor, lecert_clerk;

ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY requests_read ON requests FOR SELECT
  USING (status NOT IN ('draft','returned') OR owner = session_user
         OR lecert_sees_drafts_of(unit));
CREATE POLICY requests_intake ON requests FOR INSERT
  WITH CHECK (owner = session_user OR lecert_has_role('clerk') OR lecert_has_role('supervisor'));
CREATE POLICY requests_write ON requests FOR UPDATE
  USING ((status NOT IN ('draft','returned') OR owner = session_user
          OR lecert_sees_drafts_of(unit))
         AND (owner = session_user OR lecert_has_role('supervisor') OR lecert_has_role('clerk')));

ALTER TABLE record_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_versions_read ON record_versions FOR SELECT
  USING (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE POLICY record_versions_add ON record_versions FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
ALTER TABLE record_conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_conflicts_read ON record_conflicts FOR SELECT
  USING (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE POLICY record_conflicts_add ON record_conflicts FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
ALTER TABLE review_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY review_events_read ON review_events FOR SELECT
  USING (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE POLICY review_events_add ON review_events FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));

-- History is never rewritten, not even by the owner of the tables.
CREATE FUNCTION lecert_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $f$;
CREATE TRIGGER review_events_append_only BEFORE UPDATE OR DELETE ON review_events
  FOR EACH ROW EXECUTE FUNCTION lecert_append_only();
CREATE TRIGGER record_versions_append_only BEFORE UPDATE OR DELETE ON record_versions
  FOR EACH ROW EXECUTE FUNCTION lecert_append_only();
CREATE TRIGGER review_events_truncate BEFORE TRUNCATE ON review_events
  FOR EACH STATEMENT EXECUTE FUNCTION lecert_append_only();
CREATE TRIGGER record_versions_truncate BEFORE TRUNCATE ON record_versions
  FOR EACH STATEMENT EXECUTE FUNCTION lecert_append_only();

-- Who and when come from the server, not from the client.
CREATE FUNCTION lecert_stamp_event() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.actor := session_user;
  NEW.at := lecert_now();
  IF NEW.action = 'approved' AND NOT lecert_has_role('supervisor') THEN
    RAISE EXCEPTION 'only a supervisor may approve' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $f$;
CREATE TRIGGER review_events_stamp BEFORE INSERT ON review_events
  FOR EACH ROW EXECUTE FUNCTION lecert_stamp_event();
CREATE FUNCTION lecert_stamp_saved() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.saved_by := session_user;
  NEW.saved_at := lecert_now();
  RETURN NEW;
END $f$;
CREATE TRIGGER record_versions_stamp BEFORE INSERT ON record_versions
  FOR EACH ROW EXECUTE FUNCTION lecert_stamp_saved();
CREATE TRIGGER record_conflicts_stamp BEFORE INSERT ON record_conflicts
  FOR EACH ROW EXECUTE FUNCTION lecert_stamp_saved();

-- The review workflow's rules on the request row: a new request starts as a draft; only a
-- supervisor who did not submit it approves it; only a supervisor or a records clerk records
-- an outcome; "certified" needs an approval; submitted_by/approved_by are set by the server.
CREATE FUNCTION lecert_guard_request() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.updated_at := lecert_now();
  IF TG_OP = 'INSERT' THEN
    NEW.created_at := NEW.updated_at;
    NEW.status := 'draft'; NEW.version := 0; NEW.outcome := 'pending';
    NEW.outcome_date := NULL; NEW.decline_reason := NULL;
    NEW.submitted_by := NULL; NEW.approved_by := NULL;
    RETURN NEW;
  END IF;
  NEW.created_at := OLD.created_at;
  NEW.submitted_by := OLD.submitted_by;
  NEW.approved_by := OLD.approved_by;
  IF NEW.status = 'submitted' AND OLD.status <> 'submitted' THEN
    NEW.submitted_by := session_user;
  END IF;
  IF NEW.status = 'approved' AND OLD.status <> 'approved' THEN
    IF NOT lecert_has_role('supervisor') THEN
      RAISE EXCEPTION 'only a supervisor may approve' USING ERRCODE = '42501';
    END IF;
    IF OLD.status <> 'submitted' THEN
      RAISE EXCEPTION 'only a submitted request can be approved' USING ERRCODE = '42501';
    END IF;
    IF OLD.submitted_by = session_user THEN
      RAISE EXCEPTION 'the approver must not be the submitter' USING ERRCODE = '42501';
    END IF;
    NEW.approved_by := session_user;
  END IF;
  IF (NEW.outcome, NEW.outcome_date, NEW.decline_reason) IS DISTINCT FROM
     (OLD.outcome, OLD.outcome_date, OLD.decline_reason) THEN
    IF NOT (lecert_has_role('supervisor') OR lecert_has_role('clerk')) THEN
      RAISE EXCEPTION 'only a supervisor or a records clerk may record an outcome'
        USING ERRCODE = '42501';
    END IF;
    IF NEW.outcome = 'certified' AND NEW.status <> 'approved' THEN
      RAISE EXCEPTION 'a request is certified only after approval' USING ERRCODE = '42501';
    END IF;
  END IF;
  IF NEW.owner <> OLD.owner AND NOT (lecert_has_role('supervisor') OR lecert_has_role('clerk')) THEN
    RAISE EXCEPTION 'only a supervisor or a records clerk may reassign a request'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $f$;
CREATE TRIGGER requests_guard BEFORE INSERT OR UPDATE ON requests
  FOR EACH ROW EXECUTE FUNCTION lecert_guard_request();
)sql";

// Version 3 (issue 16, rest): work made offline and synced later (`client_op` makes a replayed
// operation idempotent: a sync cut off after the server committed finds it and does not apply
// it twice; `made_offline_at` keeps the desk's own clock beside the server's `at`), what a batch
// produced for which record version (`batch_outputs`, file names and hashes only), and how a
// SQLite register knows who is acting (`identity`: registers that existed before were used as a
// single trusted desk and stay so until an administrator switches them).
constexpr std::string_view kOfflineAndOutputsV3 = R"sql(
ALTER TABLE review_events ADD COLUMN client_op TEXT;
ALTER TABLE review_events ADD COLUMN made_offline_at TEXT;
CREATE UNIQUE INDEX review_events_client_op ON review_events(client_op)
  WHERE client_op IS NOT NULL;
CREATE TABLE batch_outputs (
  {id},
  request_id {ref} NOT NULL REFERENCES requests(id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok','invalid','error','skipped')),
  outputs TEXT NOT NULL,
  produced_by TEXT NOT NULL,
  produced_at TEXT NOT NULL
);
CREATE INDEX batch_outputs_request ON batch_outputs(request_id, version);)sql";

// The append-only rule on batch_outputs, and the SQLite register's identity mode.
constexpr std::string_view kSqliteRulesV3 = R"sql(
CREATE TRIGGER batch_outputs_append_only_u BEFORE UPDATE ON batch_outputs
  BEGIN SELECT RAISE(ABORT, 'batch outputs are append-only'); END;
CREATE TRIGGER batch_outputs_append_only_d BEFORE DELETE ON batch_outputs
  BEGIN SELECT RAISE(ABORT, 'batch outputs are append-only'); END;
INSERT INTO settings (key, value) SELECT 'identity', 'trusted-desk'
  WHERE EXISTS (SELECT 1 FROM users);
)sql";

// The grants, row-level security and server stamps on batch_outputs.
constexpr std::string_view kPgRulesV3 = R"sql(
REVOKE ALL ON batch_outputs FROM PUBLIC;
GRANT SELECT ON batch_outputs
  TO lecert_officer, lecert_supervisor, lecert_clerk, lecert_auditor;
GRANT INSERT ON batch_outputs TO lecert_officer, lecert_supervisor, lecert_clerk;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public
  TO lecert_officer, lecert_supervisor, lecert_clerk;
ALTER TABLE batch_outputs ENABLE ROW LEVEL SECURITY;
CREATE POLICY batch_outputs_read ON batch_outputs FOR SELECT
  USING (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE POLICY batch_outputs_add ON batch_outputs FOR INSERT
  WITH CHECK (EXISTS (SELECT 1 FROM requests r WHERE r.id = request_id));
CREATE TRIGGER batch_outputs_append_only BEFORE UPDATE OR DELETE ON batch_outputs
  FOR EACH ROW EXECUTE FUNCTION lecert_append_only();
CREATE TRIGGER batch_outputs_truncate BEFORE TRUNCATE ON batch_outputs
  FOR EACH STATEMENT EXECUTE FUNCTION lecert_append_only();
CREATE FUNCTION lecert_stamp_output() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.produced_by := session_user;
  NEW.produced_at := lecert_now();
  RETURN NEW;
END $f$;
CREATE TRIGGER batch_outputs_stamp BEFORE INSERT ON batch_outputs
  FOR EACH ROW EXECUTE FUNCTION lecert_stamp_output();
)sql";

constexpr std::string_view kSchemaVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
    "applied_at TEXT NOT NULL)";

std::string forDialect(std::string_view sql, SqlDialect dialect) {
    const bool sqlite = dialect == SqlDialect::Sqlite;
    const std::pair<std::string_view, std::string_view> fills[] = {
        {"{id}", sqlite ? "id INTEGER PRIMARY KEY"
                        : "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"{ref}", sqlite ? "INTEGER" : "BIGINT"},
        {"{key_indexes}\n", sqlite ? kSqliteKeyIndexes : kPgKeyIndexes}};
    std::string out(sql);
    for (const auto& [name, text] : fills) {
        for (auto at = out.find(name); at != std::string::npos;
             at = out.find(name, at + text.size()))
            out.replace(at, name.size(), text);
    }
    return out;
}

std::vector<std::string> migrationTexts(SqlDialect dialect) {
    const bool sqlite = dialect == SqlDialect::Sqlite;
    return {forDialect(kTablesV1, dialect),
            forDialect(kIndexesV2, dialect) + std::string(sqlite ? kSqliteRulesV2 : kPgRulesV2),
            forDialect(kOfflineAndOutputsV3, dialect) +
                std::string(sqlite ? kSqliteRulesV3 : kPgRulesV3)};
}

}  // namespace

const std::vector<std::string_view>& migrations(SqlDialect dialect) {
    static const std::vector<std::string> sqliteTexts = migrationTexts(SqlDialect::Sqlite);
    static const std::vector<std::string> pgTexts = migrationTexts(SqlDialect::Postgres);
    static const std::vector<std::string_view> sqlite(sqliteTexts.begin(), sqliteTexts.end());
    static const std::vector<std::string_view> pg(pgTexts.begin(), pgTexts.end());
    return dialect == SqlDialect::Sqlite ? sqlite : pg;
}

Result<int> schemaVersion(SqlConnection& conn) {
    const char* probe = conn.dialect() == SqlDialect::Sqlite
                            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                              "'schema_version'"
                            : "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_version'";
    auto has = conn.query(probe);
    if (!has) return has.error();
    if (has->empty() || (*has)[0][0].value_or("0") == "0") return 0;
    auto v = conn.query("SELECT coalesce(max(version), 0) FROM schema_version");
    if (!v) return v.error();
    return std::stoi((*v)[0][0].value_or("0"));
}

Result<int> migrate(SqlConnection& conn) {
    const auto& list = migrations(conn.dialect());
    Status s = conn.exec(kSchemaVersionTable);
    if (!s) return s.error();
    auto current = schemaVersion(conn);
    if (!current) return current.error();
    if (*current > static_cast<int>(list.size())) {
        Error e;
        e.message = "register schema version " + std::to_string(*current) +
                    " is newer than this lecert knows (" + std::to_string(list.size()) +
                    "); update lecert";
        return e;
    }
    for (int v = *current + 1; v <= static_cast<int>(list.size()); ++v) {
        Transaction tx(conn);
        if (Status b = tx.begin(); !b) return b.error();
        if (Status m = conn.script(list[static_cast<std::size_t>(v - 1)]); !m) {
            Error e = m.error();
            e.message = "migration " + std::to_string(v) + ": " + e.message;
            return e;
        }
        const std::string insert = "INSERT INTO schema_version (version, applied_at) VALUES (?, " +
                                   std::string(nowSql(conn.dialect())) + ")";
        if (Status r = conn.exec(insert, {std::to_string(v)}); !r) return r.error();
        if (Status c = tx.commit(); !c) return c.error();
    }
    return static_cast<int>(list.size());
}

}  // namespace lecert::reg
