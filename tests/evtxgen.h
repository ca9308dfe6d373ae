/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: the EVTX writer's shared types, tables and functions, one
 * group per file as in tmux.h.  Test helper for evtriage; libc only.
 */

#ifndef EVTXGEN_H
#define EVTXGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EVTXGEN_FILE_HDR	4096
#define EVTXGEN_CHUNK		65536
#define EVTXGEN_CHUNK_HDR	512
#define EVTXGEN_MAXF		64
#define EVTXGEN_MAXTPL		512
#define EVTXGEN_MAXKV		96
#define EVTXGEN_EPOCH		116444736000000000ULL	/* 1970 in FILETIME */

/* Binary XML value types. */
#define T_NULL	0x00
#define T_STR	0x01
#define T_U8	0x04
#define T_U16	0x06
#define T_U32	0x08
#define T_U64	0x0a
#define T_GUID	0x0f
#define T_FT	0x11
#define T_SID	0x13
#define T_HEX32	0x14
#define T_HEX64	0x15

/* Default generators. */
enum {
	G_LIT,		/* literal from the table */
	G_UTCTIME,	/* event time, Sysmon format */
	G_GUID,		/* generated GUID */
	G_PID,		/* generated decimal process id */
	G_HEXPID,	/* generated hex process id */
	G_LOGONID,	/* generated hex logon id */
	G_CMDLINE,	/* copy of the field named in dflt, quoted if blank */
	G_BASENAME,	/* basename of the field named in dflt */
	G_HASHES,	/* generated SHA256= */
	G_PORT		/* generated ephemeral port */
};

#define F_NEWONLY	0x01	/* sysmon1: not in schema=old */

struct evtxgen_fdef {
	const char	*name;
	int		 type;
	int		 gen;
	const char	*dflt;
	int		 minver;
	int		 flags;
};

struct evtxgen_kind {
	const char			*kw;
	const char			*provider;
	const char			*guid;
	const char			*channel;
	uint16_t			 eventid;
	uint8_t				 version;
	uint8_t				 level;
	uint16_t			 task;
	uint8_t				 opcode;
	uint64_t			 keywords;
	uint32_t			 pid;
	const struct evtxgen_fdef	*fields;
};

#define SYSMON_PROV	"Microsoft-Windows-Sysmon"
#define SYSMON_GUID	"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
#define SYSMON_CHAN	"Microsoft-Windows-Sysmon/Operational"
#define SEC_PROV	"Microsoft-Windows-Security-Auditing"
#define SEC_GUID	"{54849625-5478-4994-A5BA-3E3B0328C30D}"

#define KW_SYSMON	0x8000000000000000ULL
#define KW_AUDIT_OK	0x8020000000000000ULL

/* Element and attribute names, shared through the chunk string table. */
enum {
	N_EVENT, N_XMLNS, N_SYSTEM, N_PROVIDER, N_NAME, N_GUID, N_EVENTID,
	N_VERSION, N_LEVEL, N_TASK, N_OPCODE, N_KEYWORDS, N_TIMECREATED,
	N_SYSTEMTIME, N_EVENTRECORDID, N_CORRELATION, N_EXECUTION,
	N_PROCESSID, N_THREADID, N_CHANNEL, N_COMPUTER, N_SECURITY, N_USERID,
	N_EVENTDATA, N_DATA, N_COUNT
};

struct evtxgen_field {
	const char	*name;		/* table name or arena */
	size_t		 noff;		/* arena offset when extra */
	int		 extra;
	int		 type;
	size_t		 voff;		/* value, arena offset */
};

struct evtxgen_event {
	const struct evtxgen_kind *kind;
	int		 version;
	int		 oldschema;
	uint8_t		 level;
	uint8_t		 opcode;
	uint16_t	 task;
	uint64_t	 keywords;
	uint64_t	 record;
	uint64_t	 ft;
	uint32_t	 pid;
	uint32_t	 tid;
	size_t		 computer;	/* arena offsets */
	size_t		 userid;
	int		 nfield;
	struct evtxgen_field field[EVTXGEN_MAXF];
};

struct evtxgen_chunk {
	uint8_t		 buf[EVTXGEN_CHUNK];
	uint32_t	 off;
	uint32_t	 lastrec;
	uint64_t	 first, last;
	uint32_t	 nrec;
	uint32_t	 nameoff[N_COUNT];
	uint32_t	 strhead[64];
	uint32_t	 tplhead[32];
	int		 ntpl;
	uint64_t	 tplkey[EVTXGEN_MAXTPL];
	uint32_t	 tploff[EVTXGEN_MAXTPL];
	uint32_t	 tplid[EVTXGEN_MAXTPL];
};

struct evtxgen_out {
	FILE		*fp;
	const char	*path;
	uint64_t	 nchunks;
	uint64_t	 nrecords;
	uint64_t	 nextid;
	int		 dirty;
	struct evtxgen_chunk ch;
};

struct evtxgen_buf {
	uint8_t		*b;
	size_t		 pos;
	size_t		 cap;
	int		 ovf;
};

/* Scenario state. */
struct evtxgen_state {
	const char	*file;
	unsigned long	 line;
	uint64_t	 nextrec;
	uint64_t	 ft;
	int		 havetime;
};

#define A(off)	(evtxgen_arena + (off))

struct evtxgen_tctx {
	struct evtxgen_chunk	*ch;
	struct evtxgen_buf	*w;
	int			 undo[N_COUNT];
	int			 nundo;
};

/* Substitution indexes of the System part. */
enum {
	S_LEVEL, S_OPCODE, S_TASK, S_EVENTID, S_VERSION, S_KEYWORDS, S_TIME,
	S_RECORDID, S_PID, S_TID, S_COMPUTER, S_USERID, S_NSYS
};

/*
 * Key/value pairs of one scenario line (or generated event).  Keys and
 * values point into caller storage.
 */
struct evtxgen_kv {
	const char	*key;
	const char	*val;
	int		 used;
};

/* Callback per event: write it or dump it. */
struct evtxgen_sink {
	struct evtxgen_out	*out;
	FILE			*dump;
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* evtxgen.c */
extern char	*evtxgen_arena;		/* text of one event */
extern size_t	 evtxgen_alen, evtxgen_acap;
void	 evtxgen_die(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));
void	 evtxgen_le16(uint8_t *p, uint16_t v);
void	 evtxgen_le32(uint8_t *p, uint32_t v);
void	 evtxgen_le64(uint8_t *p, uint64_t v);
uint32_t evtxgen_rd32(const uint8_t *p);
uint64_t evtxgen_mix(uint64_t x);
uint64_t evtxgen_rand(uint64_t *s);
uint64_t evtxgen_fnv(uint64_t h, const void *p, size_t n);
size_t	 evtxgen_astr(const char *s, size_t n);
int64_t	 evtxgen_days(int64_t y, int m, int d);
int	 evtxgen_parse_time(const char *s, uint64_t *ft);
void	 evtxgen_fmt_time(uint64_t ft, int fmt, char *buf, size_t len);

/* evtxgen-binxml.c */
extern const char	*evtxgen_namestr[N_COUNT];
extern uint16_t	 evtxgen_namehash[N_COUNT];
void	 evtxgen_put(struct evtxgen_buf *w, const void *p, size_t n);
void	 evtxgen_put8(struct evtxgen_buf *w, uint8_t v);
void	 evtxgen_put16(struct evtxgen_buf *w, uint16_t v);
void	 evtxgen_put32(struct evtxgen_buf *w, uint32_t v);
void	 evtxgen_put64(struct evtxgen_buf *w, uint64_t v);
void	 evtxgen_patch32(struct evtxgen_buf *w, size_t at, uint32_t v);
int	 evtxgen_valid_utf8(const char *s);
uint16_t evtxgen_name_hash(const char *s);
int	 evtxgen_parse_dec(const char *s, uint64_t max, uint64_t *v);
int	 evtxgen_parse_hex(const char *s, uint64_t max, uint64_t *v);
int	 evtxgen_hexdig(int c);
int	 evtxgen_type_ok(int t, const char *s);
int	 evtxgen_put_value(struct evtxgen_buf *w, int t, const char *s);
const char *evtxgen_fname(const struct evtxgen_field *f);
void	 evtxgen_template_body(struct evtxgen_tctx *t,
	    const struct evtxgen_event *ev);
uint64_t evtxgen_template_key(const struct evtxgen_event *ev);

/* evtxgen-chunk.c */
void	 evtxgen_crc_init(void);
uint32_t evtxgen_crc32(uint32_t crc, const uint8_t *p, size_t len);
void	 evtxgen_file_header(uint8_t *h, uint64_t nchunks, uint64_t nextid,
	    int flags);
void	 evtxgen_out_open(struct evtxgen_out *o, const char *path, int dirty);
void	 evtxgen_out_close(struct evtxgen_out *o);
void	 evtxgen_write_event(struct evtxgen_out *o,
	    const struct evtxgen_event *ev);

/* evtxgen-event.c */
extern const struct evtxgen_kind evtxgen_kinds[];
const struct evtxgen_kind *evtxgen_find_kind(const char *kw);
int	 evtxgen_build(struct evtxgen_state *st, const struct evtxgen_kind *k,
	    struct evtxgen_kv *kv, int nkv, struct evtxgen_event *ev, char *err,
	    size_t errlen);
extern int	 evtxgen_dumptypes;	/* -X: add a type column */
extern int	 evtxgen_pi;		/* -P: a PI target in each EventID */
void	 evtxgen_dump_event(FILE *fp, const struct evtxgen_event *ev);

/* evtxgen-scenario.c */
void	 evtxgen_emit(struct evtxgen_sink *sk, const struct evtxgen_event *ev);
void	 evtxgen_scenario(const char *path, struct evtxgen_sink *sk);

/* evtxgen-bulk.c */
void	 evtxgen_bulk(uint64_t n, int sysmon, double share, uint64_t seed,
	    struct evtxgen_sink *sk);

/* evtxgen-damage.c */
extern const char	*evtxgen_damages[];
void	 evtxgen_damage(const char *path, const char *kind);

#endif
