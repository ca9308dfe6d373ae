-- evtriage case database schema.
--
-- The process table follows the Splunk CIM Endpoint.Processes data model:
-- its columns carry the data model's field names so that detections
-- written against Endpoint.Processes read the same here.  Every row
-- traces back to an evidence file (by SHA-256) and a record in it.
-- Times are UTC text, ISO 8601 with the event's full precision
-- (100 ns: 2024-03-05T10:00:00.1234567Z), so they sort as text.

PRAGMA user_version = 1;

CREATE TABLE IF NOT EXISTS case_info (
	key		TEXT PRIMARY KEY,
	value		TEXT
);

-- One row per distinct evidence file content (by SHA-256).
CREATE TABLE IF NOT EXISTS evidence (
	id		INTEGER PRIMARY KEY,
	sha256		TEXT NOT NULL UNIQUE,
	path		TEXT NOT NULL,		-- path as given, first seen
	size		INTEGER NOT NULL,
	mtime		TEXT,			-- file modification time, UTC
	format_version	TEXT,			-- EVTX major.minor
	dirty		INTEGER,		-- header flag 0x1
	corrupted	INTEGER,		-- libevtx_file_is_corrupted
	records		INTEGER NOT NULL DEFAULT 0,	-- allocated records read
	recovered	INTEGER NOT NULL DEFAULT 0,	-- slack-space records read
	unreadable	INTEGER NOT NULL DEFAULT 0,	-- own records not read
	-- (slack-space candidates not read are problems with recovered = 1)
	process_events	INTEGER NOT NULL DEFAULT 0,	-- rows in process
	end_events	INTEGER NOT NULL DEFAULT 0,	-- rows in process_end
	status		TEXT NOT NULL,		-- loading, done, failed, crashed, timeout, changed
	message		TEXT,			-- why not done
	loaded_at	TEXT,
	fast_records	INTEGER	-- EVTX: of records + recovered, read by the
					-- fast reader (libevtx read the rest);
					-- NULL: not EVTX, or an older case
);

-- Every path under which an evidence file was seen, and the chain of
-- containers it was reached through there (struct source's provenance:
-- a JSON array, outermost first; NULL in cases made before it).
CREATE TABLE IF NOT EXISTS evidence_path (
	evidence_id	INTEGER NOT NULL REFERENCES evidence(id),
	path		TEXT NOT NULL,
	provenance	TEXT,			-- JSON: [{"container":...}, ...]
	UNIQUE (evidence_id, path)
);

-- Records that could not be read, and warnings about a file.
CREATE TABLE IF NOT EXISTS problem (
	id		INTEGER PRIMARY KEY,
	evidence_id	INTEGER REFERENCES evidence(id),
	path		TEXT,
	kind		TEXT NOT NULL,		-- record, missing, file, unsupported
	record_index	INTEGER,		-- libevtx record index
	recovered	INTEGER,
	offset		INTEGER,		-- file offset where known
	reason		TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS problem_evidence ON problem (evidence_id);

-- Process creations: Sysmon 1, Security 4688 (Endpoint.Processes).
CREATE TABLE IF NOT EXISTS process (
	id		INTEGER PRIMARY KEY,
	evidence_id	INTEGER NOT NULL REFERENCES evidence(id),
	record_index	INTEGER NOT NULL,	-- libevtx record index
	record_id	INTEGER,		-- EventRecordID
	recovered	INTEGER NOT NULL DEFAULT 0,
	_time		TEXT NOT NULL,		-- System/TimeCreated, UTC
	dest		TEXT,			-- System/Computer
	user		TEXT,			-- DOMAIN\name
	user_id		TEXT,			-- SID
	logon_id	TEXT,
	process		TEXT,			-- full command line
	process_name	TEXT,			-- file name of process_path
	process_path	TEXT,			-- Image, NewProcessName
	process_exec	TEXT,			-- same as process_name
	process_id	INTEGER,		-- decimal
	process_guid	TEXT,			-- Sysmon ProcessGuid
	process_current_directory TEXT,
	process_integrity_level TEXT,
	process_hash	TEXT,			-- Sysmon Hashes
	original_file_name TEXT,		-- Sysmon OriginalFileName
	parent_process	TEXT,			-- ParentCommandLine
	parent_process_name TEXT,
	parent_process_path TEXT,		-- ParentImage, ParentProcessName
	parent_process_id INTEGER,
	parent_process_guid TEXT,
	vendor_product	TEXT,			-- Microsoft Sysmon, Microsoft Windows
	provider	TEXT,
	channel		TEXT,
	event_id	INTEGER NOT NULL,	-- 1 or 4688
	event_version	INTEGER,
	fields		TEXT,			-- all EventData as JSON
	reader		TEXT,			-- what decoded the record:
						-- evtx-fast, libevtx, xml, fdr
	UNIQUE (evidence_id, recovered, record_index)
);
CREATE INDEX IF NOT EXISTS process_time ON process (_time);
CREATE INDEX IF NOT EXISTS process_name_i ON process (process_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS process_ofn_i ON process (original_file_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS process_pname_i ON process (parent_process_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS process_guid_i ON process (process_guid);
CREATE INDEX IF NOT EXISTS process_pguid_i ON process (parent_process_guid);
CREATE INDEX IF NOT EXISTS process_pid_i ON process (dest, process_id, _time);
CREATE INDEX IF NOT EXISTS process_ppid_i ON process (dest, parent_process_id, _time);
-- The browser's timeline: a host's events in a time window.
CREATE INDEX IF NOT EXISTS process_dest_time ON process (dest, _time);

-- Process terminations: Sysmon 5, Security 4689.
CREATE TABLE IF NOT EXISTS process_end (
	id		INTEGER PRIMARY KEY,
	evidence_id	INTEGER NOT NULL REFERENCES evidence(id),
	record_index	INTEGER NOT NULL,
	record_id	INTEGER,
	recovered	INTEGER NOT NULL DEFAULT 0,
	_time		TEXT NOT NULL,
	dest		TEXT,
	user		TEXT,
	process_path	TEXT,
	process_name	TEXT,
	process_id	INTEGER,
	process_guid	TEXT,
	event_id	INTEGER NOT NULL,	-- 5 or 4689
	fields		TEXT,
	reader		TEXT,
	UNIQUE (evidence_id, recovered, record_index)
);
CREATE INDEX IF NOT EXISTS process_end_guid ON process_end (process_guid);
CREATE INDEX IF NOT EXISTS process_end_pid ON process_end (dest, process_id, _time);
CREATE INDEX IF NOT EXISTS process_end_dest_time ON process_end (dest, _time);

-- False-positive filters: the detection's _filter macro as rows.  A
-- condition is a wildcard pattern (* any run, ignoring case) on one of the
-- detection's output fields; a filter matches a hit when every one of its
-- conditions does.
CREATE TABLE IF NOT EXISTS filter (
	id		INTEGER PRIMARY KEY,
	detection	TEXT NOT NULL,
	reason		TEXT NOT NULL,
	added_by	TEXT,
	added_at	TEXT NOT NULL,
	expires		TEXT			-- UTC; NULL never
);
CREATE TABLE IF NOT EXISTS filter_cond (
	filter_id	INTEGER NOT NULL REFERENCES filter(id) ON DELETE CASCADE,
	field		TEXT NOT NULL,
	pattern		TEXT NOT NULL
);

-- Detection results, kept so that browse and report need not rerun.
CREATE TABLE IF NOT EXISTS hit (
	id		INTEGER PRIMARY KEY,
	detection	TEXT NOT NULL,		-- detection name
	seq		INTEGER NOT NULL,	-- row number in output order
	dest		TEXT,
	user		TEXT,
	_time		TEXT,			-- firstTime, ISO
	risk_score	INTEGER,
	risk_message	TEXT,
	mitre		TEXT,			-- technique ids, comma separated
	output		TEXT NOT NULL,		-- output row as JSON object
	filter_id	INTEGER,		-- suppressing filter, if any
	filter_reason	TEXT,
	match_output	TEXT			-- output as filters match it:
						-- ctime columns in UTC
);
-- The browser lists hits newest or riskiest first.
CREATE INDEX IF NOT EXISTS hit_time ON hit (_time);
CREATE INDEX IF NOT EXISTS hit_risk ON hit (risk_score, _time);
CREATE TABLE IF NOT EXISTS hit_row (
	hit_id		INTEGER NOT NULL REFERENCES hit(id) ON DELETE CASCADE,
	row_id		INTEGER NOT NULL REFERENCES process(id)
);
CREATE INDEX IF NOT EXISTS hit_row_hit ON hit_row (hit_id);
CREATE INDEX IF NOT EXISTS hit_row_row ON hit_row (row_id);

-- The detections as they were when last run: metadata and SQL, so that a
-- report shows what ran even where the detection files have changed.
CREATE TABLE IF NOT EXISTS detection (
	name		TEXT PRIMARY KEY,
	title		TEXT,
	path		TEXT,
	meta		TEXT,			-- all metadata as JSON
	sql		TEXT,
	ran_at		TEXT,
	hits		INTEGER,
	filtered	INTEGER
);

-- Each detection's last run: its time window as given (-E, -L) and as
-- resolved (ISO UTC; NULL for no bound), the zone of its ctime columns,
-- and whether it ran (done) or its SQL failed (failed, with the error).
CREATE TABLE IF NOT EXISTS detection_run (
	name		TEXT PRIMARY KEY,
	earliest_given	TEXT,
	latest_given	TEXT,
	earliest	TEXT,
	latest		TEXT,
	tz		TEXT NOT NULL,		-- tz database name, or UTC
	status		TEXT NOT NULL,		-- done, failed
	error		TEXT,
	ran_at		TEXT NOT NULL
);
