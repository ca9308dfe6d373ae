/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The ingest engine's run: walk the evidence into sources, read each in
 * worker processes (ingest-worker.c), one part of one source apiece (a
 * large EVTX file is split into windows of chunks, so that no worker
 * holds libevtx's list of a whole large file), so that a source that
 * crashes or hangs its reader costs that source alone.  Workers stream
 * framed messages over a pipe (ingest-wire.c) to this process, which
 * loads them (ingest-load.c).  Here: scheduling, timeouts, progress,
 * signals and the lock on the case.
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "evtriage.h"

static volatile sig_atomic_t ingest_interrupted;

/*
 * The progress line: drawn at most every ingest_draw_ms (a few times a
 * second; EVTRIAGE_PROGRESS_MS for the tests), and whether it is on the
 * screen, so that a warning clears it first.  The walk's hook has no
 * argument of its own: the run being walked is ingest_walk_run.
 */
static int64_t			 ingest_draw_ms = 250;
static int64_t			 ingest_drawn;
static int			 ingest_line;
static const struct ingest_run	*ingest_walk_run;

void
ingest_default_opts(struct ingest_opts *o)
{
	const char	*s;
	long		 n;

	memset(o, 0, sizeof *o);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = n > 0 ? (int)n : 1;
	o->recovered = 1;
	o->timeout = 600;
	o->window = EVTX_WINDOW_CHUNKS;
	/* Smaller windows, for the tests: every file in many parts. */
	if ((s = getenv("EVTRIAGE_WINDOW_CHUNKS")) != NULL && atoi(s) > 0)
		o->window = atoi(s);
}

static void
ingest_interrupt(int sig)
{
	ingest_interrupted = 1;
}

/*
 * Fork a worker or a lister: 0 in the child, which dies with the loader
 * (even killed by SIGKILL: a worker stuck in a parser would otherwise
 * live on; if the loader died before prctl, the child has a new parent
 * already), keeps none of the loader's descriptors but the slots, and
 * leaves an interrupt to the loader, which ends it (one killed by the
 * terminal's SIGINT before the loader saw its own would be taken for a
 * crash).
 */
pid_t
ingest_fork(struct ingest_run *run)
{
	pid_t	pid, parent = getpid();
	int	i;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid != 0)
		return (pid);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(3);
	close(run->lock);
	for (i = 0; i < run->nworkers; i++)
		close(run->workers[i].fd);
	if (run->lister != NULL) {
		close(run->lister->fd);
		close(run->lister->back);
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_DFL);
	return (0);
}

static void
ingest_spawn(struct ingest_run *run, struct ingest_file *f, int part)
{
	struct ingest_worker	*w;
	struct reader_window	 win;
	int			 fds[2];
	pid_t			 pid;

	/* The last part takes all after the windows before it. */
	win.first = part * run->opts->window;
	win.count = part == f->nparts - 1 ? -1 : run->opts->window;
	win.recovered = run->opts->recovered;

	if (pipe(fds) == -1)
		fatal("pipe");
	if ((pid = ingest_fork(run)) == 0) {
		close(fds[0]);
		ingest_worker_main(fds[1], f->src, part, &win);
	}
	close(fds[1]);
	run->workers = xreallocarray(run->workers, run->nworkers + 1,
	    sizeof *run->workers);
	w = &run->workers[run->nworkers++];
	memset(w, 0, sizeof *w);
	w->pid = pid;
	w->fd = fds[0];
	w->file = f;
	w->part = part;
	w->progress = time(NULL);
	f->started++;
}

/* A warning, unless -q: the summary line says it all then. */
void
ingest_warn(struct ingest_run *run, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (run->opts->quiet)
		return;
	if (ingest_line) {
		fputs("\r\033[K", stderr);
		ingest_line = 0;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	log_warnx("%s", msg);
	free(msg);
}

/* Read what a worker has sent; 0 at end of stream. */
static int
ingest_read(struct ingest_run *run, struct ingest_worker *w)
{
	const unsigned char	*p;
	size_t			 off = 0, len;
	char			 type;
	int			 r;

	if (!ingest_wire_read(w->fd, &w->in, &w->progress))
		return (0);
	while ((r = ingest_wire_next(&w->in, &off, &type, &p, &len)) == 1) {
		ingest_load_message(run, w, type, p, len);
		if (w->file->skip)
			return (0);
	}
	if (r == -1) {
		w->file->crashed = 1;
		return (0);
	}
	return (1);
}

static void
ingest_reap(struct ingest_run *run, int i)
{
	struct ingest_worker	*w = &run->workers[i];
	struct ingest_file	*f = w->file;
	int			 status;

	close(w->fd);
	if (f->skip || (!w->done && !f->failed))
		kill(w->pid, SIGKILL);
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!f->skip && !w->done && !f->failed && !f->timedout) {
		f->crashed = 1;
		free(f->message);
		if (WIFSIGNALED(status))
			xasprintf(&f->message, "parser crashed (%s) in part "
			    "%d of %d", strsignal(WTERMSIG(status)),
			    w->part + 1, f->nparts);
		else
			xasprintf(&f->message, "parser stopped (status %d) "
			    "in part %d of %d", WEXITSTATUS(status),
			    w->part + 1, f->nparts);
	}
	free(w->in.buf);
	f->parts[w->part].ended = 1;
	f->finished++;
	if (f->finished == f->nparts) {
		ingest_load_finish_file(run, f);
		ingest_list_free_slot(run, f);
	}
	memmove(&run->workers[i], &run->workers[i + 1],
	    (run->nworkers - i - 1) * sizeof *run->workers);
	run->nworkers--;
}

/* Milliseconds of a clock that does not jump. */
static int64_t
ingest_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Append n with a comma between thousands: 12,345. */
static void
ingest_draw_num(struct buf *b, int64_t n)
{
	char	s[32];
	size_t	len, i;

	len = (size_t)snprintf(s, sizeof s, "%lld", (long long)n);
	for (i = 0; i < len; i++) {
		if (i > 0 && s[i - 1] != '-' && (len - i) % 3 == 0)
			buf_append(b, ",", 1);
		buf_append(b, s + i, 1);
	}
}

/*
 * Put the line in b on the terminal in place of the last one, cut to
 * its width (a line that wraps could not be drawn over), and free b.
 */
static void
ingest_draw_line(struct buf *b, int final)
{
	struct winsize	ws;
	size_t		i, cols = 0, max = SIZE_MAX;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		max = ws.ws_col - 1;
	/* Escaped, the text is UTF-8: a column for each character. */
	for (i = 0; i < b->len; i++) {
		if (((unsigned char)b->data[i] & 0xc0) != 0x80 &&
		    ++cols > max)
			break;
	}
	fprintf(stderr, "\r\033[K%.*s", (int)i, b->len > 0 ?
	    (const char *)b->data : "");
	if (final)
		fputc('\n', stderr);
	ingest_line = !final;
	buf_free(b);
}

/*
 * The walk's hook: where it is, before the logs are read.  An image:
 * "walking disk.E01: p2 ntfs, 12,345 files looked at, 3 logs found".
 */
static void
ingest_draw_walk(const struct evidence_walk_where *at)
{
	struct buf	 b;
	int64_t		 now;

	if (ingest_walk_run == NULL || !ingest_walk_run->opts->progress)
		return;
	now = ingest_ms();
	if (ingest_drawn != 0 && now - ingest_drawn < ingest_draw_ms)
		return;
	ingest_drawn = now;

	memset(&b, 0, sizeof b);
	buf_append_str(&b, at->archive ? "listing " : "walking ");
	escape_term(&b, at->inside != NULL ? at->inside : at->operand);
	if (at->inside != NULL && !at->archive && at->part >= 0) {
		buf_append_str(&b, ": ");
		if (at->part > 0)
			buf_printf(&b, "p%d ", at->part);
		if (at->fstype != NULL)
			escape_term(&b, at->fstype);
		else if (at->desc != NULL && *at->desc != '\0') {
			buf_append_str(&b, "(");
			escape_term(&b, at->desc);
			buf_append_str(&b, ")");
		}
	}
	if (!at->archive && (at->looked > 0 || at->fstype != NULL)) {
		buf_append_str(&b, ", ");
		ingest_draw_num(&b, at->looked);
		buf_printf(&b, " file%s looked at", at->looked == 1 ? "" : "s");
	}
	buf_append_str(&b, ", ");
	ingest_draw_num(&b, (int64_t)at->found);
	buf_printf(&b, " log%s found", at->found == 1 ? "" : "s");
	ingest_draw_line(&b, 0);
}

static void
ingest_draw(struct ingest_run *run, int final)
{
	struct ingest_stats	*s = run->stats;
	struct buf		 b;
	time_t			 now = time(NULL);
	double			 el, rate, mb, tot;
	int64_t			 ms;
	const char		*what = NULL;

	if (!run->opts->progress)
		return;
	ms = ingest_ms();
	if (!final && ingest_drawn != 0 && ms - ingest_drawn < ingest_draw_ms)
		return;
	ingest_drawn = ms;
	run->last_draw = now;
	el = difftime(now, run->start);
	rate = el > 0 ? (s->records + s->recovered) / el : 0;
	mb = run->bytes_done / 1048576.0;
	tot = run->bytes_total / 1048576.0;
	memset(&b, 0, sizeof b);
	/* While an archive is listed, more files are to come: "+". */
	buf_printf(&b, "files %zu/%zu%s, %.0f/%.0f MB, %lld events, "
	    "%.0f records/s", run->files_done, run->nfiles,
	    run->listing > 0 ? "+" : "", mb, tot,
	    (long long)(s->rows + s->end_rows), rate);
	if (el > 0 && mb > 0 && tot > mb && !final)
		buf_printf(&b, ", %.0f s left", el * (tot - mb) / mb);
	/*
	 * The log last begun, by its display path (the image and the
	 * partition it is in), or the archive being listed.
	 */
	if (!final && run->lister != NULL)
		buf_append_str(&b, ", listing ");
	else if (!final && run->nworkers > 0)
		buf_append_str(&b, ", reading ");
	if (!final && run->lister != NULL)
		what = run->lister->arc->path;
	else if (!final && run->nworkers > 0)
		what = run->workers[run->nworkers - 1].file->src->path;
	escape_term(&b, what);
	ingest_draw_line(&b, final);
}

/*
 * One writer at a time: another scan of the same case waits (its files
 * are "loading" until the first is done).  flock(2) on the case file is
 * apart from SQLite's fcntl(2) locks on Linux.  Returns the descriptor
 * holding the lock, or -1 if it cannot be taken (interrupted).
 */
static int
ingest_lock(struct ingest_run *run)
{
	const char	*path = db_path(run->db);
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-2);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return (fd);
	if (errno != EWOULDBLOCK) {
		close(fd);
		return (-2);
	}
	ingest_warn(run, "waiting for another evtriage writing '%s'", path);
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR || ingest_interrupted) {
			close(fd);
			return (-1);
		}
	}
	return (fd);
}

/* Larger files first; the same size in path order. */
static int
ingest_file_cmp(const void *a, const void *b)
{
	const struct ingest_file	*fa = a, *fb = b;

	if (fa->src->size != fb->src->size)
		return (fa->src->size > fb->src->size ? -1 : 1);
	return (strcmp(fa->src->path, fb->src->path));
}

/* Load the evidence under paths into the case. */
int
ingest_run(struct db *db, const char **paths, int npaths,
    const struct ingest_opts *opts, struct ingest_stats *stats)
{
	struct ingest_run	 run;
	struct evidence_list	 list;
	struct pollfd		*pfd = NULL;
	struct ingest_file	*f;
	struct sigaction	 sa, oint, oterm;
	size_t			 next = 0, i, nstatic, ndone = 0;
	int			 part = 0, lpart = 0, n, j, jobs;
	time_t			 now;
	const char		*s;

	memset(&run, 0, sizeof run);
	memset(&list, 0, sizeof list);
	memset(stats, 0, sizeof *stats);
	run.db = db;
	run.opts = opts;
	run.stats = stats;
	run.start = time(NULL);
	jobs = opts->jobs > 0 ? opts->jobs : 1;
	ingest_interrupted = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ingest_interrupt;
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	signal(SIGPIPE, SIG_IGN);
	if ((run.lock = ingest_lock(&run)) == -1) {
		stats->interrupted = 1;
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGTERM, &oterm, NULL);
		return (-1);
	}

	if ((s = getenv("EVTRIAGE_PROGRESS_MS")) != NULL)
		ingest_draw_ms = strtoll(s, NULL, 10);
	ingest_drawn = 0;
	if (opts->progress) {
		ingest_walk_run = &run;
		evidence_walk_progress = ingest_draw_walk;
	}
	evidence_walk(paths, npaths, &list, ingest_load_walk_report, &run);
	evidence_walk_progress = NULL;
	ingest_walk_run = NULL;
	ingest_load_commit(&run);
	stats->files = list.nsources;
	for (i = 0; i < list.nsources; i++) {
		if (list.sources[i].kind == EVIDENCE_EVTX_XML)
			stats->xml++;
		else if (list.sources[i].kind == EVIDENCE_FDR_JSON)
			stats->fdr++;
	}
	stats->skipped = list.skipped;
	stats->unreadable_parts = list.failed;
	stats->unsupported = list.unsupported;
	stats->notevtx = list.notevtx;
	nstatic = list.nsources;
	run.nfiles = list.nsources;
	run.files = xcalloc(list.nsources + 1, sizeof *run.files);
	for (i = 0; i < list.nsources; i++) {
		run.files[i].src = &list.sources[i];
		run.files[i].slot = -1;
		run.bytes_total += list.sources[i].size;
	}
	/*
	 * Until their logs are listed, a guess stands in for them: ten
	 * times the archive's size (ingest_list_start).
	 */
	for (i = 0; i < list.ndeferred; i++)
		run.bytes_total += list.deferred[i].size < INT64_MAX / 10 ?
		    list.deferred[i].size * 10 : list.deferred[i].size;
	run.listing = list.ndeferred;
	/*
	 * Largest first, so that the small files fill the gaps at the end
	 * and the workers finish together (with one worker, the order of
	 * the walk: evidence is numbered in path order).  A file of more
	 * than a window of chunks is read in windows, each by a worker of
	 * its own.
	 */
	if (jobs > 1)
		qsort(run.files, nstatic, sizeof *run.files, ingest_file_cmp);
	for (i = 0; i < nstatic; i++) {
		f = &run.files[i];
		/* As many parts as its reader makes windows of it. */
		f->nparts = f->src->reader->parts(f->src, opts->window);
		f->parts = xcalloc(f->nparts, sizeof *f->parts);
	}

	while (!ingest_interrupted) {
		/*
		 * Part 0 of each file goes first: it hashes the file.  The
		 * logs a lister hands out go before the walk's files, so
		 * that it may fill their slots again; a deferred archive is
		 * listed first (with one worker, where the walk found it, and
		 * its logs read before the walk's next file).
		 */
		while (run.nworkers < jobs) {
			if (run.next_listed < run.nlisted) {
				f = run.listed[run.next_listed];
				ingest_spawn(&run, f, lpart);
				if (++lpart == f->nparts) {
					lpart = 0;
					run.next_listed++;
				}
				continue;
			}
			if (run.lister == NULL && ndone < list.ndeferred &&
			    (jobs > 1 || list.deferred_at[ndone] <= next)) {
				ingest_list_start(&run, &list.deferred[ndone]);
				continue;
			}
			if (next == nstatic || (jobs == 1 &&
			    (run.lister != NULL || (ndone < list.ndeferred &&
			    list.deferred_at[ndone] <= next))))
				break;
			f = &run.files[next];
			ingest_spawn(&run, f, part);
			if (++part == f->nparts) {
				part = 0;
				next++;
			}
		}
		if (run.nworkers == 0 && run.lister == NULL &&
		    run.next_listed == run.nlisted && ndone == list.ndeferred)
			break;
		pfd = xreallocarray(pfd, run.nworkers + 1, sizeof *pfd);
		for (j = 0; j < run.nworkers; j++) {
			pfd[j].fd = run.workers[j].fd;
			pfd[j].events = POLLIN;
			pfd[j].revents = 0;
			/*
			 * Hold later parts back until the file's hash is in,
			 * and until the parts before have counted theirs.
			 */
			if (run.workers[j].part != 0 &&
			    !run.workers[j].file->skip &&
			    (run.workers[j].file->evid == 0 ||
			    ingest_load_part_base(run.workers[j].file,
			    run.workers[j].part, 0) == -1)) {
				pfd[j].fd = -1;
				/* Held back, it is not stuck. */
				run.workers[j].progress = time(NULL);
			}
		}
		pfd[run.nworkers].fd = run.lister != NULL ? run.lister->fd : -1;
		pfd[run.nworkers].events = POLLIN;
		pfd[run.nworkers].revents = 0;
		n = poll(pfd, run.nworkers + 1, 500);
		if (n == -1 && errno != EINTR)
			fatal("poll");
		now = time(NULL);
		if (run.lister != NULL && (((pfd[run.nworkers].revents &
		    (POLLIN | POLLHUP | POLLERR)) && !ingest_list_read(&run)) ||
		    ingest_list_stuck(&run, now))) {
			ingest_list_end(&run, ingest_interrupted);
			ndone++;
		}
		for (j = run.nworkers - 1; j >= 0; j--) {
			struct ingest_worker *w = &run.workers[j];

			/* The first part ended without a hash: give up. */
			if (w->part != 0 && w->file->evid == 0 &&
			    !w->file->skip && !w->file->failed &&
			    w->file->parts[0].ended) {
				w->file->failed = 1;
				kill(w->pid, SIGKILL);
				if (w->file->message == NULL)
					w->file->message = xstrdup("the first "
					    "part failed before the file was "
					    "hashed");
			}

			if (w->file->skip || w->file->failed ||
			    (pfd[j].fd != -1 && (pfd[j].revents &
			    (POLLIN | POLLHUP | POLLERR)) &&
			    !ingest_read(&run, w))) {
				ingest_reap(&run, j);
				continue;
			}
			/*
			 * The time limit is on progress, not on the part: a
			 * part of any size runs while it sends records (and
			 * the worker sends at least every second).
			 */
			if (opts->timeout > 0 &&
			    now - w->progress > opts->timeout) {
				w->file->timedout = 1;
				free(w->file->message);
				xasprintf(&w->file->message, "parser made "
				    "no progress for %d s in part %d of %d",
				    opts->timeout, w->part + 1,
				    w->file->nparts);
				ingest_reap(&run, j);
			}
		}
		ingest_draw(&run, 0);
	}
	if (ingest_interrupted) {
		for (j = run.nworkers - 1; j >= 0; j--) {
			kill(run.workers[j].pid, SIGKILL);
			run.workers[j].file->skip = 1;
			ingest_reap(&run, j);
		}
		if (run.lister != NULL)
			ingest_list_end(&run, 1);
	}
	stats->bytes = run.bytes_total;
	if (stats->files == 0 && !ingest_interrupted)
		ingest_warn(&run, "no EVTX log found in the evidence: "
		    "nothing was read");
	ingest_load_end(&run, jobs);
	ingest_draw(&run, 1);
	{
		struct rusage	self, kids;

		getrusage(RUSAGE_SELF, &self);
		getrusage(RUSAGE_CHILDREN, &kids);
		/* Peak memory: the loader's, and the largest worker's. */
		log_info("loader CPU %.2f s, %ld MB peak; parsers CPU %.2f s, "
		    "%ld MB peak (the largest); wall %.0f s",
		    self.ru_utime.tv_sec + self.ru_stime.tv_sec +
		    (self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6,
		    self.ru_maxrss / 1024,
		    kids.ru_utime.tv_sec + kids.ru_stime.tv_sec +
		    (kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6,
		    kids.ru_maxrss / 1024, difftime(time(NULL), run.start));
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	if (run.lock >= 0)
		close(run.lock);

	/* The files one by one are at -v; by default, how many. */
	if (log_level == 0 && (stats->damaged > 0 ||
	    stats->with_unreadable > 0))
		ingest_warn(&run, "%lld file%s damaged, %lld with unreadable "
		    "records: see evtriage evidence",
		    (long long)stats->damaged, stats->damaged == 1 ? "" : "s",
		    (long long)stats->with_unreadable);
	if (log_level == 0 && stats->known_partial > 0)
		ingest_warn(&run, "%lld file%s in the case %s not read in "
		    "full: see evtriage evidence",
		    (long long)stats->known_partial,
		    stats->known_partial == 1 ? "" : "s",
		    stats->known_partial == 1 ? "was" : "were");

	for (i = 0; i < nstatic; i++) {
		free(run.files[i].message);
		free(run.files[i].parts);
	}
	free(run.files);
	ingest_list_clear(&run);
	free(run.workers);
	free(run.begun);
	free(pfd);
	evidence_list_free(&list);
	if (ingest_interrupted) {
		stats->interrupted = 1;
		log_warnx("interrupted: run the same command again to "
		    "complete the case");
		return (-1);
	}
	return (0);
}
