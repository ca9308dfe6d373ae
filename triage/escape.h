/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Escaping evidence text for a terminal (escape.c), which every layer
 * may use: the log, the browser, the commands.
 */

#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;

/* escape.c */
size_t	escape_utf8_seq(const unsigned char *, uint32_t *);
size_t	escape_utf8_len(const unsigned char *);
const char *escape_c0(unsigned char);
void	escape_term(struct buf *, const char *);
void	escape_print(FILE *, const char *);

#endif
