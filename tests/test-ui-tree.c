/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Unit tests of the browser's model (ui/ui-tree.c, ui/ui-list.c,
 * ui/ui-view.c) on a case built by hand in a temporary file: the chain
 * of ancestors, placeholder parents, 4688 pid reuse, expanding and
 * collapsing, the selection across rebuilds, and the query plans.
 */

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"
#include "tests/check.h"
#include "ui/ui.h"

static struct db	*db;
static int64_t		 evid;
static int64_t		 nrows;

/*
 * Add a process creation (kind 'S' Sysmon 1, '4' Security 4688) or an
 * end ('E'); returns its row id, which counts up from 1 in a new case.
 */
static int64_t
add(int kind, const char *time, const char *dest, const char *pid,
    const char *ppid, const char *guid, const char *pguid, const char *name,
    const char *cmd, const char *pname)
{
	struct proc_row	r;
	char		path[256];

	memset(&r, 0, sizeof r);
	r.kind = kind == 'E' ? PROC_KIND_END : PROC_KIND_START;
	r.record_index = ++nrows + (kind == 'E' ? 100000 : 0);
	r.record_id = r.record_index;
	r.event_id = kind == 'S' ? 1 : kind == '4' ? 4688 : 5;
	r.version = -1;
	snprintf(path, sizeof path, "C:\\Windows\\System32\\%s", name);
	r.col[PROC_TIME] = (char *)time;
	r.col[PROC_DEST] = (char *)dest;
	r.col[PROC_PROCESS_ID] = (char *)pid;
	r.col[PROC_PARENT_PROCESS_ID] = (char *)ppid;
	r.col[PROC_PROCESS_GUID] = (char *)guid;
	r.col[PROC_PARENT_PROCESS_GUID] = (char *)pguid;
	r.col[PROC_PROCESS_NAME] = (char *)name;
	r.col[PROC_PROCESS_PATH] = path;
	r.col[PROC_PROCESS] = (char *)cmd;
	r.col[PROC_PARENT_PROCESS_NAME] = (char *)pname;
	db_load_row(db, evid, &r);
	if (kind == 'E') {
		nrows--;
		return (0);
	}
	return (nrows);
}

/* The index of the line tagged tag, or -1. */
static long
line_of(struct ui_tree *t, int64_t tag)
{
	size_t	i;

	for (i = 0; i < t->list.n; i++) {
		if (t->list.lines[i].tag == tag)
			return ((long)i);
	}
	return (-1);
}

static int
has(struct ui_tree *t, size_t i, const char *s)
{
	return (i < t->list.n && strstr(t->list.lines[i].text, s) != NULL);
}

static int
plan_uses_index(const char *sql, const char *index)
{
	char	*plan;
	int	 ok;

	plan = db_plan(db, sql);
	ok = plan != NULL && strstr(plan, index) != NULL &&
	    strstr(plan, "SCAN p\n") == NULL &&
	    strstr(plan, "SCAN process\n") == NULL;
	if (!ok)
		printf("#   plan: %s", plan != NULL ? plan : "(none)\n");
	free(plan);
	return (ok);
}

int
main(void)
{
	struct ui_tree		*t;
	struct ui_tree_node	*n;
	char			 path[] = "/tmp/test-ui-tree.XXXXXX";
	char			 dbpath[64], tmp[80], *cause = NULL;
	char			 out[32];
	struct buf		 b = { 0 };
	int64_t			 word, cmd, msi, dll, dll2, cmd2, other;
	int64_t			 p1, p2, x, y, z, p3, p4, w, orphan;
	int64_t			 marks[1], l1, l2;
	struct db_tree_lineage	 l;
	int			 fd;
	size_t			 before;

	if ((fd = mkstemp(path)) == -1)
		return (2);
	close(fd);
	unlink(path);
	snprintf(dbpath, sizeof dbpath, "%s.db", path);
	if (db_open(dbpath, DB_CREATE, &db, &cause) != 0) {
		printf("not ok - open case: %s\n", cause);
		return (1);
	}
	db_begin(db);
	evid = db_load_begin(db, "00", "test.evtx", 1, 0);

	/* Sysmon: explorer (not logged) > WINWORD > cmd > msiexec > ... */
	word = add('S', "2024-03-05T10:00:00.0000000Z", "WS01", "5000",
	    "4000", "{A}", "{0}", "WINWORD.EXE", "winword /n x.docm",
	    "explorer.exe");
	cmd = add('S', "2024-03-05T10:00:10.0000000Z", "WS01", "5100",
	    "5000", "{B}", "{A}", "cmd.exe", "cmd /c msiexec /y x.dll",
	    "WINWORD.EXE");
	msi = add('S', "2024-03-05T10:00:11.0000000Z", "WS01", "5200",
	    "5100", "{C}", "{B}", "msiexec.exe", "msiexec /y x.dll",
	    "cmd.exe");
	dll = add('S', "2024-03-05T10:00:12.0000000Z", "WS01", "5300",
	    "5200", "{D}", "{C}", "rundll32.exe", "rundll32 x.dll,Dll",
	    "msiexec.exe");
	dll2 = add('S', "2024-03-05T10:00:13.0000000Z", "WS01", "5301",
	    "5200", "{E}", "{C}", "regsvr32.exe",
	    "regsvr32 \x1b]0;pwned\x07 \xc3\xa9t\xc3\xa9", "msiexec.exe");
	cmd2 = add('S', "2024-03-05T10:00:14.0000000Z", "WS01", "5400",
	    "5000", "{F}", "{A}", "cmd.exe", "cmd /c dir", "WINWORD.EXE");
	other = add('S', "2024-03-05T11:00:00.0000000Z", "WS02", "5100",
	    "5000", "{G}", "{A2}", "cmd.exe", "cmd on another host",
	    "WINWORD.EXE");
	add('E', "2024-03-05T10:00:20.0000000Z", "WS01", "5300", NULL, "{D}",
	    NULL, "rundll32.exe", NULL, NULL);

	/*
	 * Security 4688 on DC01, pid 100 used twice: p1 from 10:00 to its
	 * 4689 at 10:05, then p2 from 10:10.  y (10:03) is p1's child, x
	 * (10:12) p2's, z (10:07) started when no pid 100 lived.
	 */
	p1 = add('4', "2024-03-05T10:00:00.0000000Z", "DC01", "100", "4",
	    NULL, NULL, "cmd.exe", "cmd first", "services.exe");
	add('E', "2024-03-05T10:05:00.0000000Z", "DC01", "100", NULL, NULL,
	    NULL, "cmd.exe", NULL, NULL);
	p2 = add('4', "2024-03-05T10:10:00.0000000Z", "DC01", "100", "4",
	    NULL, NULL, "powershell.exe", "powershell second",
	    "services.exe");
	y = add('4', "2024-03-05T10:03:00.0000000Z", "DC01", "200", "100",
	    NULL, NULL, "whoami.exe", "whoami", "cmd.exe");
	x = add('4', "2024-03-05T10:12:00.0000000Z", "DC01", "201", "100",
	    NULL, NULL, "msiexec.exe", "msiexec -y evil.dll",
	    "powershell.exe");
	z = add('4', "2024-03-05T10:07:00.0000000Z", "DC01", "202", "100",
	    NULL, NULL, "net.exe", "net user", "cmd.exe");
	/* Pid 300 reused without an end event between. */
	p3 = add('4', "2024-03-05T09:00:00.0000000Z", "DC01", "300", "4",
	    NULL, NULL, "a.exe", "a", "services.exe");
	p4 = add('4', "2024-03-05T09:30:00.0000000Z", "DC01", "300", "4",
	    NULL, NULL, "b.exe", "b", "services.exe");
	w = add('4', "2024-03-05T09:40:00.0000000Z", "DC01", "301", "300",
	    NULL, NULL, "c.exe", "c", "b.exe");
	/* No parent of any kind known but its pid. */
	orphan = add('4', "2024-03-05T12:00:00.0000000Z", "DC01", "400",
	    "999", NULL, NULL, "d.exe", "d", NULL);
	db_commit(db);

	t = ui_tree_create(db);

	/* The chain of ancestors and the descendants of a Sysmon hit. */
	marks[0] = msi;
	CHECK("build sysmon tree", ui_tree_build(t, msi, marks, 1) == 0);
	CHECK("root is a placeholder", t->root != NULL &&
	    t->root->placeholder && t->root->tag == -word);
	CHECK("placeholder tells what the child knows", has(t, 0,
	    "explorer.exe (4000) not in the logs"));
	CHECK("placeholder attr", t->list.lines[0].attr ==
	    UI_ATTR_PLACEHOLDER);
	CHECK("chain order", line_of(t, word) == 1 && line_of(t, cmd) == 2 &&
	    line_of(t, msi) == 3);
	CHECK("descendants below the hit", line_of(t, dll) == 4 &&
	    line_of(t, dll2) == 5);
	CHECK("siblings of ancestors not read", line_of(t, cmd2) == -1);
	CHECK("other host not linked", line_of(t, other) == -1);
	CHECK("six lines", t->list.n == 6);
	CHECK("hit is the current line", t->list.cur == 3 &&
	    t->list.tag == msi);
	CHECK("hit is marked", strncmp(t->list.lines[3].text, "* ", 2) == 0 &&
	    t->list.lines[3].attr == UI_ATTR_HIT);
	CHECK("end time shown", has(t, 4, "10:00:12Z-10:00:20Z"));
	CHECK("partial ancestor marked", has(t, 1, "[~] WINWORD.EXE"));
	CHECK("escape sequences escaped", has(t, 5, "\\x1b]0;pwned\\x07") &&
	    strchr(t->list.lines[5].text, '\x1b') == NULL);
	CHECK("UTF-8 kept", has(t, 5, "\xc3\xa9t\xc3\xa9"));
	CHECK("tree branches", has(t, 4, "|- rundll32.exe") &&
	    has(t, 5, "`- regsvr32.exe"));

	/* Expand and collapse. */
	CHECK("collapse the hit", ui_tree_collapse(t) == 1 && t->list.n == 4);
	CHECK("collapsed marker", has(t, 3, "[+] msiexec.exe"));
	CHECK("expand the hit", ui_tree_expand(t) == 1 && t->list.n == 6);
	ui_list_set(&t->list, (size_t)line_of(t, dll));
	CHECK("collapse a leaf goes to the parent",
	    ui_tree_collapse(t) == 1 && t->list.tag == msi);
	ui_list_set(&t->list, (size_t)line_of(t, word));
	before = t->list.n;
	CHECK("expand a partial ancestor reads its children",
	    ui_tree_expand(t) == 1 && t->list.n == before + 1 &&
	    line_of(t, cmd2) > line_of(t, msi));
	CHECK("chain child kept its subtree", line_of(t, dll) > 0);
	CHECK("selection stays on expanded node", t->list.tag == word);
	CHECK("toggle collapses", ui_tree_toggle(t) == 1 && t->list.n == 2);
	CHECK("toggle expands", ui_tree_toggle(t) == 1 &&
	    t->list.n == before + 1);

	/* The selection survives rebuilds and collapses. */
	ui_list_set(&t->list, (size_t)line_of(t, dll2));
	CHECK("rebuild keeps the selection",
	    ui_tree_build(t, msi, t->marks, t->nmarks) == 0 &&
	    t->list.tag == dll2 && t->list.cur == (size_t)line_of(t, dll2));
	n = ui_tree_find(t, msi);
	n->expanded = 0;
	ui_tree_flatten(t);
	CHECK("hidden selection moves to its shown ancestor",
	    t->list.tag == msi);
	n->expanded = 1;
	ui_tree_flatten(t);
	ui_list_set(&t->list, (size_t)line_of(t, cmd));
	CHECK("refocus", ui_tree_refocus(t) == 0 && t->focus == cmd &&
	    t->list.tag == cmd);
	CHECK("refocus reads the focus's children", line_of(t, cmd2) == -1 &&
	    line_of(t, msi) > 0 && line_of(t, dll) > 0);
	CHECK("refocus keeps the hit marked", ui_tree_find(t, msi) != NULL &&
	    ui_tree_find(t, msi)->hit);
	ui_list_set(&t->list, 0);
	CHECK("a placeholder cannot be the focus", ui_tree_refocus(t) == -1);

	/* 4688: pid reuse. */
	CHECK("build x", ui_tree_build(t, x, NULL, 0) == 0);
	CHECK("x's parent is the later pid 100", line_of(t, p2) == 1 &&
	    line_of(t, p1) == -1);
	CHECK("p2's parent is a placeholder with pid 4", has(t, 0,
	    "services.exe (4) not in the logs"));
	CHECK("build y", ui_tree_build(t, y, NULL, 0) == 0);
	CHECK("y's parent is the earlier pid 100", line_of(t, p1) == 1 &&
	    line_of(t, p2) == -1);
	CHECK("p1's lifetime shown", has(t, 1, "10:00:00Z-10:05:00Z"));
	CHECK("build z", ui_tree_build(t, z, NULL, 0) == 0);
	CHECK("z started when no pid 100 lived: placeholder",
	    t->root->placeholder && line_of(t, p1) == -1 &&
	    line_of(t, p2) == -1 && has(t, 0, "cmd.exe (100) not in the logs"));
	CHECK("build p1", ui_tree_build(t, p1, NULL, 0) == 0);
	CHECK("p1's children: y only", line_of(t, y) > 0 &&
	    line_of(t, x) == -1 && line_of(t, z) == -1);
	CHECK("build p2", ui_tree_build(t, p2, NULL, 0) == 0);
	CHECK("p2's children: x only", line_of(t, x) > 0 &&
	    line_of(t, y) == -1 && line_of(t, z) == -1);
	CHECK("build w", ui_tree_build(t, w, NULL, 0) == 0);
	CHECK("reuse without an end: latest earlier creation",
	    line_of(t, p4) == 1 && line_of(t, p3) == -1);
	CHECK("build p3", ui_tree_build(t, p3, NULL, 0) == 0);
	CHECK("reused pid: children end at the next creation",
	    line_of(t, w) == -1);
	CHECK("build orphan", ui_tree_build(t, orphan, NULL, 0) == 0);
	CHECK("placeholder with a pid only", has(t, 0,
	    "? (999) not in the logs") && t->list.n == 2);
	CHECK("no such row", ui_tree_build(t, 9999, NULL, 0) == -1 &&
	    t->list.n == 0);

	/* The lineage walk (db-tree.c) the tree and the HTML report share. */
	CHECK("lineage of a sysmon hit", db_tree_lineage(db, msi, 8, 8, 60,
	    &l) == 0 && l.n == 6 && l.focus == 3 && l.left_out == 0);
	CHECK("lineage: placeholder first, then the chain", l.n == 6 &&
	    l.nodes[0].proc.id == 0 && l.nodes[0].depth == 0 &&
	    l.nodes[1].proc.id == word && l.nodes[2].proc.id == cmd &&
	    l.nodes[3].proc.id == msi && l.nodes[3].depth == 3);
	CHECK("lineage: descendants one deeper", l.n == 6 &&
	    l.nodes[4].proc.id == dll && l.nodes[4].depth == 4 &&
	    l.nodes[5].proc.id == dll2 && l.nodes[5].depth == 4);
	db_tree_lineage_clear(&l);
	CHECK("lineage: at most max_up ancestors", db_tree_lineage(db, msi, 1,
	    8, 60, &l) == 0 && l.n == 4 && l.focus == 1 &&
	    l.nodes[0].proc.id == cmd && l.nodes[0].depth == 0);
	db_tree_lineage_clear(&l);
	CHECK("lineage: children past max_depth counted, not read",
	    db_tree_lineage(db, msi, 1, 1, 60, &l) == 0 && l.n == 3 &&
	    l.nodes[2].more == 2 && l.nodes[2].depth == 2 &&
	    l.nodes[2].proc.id == 0 && l.left_out == 2);
	db_tree_lineage_clear(&l);
	CHECK("lineage: nodes past max_nodes counted", db_tree_lineage(db,
	    msi, 8, 8, 5, &l) == 0 && l.n == 6 &&
	    l.nodes[4].proc.id == dll && l.nodes[5].more == 1 &&
	    l.left_out == 1);
	db_tree_lineage_clear(&l);
	CHECK("lineage: no such row", db_tree_lineage(db, 9999, 8, 8, 60,
	    &l) == -1 && l.n == 0 && l.nodes == NULL);

	/* Forged GUIDs that make each the other's parent: a loop. */
	db_begin(db);
	l1 = add('S', "2024-03-05T13:00:00.0000000Z", "LOOP", "1", "2",
	    "{L1}", "{L2}", "a.exe", "a", "b.exe");
	l2 = add('S', "2024-03-05T13:00:01.0000000Z", "LOOP", "2", "1",
	    "{L2}", "{L1}", "b.exe", "b", "a.exe");
	db_commit(db);
	CHECK("lineage: a loop stops at the repeat", db_tree_lineage(db, l1,
	    8, 8, 60, &l) == 0 && l.n == 2 && l.focus == 1 &&
	    l.nodes[0].proc.id == l2 && l.nodes[1].proc.id == l1);
	db_tree_lineage_clear(&l);
	CHECK("tree: a loop is drawn once", ui_tree_build(t, l1, NULL,
	    0) == 0 && t->list.n == 2 && line_of(t, l2) == 0 &&
	    line_of(t, l1) == 1 && !t->truncated);
	ui_tree_free(t);

	/* Lists and text. */
	if (setlocale(LC_CTYPE, "C.UTF-8") != NULL) {
		ui_list_fit(&b, "\xe6\x97\xa5\xe6\x9c\xac", 3);
		CHECK("fit cuts wide characters whole", b.data != NULL &&
		    strcmp((char *)b.data, "\xe6\x97\xa5 ") == 0);
		CHECK("width of wide characters",
		    ui_list_width("\xe6\x97\xa5\xe6\x9c\xac") == 4);
		buf_free(&b);
	}
	CHECK("shift a time", ui_list_shift("2024-03-05T23:59:30.1Z", 60,
	    out, sizeof out) == 0 && strcmp(out, "2024-03-06T00:00:30") == 0);

	/* Opening and moving never scans the process table. */
	CHECK("timeline query uses (dest, _time)", plan_uses_index(
	    "SELECT id FROM process WHERE dest IS ?1 AND _time >= ?2 AND "
	    "_time <= ?3 ORDER BY _time", "process_dest_time"));
	CHECK("end timeline query uses (dest, _time)", plan_uses_index(
	    "SELECT id FROM process_end WHERE dest IS ?1 AND _time >= ?2 "
	    "AND _time <= ?3", "process_end_dest_time"));
	CHECK("sysmon children by parent guid", plan_uses_index(
	    "SELECT p.id FROM process p JOIN evidence e ON e.id = "
	    "p.evidence_id WHERE p.parent_process_guid = ? AND +p.dest IS ? "
	    "ORDER BY p._time, p.id", "process_pguid_i"));
	CHECK("sysmon parent by guid", plan_uses_index(
	    "SELECT p.id FROM process p JOIN evidence e ON e.id = "
	    "p.evidence_id WHERE p.process_guid = ? AND +p.dest IS ? AND "
	    "p.id != ? ORDER BY p._time, p.id LIMIT 1", "process_guid_i"));
	CHECK("sysmon end by guid", plan_uses_index(
	    "SELECT min(_time) FROM process_end WHERE process_guid = ? AND "
	    "+dest IS ?", "process_end_guid"));
	CHECK("4688 children by parent pid", plan_uses_index(
	    "SELECT p.id FROM process p JOIN evidence e ON e.id = "
	    "p.evidence_id WHERE p.dest IS ? AND p.parent_process_id = ? AND "
	    "p.parent_process_guid IS NULL AND p._time >= ? AND "
	    "(? IS NULL OR p._time <= ?) AND p.id != ? ORDER BY p._time, p.id",
	    "process_ppid_i"));
	CHECK("4688 parent by pid", plan_uses_index(
	    "SELECT p.id FROM process p JOIN evidence e ON e.id = "
	    "p.evidence_id WHERE p.dest IS ? AND p.process_id = ? AND "
	    "p._time <= ? AND p.id != ? ORDER BY p._time DESC, p.id DESC "
	    "LIMIT 1", "process_pid_i"));
	CHECK("hits newest first", plan_uses_index(
	    "SELECT id FROM hit h WHERE ?1 OR h.filter_id IS NULL "
	    "ORDER BY h._time DESC, h.id", "hit_time"));

	db_close(db);
	unlink(dbpath);
	snprintf(tmp, sizeof tmp, "%s-wal", dbpath);
	unlink(tmp);
	snprintf(tmp, sizeof tmp, "%s-shm", dbpath);
	unlink(tmp);
	return (check_finish());
}
