#!/bin/bash
# Detection benchmark (not part of make check): a case of N process
# events (a million unless N is set: N=10000000 for ten million), then,
# in the same run, each detection's own SELECT in the sqlite3 shell and
# the whole `evtriage detect` (hits stored, filters applied, the hits
# printed to /dev/null), for the seed alone and for all five, and the
# ratio of the two; then the query plan SQLite chose for the seed.
#
#	[N=events] [ROUNDS=3] tests/bench/detect-bench.sh [BUILDDIR] [WORKDIR]
#
# The case is made by loading a generated Sysmon log of 625,000 records
# (500,247 process creations) and copying its rows (as other records of
# the same file) up to N: the detections see N real rows, and the bench
# does not spend minutes parsing.  The process indexes are dropped while
# rows are copied and made again after, which is much faster at ten
# million.  Each case is kept in WORKDIR (case-N.db) for the next run.
#
# The shell runs the SQL the runner prepares, as it prepares it: the
# detection file's text, over the runner's temp.window table and
# temp.processes view, with the runner's pragmas and its regexp() and
# ctime() (detect-sql.c, a loadable extension built here).  Times are the
# best of ROUNDS wall-clock runs of each process, query and run taken in
# turn, and the best of ROUNDS CPU times (user + system).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top}" && pwd)
work=${2:-/tmp/evtriage-bench}
N=${N:-1000000}
ROUNDS=${ROUNDS:-3}
evtriage=$build/evtriage
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work"
cd "$work" || exit 1
db=case-$N.db
# The case the bench used to make.
[ "$N" = 1000000 ] && [ -e million.db ] && [ ! -e "$db" ] &&
    mv million.db "$db"

if [ ! -e "$db" ]; then
	# From the million-event case if there is one, else from the log.
	if [ -e case-1000000.db ] && [ "$N" -gt 1000000 ]; then
		sqlite3 case-1000000.db ".backup '$db.tmp'" || exit 1
	else
		if [ ! -e base.db ]; then
			"$build/tests/evtxgen" -n 625000 -k sysmon -p 0.4 \
			    -s 11 -o d.evtx || exit 1
			"$evtriage" load -q -d base.db d.evtx
			rm -f d.evtx
		fi
		cp base.db "$db.tmp"
	fi
	idx=$(sqlite3 "$db.tmp" "SELECT sql || ';' FROM sqlite_master WHERE
	    type = 'index' AND tbl_name = 'process' AND sql IS NOT NULL")
	for i in $(sqlite3 "$db.tmp" "SELECT name FROM sqlite_master WHERE
	    type = 'index' AND tbl_name = 'process' AND sql IS NOT NULL"); do
		sqlite3 "$db.tmp" "DROP INDEX $i"
	done
	cols=$(sqlite3 "$db.tmp" "SELECT group_concat(name, ', ') FROM pragma_table_info('process') WHERE name NOT IN ('id', 'record_index')")
	k=$(sqlite3 "$db.tmp" 'SELECT max(record_index) / 10000000 + 1 FROM process')
	while [ "$(sqlite3 "$db.tmp" 'SELECT max(id) FROM process')" -lt "$N" ]; do
		sqlite3 "$db.tmp" "PRAGMA journal_mode = OFF;
		    PRAGMA synchronous = OFF;
		    INSERT INTO process (record_index, $cols)
		    SELECT record_index + $k * 10000000, $cols FROM process
		    WHERE record_index < 10000000
		    LIMIT $N - (SELECT count(*) FROM process)" > /dev/null
		k=$((k + 1))
	done
	sqlite3 "$db.tmp" "$idx" || exit 1
	mv "$db.tmp" "$db"
fi
echo "process events: $(sqlite3 "$db" 'SELECT count(*) FROM process')"

ext=$work/detect-sql
if [ ! -e "$ext.so" ] || [ "$top/tests/bench/detect-sql.c" -nt "$ext.so" ]
then
	cc -O2 -D_GNU_SOURCE -fPIC -shared -o "$ext.so" \
	    "$top/tests/bench/detect-sql.c" || exit 1
fi

# query FILE...: the shell script that runs the detections' SQL as the
# runner does (db_read_mode, db_detect_prepare_window), rows to
# /dev/null.
prelude() {
	cat <<-EOF
	.output /dev/null
	.load $ext sqlite3_detectsql_init
	PRAGMA mmap_size = 1099511627776;
	PRAGMA cache_size = -32768;
	CREATE TEMP TABLE IF NOT EXISTS window (earliest TEXT, latest TEXT);
	DELETE FROM temp.window;
	CREATE TEMP VIEW IF NOT EXISTS processes AS SELECT p.* FROM
	    main.process p WHERE p._time >= (SELECT earliest FROM temp.window)
	    AND p._time < (SELECT latest FROM temp.window);
	INSERT INTO temp.window VALUES ('', '~');
	EOF
}
query() {
	prelude
	for f in "$@"; do
		grep -v '^--' "$f"
	done
}
seed=$top/db/detections/windows_msiexec_dllregisterserver.sql
query "$seed" > q1.sql
query "$top"/db/detections/*.sql > q5.sql
if sqlite3 "$db" < q5.sql 2>&1 | grep .; then
	echo "the shell cannot run the detections' SQL" >&2
	exit 1
fi

# one CMD...: "wall cpu" of one run, seconds.
one() {
	/usr/bin/time -f "%e %U %S" -o time.out "$@" > /dev/null 2>&1
	tail -n 1 time.out | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
# pair NAME QUERYFILE DETECT-ARGS...: ROUNDS turns of query then run.
pair() {
	name=$1 qf=$2
	shift 2
	for i in $(seq "$ROUNDS"); do
		echo "q $(one sqlite3 "$db" -init /dev/null < "$qf")"
		echo "r $(one "$evtriage" detect -q -d "$db" "$@")"
	done > pair.out
	awk -v name="$name" '
	!($1 in w) || $2 < w[$1] { w[$1] = $2 }
	!($1 in c) || $3 < c[$1] { c[$1] = $3 }
	END {
		printf "%s: query %.2f s (cpu %.2f s), evtriage detect %.2f s " \
		    "(cpu %.2f s): %.2f times its query (cpu %.2f)\n", name,
		    w["q"], c["q"], w["r"], c["r"], w["r"] / w["q"],
		    c["r"] / c["q"] }' pair.out
}
pair "seed detection" q1.sql windows_msiexec_dllregisterserver
hits=$(sqlite3 "$db" "SELECT count(*) FROM hit WHERE detection = 'windows_msiexec_dllregisterserver'")
echo "    ($hits hits)"
pair "all five detections" q5.sql
hits=$(sqlite3 "$db" "SELECT count(*) FROM hit")
echo "    ($hits hits)"
echo "query plan of the seed:"
(prelude; echo ".output stdout"
    echo "EXPLAIN QUERY PLAN $(grep -v '^--' "$seed")") |
    sqlite3 "$db" | sed "s/^/    /"
