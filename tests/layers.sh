#!/bin/sh
# The layers HACKING.md draws, as the sources include and call: the case
# is a handle outside db/, and the lineage of a process is walked once,
# in db/, for both the browser's tree and the HTML report.
. "${srcdir:-.}/tests/lib.sh" || exit 1

cd "$srcdir" || exit 2
outside=$(ls triage/*.c triage/*.h ui/*.c ui/*.h parsers/*.c parsers/*.h \
    tests/*.c tests/fuzz/*.c)
check "only db/ includes db-int.h (struct db is opaque)" \
    sh -c '! grep -l "db-int\.h" "$@"' sh $outside
# The one call outside db/ is the version evtriage -V prints.
check "only db/ calls SQLite" sh -c '! grep -n "sqlite3_" "$@" |
    grep -v "sqlite3_libversion"' sh $outside
check "the tree is built from the lineage walk" \
    grep -q db_tree_lineage ui/ui-tree.c
check "the HTML report draws the lineage walk" \
    grep -q db_tree_lineage triage/report-html.c
check "neither walks up by itself" \
    sh -c '! grep -l db_tree_parent ui/*.c triage/*.c'
finish
