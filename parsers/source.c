/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Sources: the byte streams containers hand to readers.  A reader sees
 * only these calls, never a path, so that a log inside an image or an
 * archive reads as one on disk does.  The hash is of the stream.
 */

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "triage/xmalloc.h"
#include "parsers.h"

/* Open the source for reading: 0, or -1 and *cause. */
int
source_open(const struct source *src, struct source_stream *s, char **cause)
{
	assert(src->container != NULL);
	s->source = src;
	s->h = NULL;
	s->high = 0;
	return (src->container->open(src, &s->h, cause));
}

/*
 * Called, when set, after a read that reaches bytes of the stream never
 * read before: a worker's sign of progress while it hashes or a library
 * reads a file before its first record.  The part time limit is on
 * progress, and a parser stuck in a loop reads nothing new, even if it
 * reads the same chunk again and again.
 */
void	(*source_progress)(void);

/* Read up to len bytes at off: the count, 0 at the end, -1 (errno). */
ssize_t
source_pread(struct source_stream *s, void *buf, size_t len, int64_t off)
{
	ssize_t	n;

	n = s->source->container->pread(s->h, buf, len, off);
	if (n > 0 && off + n > s->high) {
		s->high = off + n;
		if (source_progress != NULL)
			source_progress();
	}
	return (n);
}

int64_t
source_size(struct source_stream *s)
{
	return (s->source->container->size(s->h));
}

void
source_close(struct source_stream *s)
{
	if (s->h != NULL)
		s->source->container->close(s->h);
	s->h = NULL;
}

/*
 * SHA-256 of the stream as lowercase hex into out (65 bytes), and the
 * size it is of.  0, or -1 and *cause.
 */
int
source_sha256(const struct source *src, char *out, int64_t *size,
    char **cause)
{
	struct source_stream	s;
	struct sha256_ctx	ctx;
	uint8_t			digest[SHA256_DIGEST_SIZE];
	static unsigned char	block[1 << 16];
	ssize_t			n;
	int64_t			total = 0;
	int			i;

	if (source_open(src, &s, cause) != 0)
		return (-1);
	sha256_init(&ctx);
	while ((n = source_pread(&s, block, sizeof block, total)) > 0) {
		sha256_update(&ctx, n, block);
		total += n;
	}
	if (n == -1) {
		*cause = xstrdup(strerror(errno));
		source_close(&s);
		return (-1);
	}
	source_close(&s);
	sha256_digest(&ctx, sizeof digest, digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	if (size != NULL)
		*size = total;
	return (0);
}

/* Has the source changed since the container described it? */
int
source_changed(const struct source *src)
{
	return (src->container->changed(src));
}

void
source_clear(struct source *src)
{
	free(src->path);
	free(src->provenance);
	if (src->data != NULL && src->container != NULL &&
	    src->container->clear != NULL)
		src->container->clear(src->data);
	memset(src, 0, sizeof *src);
}
