#!/bin/sh
# The case is evtriage's alone and readable anywhere: a file that is not
# a case is never written to, the case is not written inside the evidence
# unless -d asks for it (and is then not read as evidence), a case on
# read-only storage is read as it is, and a command that wrote leaves the
# case in its one file.
. "${srcdir:-.}/tests/lib.sh" || exit 1

command -v sqlite3 > /dev/null || skip_all "no sqlite3"
cp -R "$srcdir/samples/evidence" "$T/evidence"
cd "$T" || exit 2

# A SQLite database of someone else's, and a file that is no database.
sqlite3 foreign.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
printf 'not a database\n' > text.db
sum0=$(sha256sum foreign.db text.db)
for c in "scan -n -d foreign.db evidence" "load -d foreign.db evidence" \
    "detect -d foreign.db" "filter -d foreign.db add -D d -R r" \
    "filter -d foreign.db import $srcdir/samples/filters.csv" \
    "filter -d foreign.db rm 1" "merge -d foreign.db text.db" \
    "browse -d foreign.db" "scan -n -d text.db evidence" \
    "load -d text.db evidence" "detect -d text.db" "merge -d text.db x.db"
do
	"$EVTRIAGE" $c < /dev/null > out.txt 2> err.txt
	check_eq "'$c' exits 2" 2 $?
	check "'$c' says it is not an evtriage case" \
	    grep -q "is not an evtriage case\|but not an evtriage case" err.txt
done
check_eq "nothing was written to the foreign files" "$sum0" \
    "$(sha256sum foreign.db text.db)"
check "no -wal beside the foreign database" test ! -e foreign.db-wal
check "merge did not create its missing input x.db" test ! -e x.db

"$EVTRIAGE" load -q -d good.db evidence
sum0=$(sha256sum foreign.db)
"$EVTRIAGE" merge -q -d m.db good.db foreign.db missing.db 2> err.txt
check_eq "merge with inputs that are not cases exits 1" 1 $?
check_eq "merge names the foreign input" 1 \
    "$(grep -c "'foreign.db' is a SQLite database but not an evtriage case" \
    err.txt)"
check_eq "the foreign input is unchanged" "$sum0" "$(sha256sum foreign.db)"
check "the missing input was not created" test ! -e missing.db
check_eq "the good input was merged" 3 \
    "$(sqlite3 m.db 'SELECT count(*) FROM evidence')"

# Inside the evidence.
cp -R evidence ev2
(cd ev2 && "$EVTRIAGE" load -q . 2> ../err.txt)
check_eq "the default case inside the evidence is refused" 2 $?
check "the refusal says to use -d" grep -q "name it with -d" err.txt
check "no case was created inside the evidence" test ! -e ev2/evtriage.db
"$EVTRIAGE" scan -q -n -o ev2/out ev2 2> err.txt
check_eq "-o inside the evidence is refused" 2 $?
check "-o was not created" test ! -e ev2/out
"$EVTRIAGE" scan -q -n -o ev2/SRV02 ev2/SRV02 2> err.txt
check_eq "-o the evidence folder itself is refused" 2 $?
check "no case in the evidence folder" test ! -e ev2/SRV02/evtriage.db
"$EVTRIAGE" load -v -d ev2/inside.db ev2 > out.txt 2> err.txt
check_eq "an explicit -d inside the evidence is allowed" 0 $?
"$EVTRIAGE" load -v -d ev2/inside.db ev2 > out.txt 2> err.txt
check_eq "and a second run too" 0 $?
check_eq "the walk skips the case and its -wal and -shm" \
    "ev2/inside.db ev2/inside.db-shm ev2/inside.db-wal" \
    "$(sed -n "s/^evtriage: skipped '\(.*\)': the case being written.*/\1/p" \
    err.txt | sort | tr '\n' ' ' | sed 's/ $//')"
check "the case files are not counted as skipped evidence" \
    grep -q "not EVTX, 1 skipped, 0 unreadable$" err.txt
check_eq "the case is not evidence in itself" 0 \
    "$(sqlite3 ev2/inside.db "SELECT count(*) FROM evidence_path WHERE path LIKE '%inside%'")"
touch ev2/inside.db-journal
"$EVTRIAGE" load -v -d ev2/inside.db ev2 > out.txt 2> err.txt
check "the walk skips the case's -journal too" \
    grep -q "skipped 'ev2/inside.db-journal': the case" err.txt
rm -f ev2/inside.db-journal

# A command that wrote leaves everything in the .db, even while another
# connection (a browser, a colleague's sqlite3) keeps the -wal alive.
/usr/bin/python3 -c '
import sqlite3, sys, time
c = sqlite3.connect("held.db")
c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE IF NOT EXISTS x (y)")
c.commit()
open("held.ready", "w").close()
time.sleep(30)
' > /dev/null 2>&1 &
pypid=$!
n=0
while [ ! -e held.ready ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
sqlite3 held.db "DROP TABLE x"
"$EVTRIAGE" load -q -d held.db evidence
mkdir copy && cp held.db copy/
check_eq "a copy of the .db alone holds all that was loaded" 3 \
    "$(sqlite3 copy/held.db 'SELECT count(*) FROM evidence')"
check "the -wal is empty (checkpoint TRUNCATE)" test ! -s held.db-wal
kill "$pypid" 2> /dev/null
wait "$pypid" 2> /dev/null

# Read-only storage: a folder and file another user cannot write.
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	NOBODY=
fi
"$EVTRIAGE" detect -q -d good.db > /dev/null	# hits, for the browser
mkdir ro && cp good.db ro/case.db && chmod 444 ro/case.db &&
    chmod 555 ro && chmod 755 "$T"
ro_checks() {
	_w=$1; shift
	for c in "evidence -d ro/case.db" "report -f csv -d ro/case.db" \
	    "tree -d ro/case.db -p 1" "filter -d ro/case.db list"; do
		"$@" "$EVTRIAGE" $c > out.txt 2> err.txt
		check_eq "$_w: '$c' reads the case" 0 $?
	done
	"$@" "$EVTRIAGE" evidence -d ro/case.db > out.txt
	check_file "$_w: evidence lists what a writable copy does" \
	    good.txt out.txt
	for c in "load -d ro/case.db evidence" "detect -d ro/case.db" \
	    "filter -d ro/case.db add -D d -R r" "merge -d ro/case.db good.db"
	do
		"$@" "$EVTRIAGE" $c > out.txt 2> err.txt
		check_eq "$_w: '$c' exits 2" 2 $?
		check "$_w: '$c' says the case is read-only and what to do" \
		    grep -q "cannot write to case 'ro/case.db': .* is read-only.*copy it to a writable folder" err.txt
		check "$_w: '$c' does not call it not a case" \
		    not_grep "not an evtriage case" err.txt
	done
	check_eq "$_w: nothing was created beside the case" "case.db" \
	    "$(ls ro | tr '\n' ' ' | sed 's/ $//')"
}
not_grep() { ! grep -q "$@"; }
"$EVTRIAGE" evidence -d good.db > good.txt
if [ -n "$NOBODY" ]; then
	ro_checks "as another user" $NOBODY
else
	ro_checks "read-only folder"
fi
chmod 755 ro
if [ "$(id -u)" = 0 ] && chattr +i ro/case.db ro 2> /dev/null; then
	ro_checks "chattr +i"
	chattr -i ro ro/case.db
else
	echo "# skipped the chattr +i checks: not root or not supported"
fi
# A read-only mount, the case file itself writable: the folder bound
# onto itself read-only, in a mount namespace of the command's own.
ro_mount() {
	unshare -m sh -c 'mount --bind ro ro && mount -o remount,ro,bind ro &&
	    exec "$@"' sh "$@"
}
chmod 644 ro/case.db
if [ "$(id -u)" = 0 ] && ro_mount sh -c '! touch ro/x' 2> /dev/null &&
    [ ! -e ro/x ]; then
	ro_checks "read-only mount" ro_mount
	ro_mount "$EVTRIAGE" load -d ro/case.db evidence > /dev/null 2> err.txt
	check "read-only mount: the message says why" \
	    grep -q "is read-only (Read-only file system)" err.txt
else
	echo "# skipped the read-only mount checks: not root or no unshare -m"
fi

# A case whose changes are still in its -wal, on read-only storage.
if [ -n "$NOBODY" ]; then
	mkdir live && cp good.db live/case.db
	/usr/bin/python3 -c '
import sqlite3, shutil
c = sqlite3.connect("live/case.db")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("INSERT INTO case_info VALUES (?, ?)", ("note", "in the wal"))
c.commit()
shutil.copy("live/case.db", "live2.db")
shutil.copy("live/case.db-wal", "live2.db-wal")
'
	mkdir rowal && mv live2.db live2.db-wal rowal/ && chmod 555 rowal
	$NOBODY "$EVTRIAGE" evidence -d rowal/live2.db > out.txt 2> err.txt
	check_eq "a live -wal on read-only storage: exits 2" 2 $?
	check "the message names the -wal and says to copy both files" \
	    grep -q "rowal/live2.db-wal.*copy both files" err.txt
	check "and does not call it not a case" \
	    not_grep "not an evtriage case" err.txt
	chmod 755 rowal
fi
# The browser: a read-only case is browsed as it is, and closing the
# browser leaves the case in its one file even when another connection
# keeps the -wal alive.
if command -v tmux > /dev/null 2>&1; then
	TM="tmux -L evtriage-case-$$ -f /dev/null"
	trap '$TM kill-server > /dev/null 2>&1; chattr -i "$T/ro" "$T/ro/case.db" 2> /dev/null; rm -rf "$T"' EXIT
	wait_for() {
		_i=0
		while [ $_i -lt 100 ]; do
			$TM capture-pane -p -t t 2> /dev/null |
			    grep -qF -- "$1" && return 0
			sleep 0.05
			_i=$((_i + 1))
		done
		$TM capture-pane -p -t t 2> /dev/null | sed 's/^/#   | /'
		return 1
	}
	browse() {
		$TM new-session -d -s t -x 80 -y 24 \
		    "cd '$T' && $1 '$EVTRIAGE' browse -d $2; echo EXITED \$?; sleep 30"
	}
	if [ -n "$NOBODY" ]; then
		chmod 555 ro
		browse "$NOBODY" ro/case.db
		check "browse opens a case another user cannot write" \
		    wait_for "Hits"
		$TM send-keys -t t f
		check "and says it is read-only when asked to write" \
		    wait_for "read-only"
		$TM send-keys -t t Q
		check "browse of a read-only case exits 0" wait_for "EXITED 0"
		$TM kill-session -t t
		check_eq "nothing was created beside it" "case.db" \
		    "$(ls ro | tr '\n' ' ' | sed 's/ $//')"
		chmod 755 ro
	fi
	cp good.db held2.db
	/usr/bin/python3 -c '
import sqlite3, time
c = sqlite3.connect("held2.db")
c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("INSERT INTO case_info VALUES (?, ?)", ("note", "held"))
c.commit()
open("held2.ready", "w").close()
time.sleep(30)
' > /dev/null 2>&1 &
	pypid=$!
	n=0
	while [ ! -e held2.ready ] && [ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1))
	done
	check "another connection left changes in the -wal" test -s held2.db-wal
	browse "" held2.db
	wait_for "Hits" > /dev/null
	$TM send-keys -t t Q
	check "browse exits 0" wait_for "EXITED 0"
	$TM kill-session -t t
	check "closing the browser empties the -wal" test ! -s held2.db-wal
	mkdir copy2 && cp held2.db copy2/
	check_eq "the .db alone has everything" held \
	    "$(sqlite3 copy2/held2.db "SELECT value FROM case_info WHERE key = 'note'")"
	kill "$pypid" 2> /dev/null
	wait "$pypid" 2> /dev/null
else
	echo "# skipped the browser checks: no tmux"
fi
finish
