/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The help view: the keys, from the key table itself, then the mouse and
 * the prompt.  It is built once; the place in it is kept from one visit
 * to the next.
 */

#include <stdlib.h>

#include "xmalloc.h"
#include "ui/ui.h"

void
ui_help_build(struct ui *ui)
{
	struct ui_list			*l = &ui->lists[UI_HELP];
	const struct ui_keys_entry	*e;

	if (l->n != 0)
		return;
	ui_list_add(l, UI_ATTR_HEADING, 0, "Keys");
	for (e = ui_keys_table; e->action != NULL; e++) {
		if (e->name != NULL)
			ui_list_addf(l, UI_ATTR_NORMAL, 0, "  %-12s %s",
			    e->name, e->help);
	}
	ui_list_add(l, UI_ATTR_HEADING, 0, "Mouse");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  click        select a line or "
	    "a view in the tab bar");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  double-click open, as Enter");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  wheel        scroll");
	ui_list_add(l, UI_ATTR_HEADING, 0, "Prompt");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  Enter accepts, Escape or C-g "
	    "cancels, Backspace deletes");
	ui_list_set(l, 0);
}
