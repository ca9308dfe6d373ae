/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The folder container: walk the operands recursively and make a source
 * of every regular file a reader reads (one that starts with the EVTX
 * signature, whatever its name); report the others, and what they are
 * (evidence-identify.c).
 * Symbolic links below an operand are not followed (they may leave the
 * evidence or loop); directories are remembered by device and inode so
 * that a bind mount cannot loop either.  Files are only ever opened
 * read-only, without O_NOATIME only where it is refused.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define EVIDENCE_WALK_DEPTH 64

struct evidence_walk_dir {
	dev_t	dev;
	ino_t	ino;
};

struct evidence_walk_state {
	struct evidence_list	*list;
	evidence_walk_cb	 cb;
	void			*arg;
	struct evidence_walk_dir *dirs;
	size_t			 ndirs;
};

/*
 * Where the walk is (evidence_walk_where), for the progress hook: the
 * strings are copies, since the containers free theirs as they go.
 */
void				(*evidence_walk_progress)(
				    const struct evidence_walk_where *);
static struct evidence_walk_where evidence_walk_at;
static struct evidence_list	*evidence_walk_at_list;
static char			*evidence_walk_at_desc;
static char			*evidence_walk_at_fstype;

/*
 * The case being written, when it lies inside the evidence (scan -d):
 * its folder and file name.  The walk skips it and its -wal, -shm and
 * -journal, which come and go while it runs.
 */
static struct {
	int	 set;
	dev_t	 dev;
	ino_t	 ino;
	char	*name;
} evidence_walk_case;

/* Never read the case at path (which must exist) as evidence. */
void
evidence_walk_skip_case(const char *path)
{
	struct stat	 sb;
	char		*copy;

	copy = xstrdup(path);
	if (stat(dirname(copy), &sb) == 0) {
		free(evidence_walk_case.name);
		free(copy);
		copy = xstrdup(path);
		evidence_walk_case.name = xstrdup(basename(copy));
		evidence_walk_case.dev = sb.st_dev;
		evidence_walk_case.ino = sb.st_ino;
		evidence_walk_case.set = 1;
	}
	free(copy);
}

static int
evidence_walk_is_case(const char *path)
{
	static const char	*sides[] = { "", "-wal", "-shm", "-journal" };
	struct stat		 sb;
	const char		*name;
	char			*copy;
	size_t			 i, len;
	int			 r = 0;

	if (!evidence_walk_case.set)
		return (0);
	name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	len = strlen(evidence_walk_case.name);
	if (strncmp(name, evidence_walk_case.name, len) != 0)
		return (0);
	for (i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		if (strcmp(name + len, sides[i]) == 0)
			break;
	}
	if (i == sizeof sides / sizeof sides[0])
		return (0);
	copy = xstrdup(path);
	if (stat(dirname(copy), &sb) == 0 &&
	    sb.st_dev == evidence_walk_case.dev &&
	    sb.st_ino == evidence_walk_case.ino)
		r = 1;
	free(copy);
	return (r);
}

/*
 * Open evidence read-only, without changing its access time where the
 * system allows (O_NOATIME needs the file's owner or CAP_FOWNER: EPERM
 * otherwise, and then it is opened as usual).
 */
int
evidence_open(const char *path)
{
	int	fd;

	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC |
	    O_NOATIME);
	if (fd == -1 && errno == EPERM)
		fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	return (fd);
}

/*
 * The folder container: a source is a file on the file system the walk
 * reached, opened by its path.
 */
static int
evidence_walk_open(const struct source *src, void **hp, char **cause)
{
	int	fd;

	if ((fd = evidence_open(src->path)) == -1) {
		*cause = xstrdup(strerror(errno));
		return (-1);
	}
	*hp = (void *)(intptr_t)(fd + 1);
	return (0);
}

static ssize_t
evidence_walk_pread(void *h, void *buf, size_t len, int64_t off)
{
	ssize_t	n;

	while ((n = pread((int)(intptr_t)h - 1, buf, len, off)) == -1 &&
	    errno == EINTR)
		;
	return (n);
}

static int64_t
evidence_walk_size(void *h)
{
	struct stat	sb;

	if (fstat((int)(intptr_t)h - 1, &sb) == -1)
		return (-1);
	return (sb.st_size);
}

static void
evidence_walk_close(void *h)
{
	close((int)(intptr_t)h - 1);
}

/* Did the file change since the walk saw it: its size or its times? */
static int
evidence_walk_changed(const struct source *src)
{
	struct stat	sb;

	if (stat(src->path, &sb) != 0)
		return (1);
	return (sb.st_size != src->size ||
	    sb.st_mtim.tv_sec != src->mtim.tv_sec ||
	    sb.st_mtim.tv_nsec != src->mtim.tv_nsec ||
	    sb.st_ctim.tv_sec != src->ctim.tv_sec ||
	    sb.st_ctim.tv_nsec != src->ctim.tv_nsec);
}

static const struct container evidence_walk_container = {
	"folder",
	evidence_walk_open,
	evidence_walk_pread,
	evidence_walk_size,
	evidence_walk_close,
	evidence_walk_changed,
	NULL,
	NULL,
	0
};

/* Describe the file at path as a source; src->path is borrowed. */
static void
evidence_walk_describe(struct source *src, const char *path,
    const struct stat *sb)
{
	memset(src, 0, sizeof *src);
	src->container = &evidence_walk_container;
	src->path = (char *)path;
	src->size = sb->st_size;
	src->mtime = sb->st_mtime;
	src->mtim = sb->st_mtim;
	src->ctim = sb->st_ctim;
}

/*
 * The file at path as a folder source, for callers outside the walk (the
 * tests, the fuzz targets); src->path is borrowed.
 */
int
evidence_walk_source(const char *path, struct source *src, char **cause)
{
	struct stat	sb;

	if (stat(path, &sb) == -1) {
		xasprintf(cause, "cannot read '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	evidence_walk_describe(src, path, &sb);
	return (0);
}

/* A file's provenance: a chain of one link (see struct source). */
static char *
evidence_walk_provenance(const char *path)
{
	struct buf	b;

	memset(&b, 0, sizeof b);
	buf_append_str(&b, "[{\"container\":\"file\",\"path\":");
	buf_json_string(&b, path);
	buf_append_str(&b, "}]");
	return (buf_take(&b));
}

static void
evidence_walk_add(struct evidence_walk_state *st, const struct source *d,
    enum evidence_kind kind, const struct reader *reader)
{
	struct evidence_list	*l = st->list;
	struct source		*src;

	l->sources = xreallocarray(l->sources, l->nsources + 1,
	    sizeof *l->sources);
	src = &l->sources[l->nsources++];
	*src = *d;
	src->reader = reader;
	src->kind = kind;
	src->path = xstrdup(d->path);
	src->provenance = evidence_walk_provenance(d->path);
}

/* An archive to list during the run, where the walk found it. */
static void
evidence_walk_defer(struct evidence_list *l, const struct source *d)
{
	l->deferred = xreallocarray(l->deferred, l->ndeferred + 1,
	    sizeof *l->deferred);
	l->deferred_at = xreallocarray(l->deferred_at, l->ndeferred + 1,
	    sizeof *l->deferred_at);
	l->deferred[l->ndeferred] = *d;
	l->deferred[l->ndeferred].path = xstrdup(d->path);
	l->deferred_at[l->ndeferred++] = l->nsources;
}

static void
evidence_walk_tell(void)
{
	if (evidence_walk_progress == NULL)
		return;
	if (evidence_walk_at_list != NULL)
		evidence_walk_at.found = evidence_walk_at_list->nsources;
	evidence_walk_progress(&evidence_walk_at);
}

/* Leave the partition, if any: no partition and no file system. */
static void
evidence_walk_part_clear(void)
{
	free(evidence_walk_at_desc);
	free(evidence_walk_at_fstype);
	evidence_walk_at_desc = evidence_walk_at_fstype = NULL;
	evidence_walk_at.desc = evidence_walk_at.fstype = NULL;
	evidence_walk_at.part = -1;
	evidence_walk_at.offset = 0;
}

/*
 * The image walk is at partition index (0: the whole image) at off, its
 * file system fstype once open (NULL before): a partition other than
 * the last one told starts its count of files looked at again.
 */
void
evidence_walk_part(int index, int64_t off, const char *desc,
    const char *fstype)
{
	if (evidence_walk_progress == NULL)
		return;
	if (index != evidence_walk_at.part ||
	    off != evidence_walk_at.offset) {
		evidence_walk_part_clear();
		evidence_walk_at.part = index;
		evidence_walk_at.offset = off;
		evidence_walk_at.looked = 0;
	}
	if (desc != NULL && evidence_walk_at_desc == NULL) {
		evidence_walk_at_desc = xstrdup(desc);
		evidence_walk_at.desc = evidence_walk_at_desc;
	}
	if (fstype != NULL && evidence_walk_at_fstype == NULL) {
		evidence_walk_at_fstype = xstrdup(fstype);
		evidence_walk_at.fstype = evidence_walk_at_fstype;
	}
	evidence_walk_tell();
}

/* One more file looked at, in a file system or the folder walk. */
void
evidence_walk_looked(void)
{
	if (evidence_walk_progress == NULL)
		return;
	if (++evidence_walk_at.looked % EVIDENCE_WALK_EVERY == 0)
		evidence_walk_tell();
}

/* Enter an image or archive found at path; NULL: leave it, untold. */
static void
evidence_walk_enter(const char *path, int archive, int64_t *looked)
{
	if (evidence_walk_progress == NULL)
		return;
	evidence_walk_part_clear();
	evidence_walk_at.inside = path;
	evidence_walk_at.archive = archive;
	/* The folder's count goes on after the image's own. */
	if (path != NULL) {
		*looked = evidence_walk_at.looked;
		evidence_walk_at.looked = 0;
		evidence_walk_tell();
	} else
		evidence_walk_at.looked = *looked;
}

static void
evidence_walk_report(struct evidence_walk_state *st, const char *path,
    const char *why, enum evidence_walk_what what)
{
	switch (what) {
	case EVIDENCE_WALK_SKIPPED:
		st->list->skipped++;
		break;
	case EVIDENCE_WALK_FAILED:
		st->list->failed++;
		break;
	case EVIDENCE_WALK_UNSUPPORTED:
		st->list->unsupported++;
		break;
	case EVIDENCE_WALK_NOT_EVTX:
		st->list->notevtx++;
		break;
	case EVIDENCE_WALK_AGAIN:
		break;
	}
	if (st->cb != NULL)
		st->cb(path, why, what, st->arg);
}

static int
evidence_walk_seen(struct evidence_walk_state *st, const struct stat *sb)
{
	size_t	i;

	for (i = 0; i < st->ndirs; i++) {
		if (st->dirs[i].dev == sb->st_dev &&
		    st->dirs[i].ino == sb->st_ino)
			return (1);
	}
	st->dirs = xreallocarray(st->dirs, st->ndirs + 1, sizeof *st->dirs);
	st->dirs[st->ndirs].dev = sb->st_dev;
	st->dirs[st->ndirs].ino = sb->st_ino;
	st->ndirs++;
	return (0);
}

static int
evidence_walk_cmp(const void *a, const void *b)
{
	return (strcmp(*(char * const *)a, *(char * const *)b));
}

static void
evidence_walk_path(struct evidence_walk_state *st, const char *path,
    int top, int depth)
{
	struct stat	 sb;
	struct source	 src;
	DIR		*d;
	struct dirent	*de;
	enum evidence_kind kind;
	const struct reader *reader;
	char		**names = NULL, *child, *cause = NULL, *why;
	size_t		 n = 0, i, len;
	int64_t		 looked = 0;
	int		 r, named;

	if (top && evidence_walk_progress != NULL) {
		evidence_walk_at.operand = path;
		evidence_walk_at.looked = 0;
		evidence_walk_tell();
	}
	r = top ? stat(path, &sb) : lstat(path, &sb);
	if (r == -1) {
		evidence_walk_report(st, path, strerror(errno),
		    EVIDENCE_WALK_FAILED);
		return;
	}
	if (S_ISLNK(sb.st_mode)) {
		evidence_walk_report(st, path,
		    "symbolic link inside the evidence, not followed",
		    EVIDENCE_WALK_SKIPPED);
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (depth >= EVIDENCE_WALK_DEPTH) {
			evidence_walk_report(st, path,
			    "folders nested too deep", EVIDENCE_WALK_FAILED);
			return;
		}
		if (evidence_walk_seen(st, &sb)) {
			evidence_walk_report(st, path,
			    "folder already walked (loop)",
			    EVIDENCE_WALK_SKIPPED);
			return;
		}
		if ((d = opendir(path)) == NULL) {
			evidence_walk_report(st, path, strerror(errno),
		    EVIDENCE_WALK_FAILED);
			return;
		}
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
		closedir(d);
		/* Sorted, so that a case is the same from run to run. */
		if (n > 1)
			qsort(names, n, sizeof *names, evidence_walk_cmp);
		for (i = 0; i < n; i++) {
			if (path[strlen(path) - 1] == '/')
				xasprintf(&child, "%s%s", path, names[i]);
			else
				xasprintf(&child, "%s/%s", path, names[i]);
			evidence_walk_path(st, child, 0, depth + 1);
			free(child);
			free(names[i]);
		}
		free(names);
		return;
	}
	/* Not evidence, so not counted as skipped either; -v names it. */
	if (evidence_walk_is_case(path)) {
		if (st->cb != NULL)
			st->cb(path, "the case being written, not evidence",
			    0, st->arg);
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		evidence_walk_report(st, path, "not a regular file",
		    EVIDENCE_WALK_SKIPPED);
		return;
	}
	evidence_walk_looked();
	/* Walked again, it is judged again: see EVIDENCE_WALK_AGAIN. */
	if (st->cb != NULL)
		st->cb(path, NULL, EVIDENCE_WALK_AGAIN, st->arg);
	evidence_walk_describe(&src, path, &sb);
	if (evidence_identify(&src, &kind, &cause) != 0) {
		evidence_walk_report(st, path, cause, EVIDENCE_WALK_FAILED);
		free(cause);
		return;
	}
	len = strlen(path);
	named = len > 5 && strcasecmp(path + len - 5, ".evtx") == 0;
	/* Whatever a reader reads is a source. */
	if (kind != EVIDENCE_OTHER && (reader = reader_find(kind)) != NULL) {
		evidence_walk_add(st, &src, kind, reader);
		return;
	}
	if (evidence_identify_archive(kind)) {
		src.kind = kind;
		src.provenance = evidence_walk_provenance(path);
		if (container_archive_deferred(&src)) {
			evidence_walk_defer(st->list, &src);
			return;
		}
		evidence_walk_enter(path, 1, &looked);
		container_archive_walk(&src, st->list, st->cb, st->arg);
		evidence_walk_enter(NULL, 0, &looked);
		free(src.provenance);
		return;
	}
	switch (kind) {
	case EVIDENCE_OTHER:
		/* A file named as a log: the responder expected data. */
		if (named)
			evidence_walk_report(st, path, "no EVTX signature",
			    EVIDENCE_WALK_NOT_EVTX);
		else
			evidence_walk_report(st, path, "no EVTX signature",
			    EVIDENCE_WALK_SKIPPED);
		break;
	case EVIDENCE_E01:
	case EVIDENCE_VHD:
	case EVIDENCE_VHDX:
	case EVIDENCE_VMDK:
	case EVIDENCE_MBR:
	case EVIDENCE_GPT:
	case EVIDENCE_NTFS:
	case EVIDENCE_FAT:
		evidence_walk_enter(path, 0, &looked);
		container_image_walk(path, &sb, kind, st->list, st->cb,
		    st->arg);
		evidence_walk_enter(NULL, 0, &looked);
		break;
	default:
		xasprintf(&why, "%s, which evtriage cannot read yet",
		    evidence_identify_name(kind));
		evidence_walk_report(st, path, why,
		    EVIDENCE_WALK_UNSUPPORTED);
		free(why);
		break;
	}
}

/*
 * Walk the operands, filling list with a source for each file a reader
 * reads (EVTX logs).  The
 * callback hears of every other file, and what became of it.  Returns
 * 0, or -1 if anything could not be read.
 */
int
evidence_walk(const char **paths, int npaths, struct evidence_list *list,
    evidence_walk_cb cb, void *arg)
{
	struct evidence_walk_state	st;
	int				i;

	memset(&st, 0, sizeof st);
	st.list = list;
	st.cb = cb;
	st.arg = arg;
	memset(&evidence_walk_at, 0, sizeof evidence_walk_at);
	evidence_walk_at.part = -1;
	evidence_walk_at_list = list;
	for (i = 0; i < npaths; i++)
		evidence_walk_path(&st, paths[i], 1, 0);
	evidence_walk_part_clear();
	memset(&evidence_walk_at, 0, sizeof evidence_walk_at);
	evidence_walk_at_list = NULL;
	free(st.dirs);
	return (list->failed ? -1 : 0);
}

void
evidence_list_free(struct evidence_list *list)
{
	size_t	i;

	for (i = 0; i < list->nsources; i++)
		source_clear(&list->sources[i]);
	free(list->sources);
	for (i = 0; i < list->ndeferred; i++)
		source_clear(&list->deferred[i]);
	free(list->deferred);
	free(list->deferred_at);
	memset(list, 0, sizeof *list);
}
