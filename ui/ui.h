/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The ncurses browser.  ui-list.c and ui-tree.c are the model and know
 * nothing of curses: they turn db rows into lines of escaped text with a
 * current line and an offset.  Each view has a file (ui-hits.c,
 * ui-tree-view.c, ui-details.c, ui-timeline.c, ui-evidence.c,
 * ui-search.c, ui-help.c, and ui-filter.c for the false-positive
 * checklist) with its lines, its
 * header and hint, and its actions; ui-view.c holds the table of views.
 * Actions change state and return flags; ui.c's loop alone rebuilds and
 * has ui-draw.c draw.  ui-keys.c is the one table of keys.
 */

#ifndef UI_H
#define UI_H

#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/*
 * What an action asks of ui.c's loop, the one place that rebuilds: the
 * hits, the current view, the checklist, then the selection, in that
 * order; then it draws.  Any flag but UI_QUIT redraws.
 */
#define UI_REDRAW		0x1
#define UI_REBUILD		0x2	/* the current view's lines */
#define UI_QUIT			0x4
#define UI_REBUILD_HITS		0x8	/* the hits or their order changed,
					   whatever the view */
#define UI_REBUILD_FIELDS	0x10	/* the false-positive checklist */
#define UI_SELECT		0x20	/* follow the current line once
					   rebuilt */
#define UI_CLEAR		0x40	/* redraw the whole terminal */

/* How a line is shown; ui-draw.c maps these to colours or attributes. */
enum ui_attr {
	UI_ATTR_NORMAL,
	UI_ATTR_HEADING,
	UI_ATTR_HIT,		/* the process a hit is about */
	UI_ATTR_FILTERED,	/* a hit a filter suppresses */
	UI_ATTR_PLACEHOLDER,	/* a parent not in the logs */
	UI_ATTR_DIM,
	UI_ATTR_WARN
};

/* One line of a view.  text is escaped: safe to send to a terminal. */
struct ui_line {
	char		*text;
	enum ui_attr	 attr;
	int64_t		 tag;		/* stable id: hit.id, process.id... */
};

/* A list of lines with a current line and the first line shown. */
struct ui_list {
	struct ui_line	*lines;		/* owns the lines and their text */
	size_t		 n;
	size_t		 cur;
	size_t		 off;
	int64_t		 tag;		/* the current line's tag */
};

/* ui-list.c */
void	ui_list_clear(struct ui_list *);
void	ui_list_add(struct ui_list *, enum ui_attr, int64_t, const char *);
void	ui_list_addf(struct ui_list *, enum ui_attr, int64_t, const char *,
	    ...) __attribute__((format(printf, 4, 5)));
void	ui_list_add_wrapped(struct ui_list *, enum ui_attr, int64_t,
	    const char *, const char *, int);
void	ui_list_restore(struct ui_list *);
void	ui_list_set(struct ui_list *, size_t);
void	ui_list_move(struct ui_list *, long);
void	ui_list_scroll(struct ui_list *, int);
int	ui_list_find(struct ui_list *, const char *, int);
int	ui_list_width(const char *);
void	ui_list_fit(struct buf *, const char *, int);
char	*ui_list_escape(const char *);
#define UI_TIME_CLOCK	0	/* 10:00:11Z */
#define UI_TIME_DATE	1	/* 2024-03-05 10:00:11Z */
#define UI_TIME_SHORT	2	/* 03-05 10:00:11Z, the year if needed */
#define UI_TIME_DAY	3	/* 2024-03-05 */
#define UI_TIME_MILLI	4	/* 10:00:11.123 */
#define UI_TIME_EXACT	5	/* 2024-03-05T10:00:11.1234567Z */
void	ui_list_set_time(int, int);
const char *ui_list_zone(void);
char	*ui_list_time(const char *, int);
int	ui_list_shift(const char *, int, char *, size_t);

/* ui-tree.c */
struct ui_tree_node {
	struct db_proc		  proc;		/* owns its strings */
	int64_t			  tag;		/* proc.id; -(child's id) for a
						   placeholder */
	int			  placeholder;	/* parent not in the logs */
	int			  hit;		/* a row behind the hit */
	int			  expanded;
	int			  loaded;	/* all children read */
	struct ui_tree_node	 *parent;
	struct ui_tree_node	**children;	/* owns them */
	size_t			  nchildren;
};
struct ui_tree {
	struct db		 *db;
	struct ui_tree_node	 *root;		/* owns every node */
	int64_t			  focus;	/* process.id at the centre */
	int64_t			 *marks;	/* process.ids to highlight */
	size_t			  nmarks;
	size_t			  nodes;
	int			  truncated;	/* stopped at UI_TREE_MAX */
	struct ui_list		  list;		/* flattened expanded nodes */
	struct ui_tree_node	**visible;	/* borrowed; one per line */
};
#define UI_TREE_MAX	5000	/* nodes read for descendants at most */
struct ui_tree *ui_tree_create(struct db *);
void	ui_tree_free(struct ui_tree *);
int	ui_tree_build(struct ui_tree *, int64_t, const int64_t *, size_t);
void	ui_tree_flatten(struct ui_tree *);
struct ui_tree_node *ui_tree_current(struct ui_tree *);
struct ui_tree_node *ui_tree_find(struct ui_tree *, int64_t);
int	ui_tree_expand(struct ui_tree *);
int	ui_tree_collapse(struct ui_tree *);
int	ui_tree_toggle(struct ui_tree *);
int	ui_tree_expand_all(struct ui_tree *);
int	ui_tree_refocus(struct ui_tree *);
void	ui_tree_print(struct ui_tree *, FILE *);

/* ui-view.c */
enum ui_view {
	UI_HITS,
	UI_TREE,
	UI_DETAILS,
	UI_TIMELINE,
	UI_EVIDENCE,
	UI_HOSTS,
	UI_SEARCH,
	UI_HELP,
	UI_NVIEWS
};
enum ui_prompt {
	UI_PROMPT_NONE,
	UI_PROMPT_SEARCH,
	UI_PROMPT_FIELDS,	/* false positive: the fields checklist */
	UI_PROMPT_REASON,
	UI_PROMPT_UNFILTER,	/* remove the selected hit's filter? y/n */
	UI_PROMPT_EVENTS,	/* S: search every process event */
	UI_PROMPT_TIME,		/* T: the timeline goes to a time */
	UI_PROMPT_HOST,		/* C: the timeline of another host */
	UI_PROMPT_SWINDOW,	/* T in the search view: its window */
	UI_PROMPT_SHOST		/* C in the search view: its host */
};
struct ui {
	struct db		 *db;
	int			  readonly;	/* case opened read-only */
	enum ui_view		  view;
	enum ui_view		  back[32];	/* views q returns to */
	int			  nback;
	struct ui_list		  lists[UI_NVIEWS];	/* not UI_TREE's */
	struct ui_tree		 *tree;
	int64_t			  tree_hit;	/* what the tree was built for */
	int64_t			  tree_row;
	int64_t			  tree_next;	/* process.id the next tree
						   build centres on, 0 none */
	struct db_hit	 *hits;
	size_t			  nhits;
	int			  order;	/* DB_HIT_NEWEST, _RISKIEST */
	int			  show_filtered;
	int64_t			  hit;		/* selected hit.id, 0 none */
	int64_t			  proc;		/* selected process.id */
	int64_t			  centre;	/* the timeline's process.id */
	int			  window;	/* timeline: seconds either side */
	char			 *timeline;	/* its header */
	char			 *tl_dest;	/* its host */
	char			 *tl_time;	/* its centre, ISO UTC */
	char			 *tl_last;	/* the last event shown when
						   there were more, or NULL */
	int			  width;	/* screen size */
	int			  height;
	char			 *search;
	char			 *events;	/* S's pattern, NULL none */
	char			 *found;	/* the search view's header */
	char			 *s_dest;	/* its host, NULL all */
	char			 *s_from;	/* its window, ISO UTC; */
	char			 *s_to;		/* NULL: unbounded */
	char			 *status;	/* message for the status line */
	enum ui_prompt		  prompt;
	char			 *input;	/* the prompt's text, UTF-8 */
	struct db_pairs	  fp;		/* the hit's values, UTC */
	int			 *fpon;		/* fields checked, one per fp */
	struct ui_list		  fplist;	/* the checklist's lines */
	int64_t			  fpfilter;	/* the filter to remove */
	int			  tabx[UI_NVIEWS + 1];	/* tab bar columns,
							   set by ui-draw */
};
/* A view: its lines, what follows its current line, its text. */
struct ui_view_entry {
	const char	 *name;		/* in the tab bar */
	const char	 *title;	/* the header if header is NULL */
	const char	 *hint;		/* status line when there is none */
	void		(*build)(struct ui *);
	void		(*select)(struct ui *);	/* NULL: selects nothing */
	char		*(*header)(struct ui *);
	int		(*enter)(struct ui *, int);	/* NULL: does nothing */
};
extern const struct ui_view_entry ui_view_table[UI_NVIEWS];
extern const struct ui_view_entry ui_view_fields;
struct ui *ui_view_create(struct db *, int);
void	ui_view_free(struct ui *);
struct ui_list *ui_view_list(struct ui *);
void	ui_view_build(struct ui *, enum ui_view);
void	ui_view_select(struct ui *);
int	ui_view_go(struct ui *, enum ui_view);
int	ui_view_open(struct ui *, enum ui_view);
int	ui_view_back(struct ui *);
char	*ui_view_header(struct ui *);
void	ui_view_status(struct ui *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* ui-hits.c */
void	ui_hits_build(struct ui *);
void	ui_hits_select(struct ui *);
char	*ui_hits_header(struct ui *);
int	ui_hits_enter(struct ui *, int);
struct db_hit *ui_hits_find(struct ui *, int64_t);
int	ui_hits_sort(struct ui *, int);
int	ui_hits_filtered(struct ui *, int);
int	ui_hits_export(struct ui *, int);

/* ui-tree-view.c */
#define UI_TREE_VIEW_EXPAND	0
#define UI_TREE_VIEW_COLLAPSE	1
#define UI_TREE_VIEW_TOGGLE	2
#define UI_TREE_VIEW_ALL	3	/* expand everything below */
#define UI_TREE_VIEW_FOCUS	4
void	ui_tree_view_build(struct ui *);
void	ui_tree_view_select(struct ui *);
char	*ui_tree_view_header(struct ui *);
int	ui_tree_view_enter(struct ui *, int);
int	ui_tree_view_key(struct ui *, int);
int	ui_tree_view_text(struct db *, int64_t, int64_t, FILE *, char **);

/* ui-details.c */
void	ui_details_build(struct ui *);

/* ui-timeline.c */
void	ui_timeline_build(struct ui *);
void	ui_timeline_select(struct ui *);
char	*ui_timeline_header(struct ui *);
int	ui_timeline_enter(struct ui *, int);
int	ui_timeline_open(struct ui *, int);
int	ui_timeline_window(struct ui *, int);
int	ui_timeline_page(struct ui *, int);
int	ui_timeline_ask(struct ui *, int);
int	ui_timeline_go(struct ui *);

/* ui-evidence.c */
void	ui_evidence_build(struct ui *);

/* ui-hosts.c */
void	ui_hosts_build(struct ui *);
char	*ui_hosts_header(struct ui *);
int	ui_hosts_enter(struct ui *, int);
/* ui-search.c */
void	ui_search_build(struct ui *);
void	ui_search_select(struct ui *);
char	*ui_search_header(struct ui *);
int	ui_search_enter(struct ui *, int);
int	ui_search_begin(struct ui *, int);
int	ui_search_done(struct ui *);
int	ui_search_ask(struct ui *, int);
int	ui_search_set(struct ui *);

/* ui-help.c */
void	ui_help_build(struct ui *);

/* ui-filter.c */
void	ui_filter_build(struct ui *);
int	ui_filter_begin(struct ui *, int);
int	ui_filter_key(struct ui *, int, int);
int	ui_filter_reason(struct ui *);
void	ui_filter_end(struct ui *);

/* ui-keys.c */
struct ui_keys_entry {
	int		 key;
	const char	*name;		/* as help shows it */
	const char	*help;
	int		(*action)(struct ui *, int);
	int		 arg;		/* the action's second argument */
};
extern const struct ui_keys_entry ui_keys_table[];
int	ui_keys_dispatch(struct ui *, int);
#define UI_KEYS_CLICK	1
#define UI_KEYS_DOUBLE	2
#define UI_KEYS_WHEEL_UP 4
#define UI_KEYS_WHEEL_DOWN 5
int	ui_keys_mouse(struct ui *, int, int, int);
int	ui_keys_prompt(struct ui *, int, int);

/* ui-draw.c */
void	ui_draw_init(void);
void	ui_draw(struct ui *, int);

/* ui.c */
#define UI_SHOW_FILTERED	0x1
#define UI_READONLY		0x2
int	ui_run(struct db *, int, char **);

#endif
