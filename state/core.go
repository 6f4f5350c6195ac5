package state

// coreMigrations own IDs 1-99: runs, listing intervals, flap-suppression
// tracks and the changes that were reported.
var coreMigrations = []migration{
	{ID: 1, Name: "runs, intervals, tracks, changes", SQL: coreSchemaV1},
	// clean_before: the last time a run saw the target clean on the list
	// before the interval began ('' = none did), so a listing's start can
	// be told from when it was first seen (investigate).
	// Intervals recorded before get what the history still shows: the
	// latest earlier interval of the same target and list that was
	// cleared (the tracks of those runs are gone).
	{ID: 2, Name: "intervals.clean_before", SQL: "ALTER TABLE intervals ADD COLUMN clean_before TEXT NOT NULL DEFAULT '';\n" + backfillCleanBefore},
}

const coreSchemaV1 = `
CREATE TABLE runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	source      TEXT    NOT NULL,            -- watch, serve
	started_at  TEXT    NOT NULL,
	finished_at TEXT    NOT NULL,
	targets     INTEGER NOT NULL,            -- addresses and domains looked up
	checks      INTEGER NOT NULL,            -- (target, list) results
	listed      INTEGER NOT NULL,
	not_listed  INTEGER NOT NULL,
	refused     INTEGER NOT NULL,
	errors      INTEGER NOT NULL,
	bogus       INTEGER NOT NULL,
	unknown     INTEGER NOT NULL,
	changes     INTEGER NOT NULL
);

-- One row per continuous listing of a target on a list, from the first run
-- that saw it listed to the first run that saw it clean. Runs that could not
-- tell (error, refused, unknown) neither extend nor close an interval.
CREATE TABLE intervals (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	target     TEXT    NOT NULL,             -- the address or domain looked up
	list       TEXT    NOT NULL,
	zone       TEXT    NOT NULL,             -- secret keys already redacted
	first_seen TEXT    NOT NULL,
	last_seen  TEXT    NOT NULL,
	cleared_at TEXT,                         -- NULL while listed
	first_run  INTEGER NOT NULL REFERENCES runs(id),
	last_run   INTEGER NOT NULL REFERENCES runs(id),
	seen_runs  INTEGER NOT NULL,             -- runs that saw it listed
	codes      TEXT    NOT NULL,             -- JSON array, distinct, in order first seen
	txt        TEXT    NOT NULL,             -- JSON array, distinct, capped
	delist_url TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX intervals_one_open ON intervals(target, list) WHERE cleared_at IS NULL;
CREATE INDEX intervals_by_target ON intervals(target, list, first_seen);

-- Flap suppression: the latest definite state of each subject and how many
-- consecutive definite runs saw it, next to the confirmed (alerted) state.
-- Indefinite runs (error, refused, unknown) neither break nor extend a
-- streak; they are timed by unknown_since.
CREATE TABLE tracks (
	subject        TEXT    NOT NULL,         -- listing, health
	target         TEXT    NOT NULL,         -- '' for list health
	list           TEXT    NOT NULL,
	observed       TEXT    NOT NULL,
	streak         INTEGER NOT NULL,
	observed_since TEXT    NOT NULL,
	confirmed      TEXT    NOT NULL,
	confirmed_at   TEXT    NOT NULL,
	unknown_since  TEXT    NOT NULL DEFAULT '', -- first of the current run of indefinite verdicts
	stale_alerted  INTEGER NOT NULL DEFAULT 0,  -- "unknown for too long" already reported
	last_run       INTEGER NOT NULL REFERENCES runs(id),
	PRIMARY KEY (subject, target, list)
) WITHOUT ROWID;

-- Every change that was reported, for the history timeline.
CREATE TABLE changes (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	run_id  INTEGER NOT NULL REFERENCES runs(id),
	at      TEXT    NOT NULL,
	subject TEXT    NOT NULL,
	target  TEXT    NOT NULL,
	list    TEXT    NOT NULL,
	from_state TEXT NOT NULL,
	to_state   TEXT NOT NULL,
	detail  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX changes_by_target ON changes(target, list, at);
`

// backfillCleanBefore dates the clean run before each interval from the
// earlier intervals of the same target and list that were cleared.
const backfillCleanBefore = `UPDATE intervals SET clean_before = COALESCE((SELECT MAX(e.cleared_at) FROM intervals e
	WHERE e.target = intervals.target AND e.list = intervals.list AND e.id <> intervals.id
	AND e.cleared_at IS NOT NULL AND e.cleared_at <= intervals.first_seen), '')
	WHERE clean_before = ''`
