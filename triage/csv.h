/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * CSV reading and writing (csv.c), which every layer may use: reports,
 * the evidence list and the filters' CSV form in db/.
 */

#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include <stdio.h>

/* csv.c */
void	csv_write(FILE *, const char *);
void	csv_write_row(FILE *, const char * const *, size_t);
void	csv_write_row_term(FILE *, const char * const *, size_t);
int	csv_read_row(FILE *, char ***);
void	csv_free_row(char **, int);

#endif
