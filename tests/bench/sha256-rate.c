/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * SHA-256's native throughput through nettle, the library and calls
 * source_sha256 uses (sha256_update in 64 KB pieces): MB a second over
 * a buffer in memory, so that neither the disk nor the page cache is
 * measured.  tests/bench/instr-bench.sh prints it beside the decoder's
 * figures, since callgrind cannot run nettle's SHA instructions.
 *
 *	sha256-rate [MB]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha2.h>

int
main(int argc, char **argv)
{
	struct sha256_ctx	 ctx;
	struct timespec		 a, b;
	uint8_t			 digest[SHA256_DIGEST_SIZE], *p;
	size_t			 piece = 65536, i, n;
	double			 s;
	int			 mb = argc > 1 ? atoi(argv[1]) : 512;

	if (mb <= 0)
		mb = 512;
	if ((p = malloc(piece)) == NULL)
		return (1);
	for (i = 0; i < piece; i++)
		p[i] = (uint8_t)(i * 131 + 7);
	n = (size_t)mb * 16;	/* pieces of 64 KB */
	clock_gettime(CLOCK_MONOTONIC, &a);
	sha256_init(&ctx);
	for (i = 0; i < n; i++)
		sha256_update(&ctx, piece, p);
	sha256_digest(&ctx, sizeof digest, digest);
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.0f\n", mb / s);
	free(p);
	/* The digest is read, or the loop could be left out. */
	return (digest[0] == 0 && digest[1] == 0 && digest[2] == 0);
}
