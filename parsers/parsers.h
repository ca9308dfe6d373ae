/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Evidence to events: containers (the folder walk) hand sources to
 * readers (EVTX through libevtx, XML exports through expat), and one
 * normaliser turns the process events among the records into rows of
 * the Endpoint.Processes model.
 * This directory is the only one that includes libevtx, libfwnt and
 * expat.
 */

#ifndef PARSERS_H
#define PARSERS_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* One EventData field, in record order. */
struct evt_field {
	char		*name;		/* Data/@Name */
	char		*value;		/* text, entities decoded */
};

/* One EVTX record, as far as evtriage needs it. */
struct evt_record {
	int64_t		 offset;	/* record offset in the file */
	int		 index;		/* libevtx record index */
	int		 recovered;	/* from libevtx's recovered records */
	int		 fast;		/* read by evtx-fast.c, not libevtx */
	uint64_t	 record_id;	/* System/EventRecordID */
	uint32_t	 event_id;	/* System/EventID */
	int		 version;	/* System/Version, -1 if absent */
	char		*time;		/* System/TimeCreated, ISO UTC, 100 ns */
	char		*provider;	/* System/Provider/@Name */
	char		*channel;	/* System/Channel */
	char		*computer;	/* System/Computer */
	char		*user_sid;	/* System/Security/@UserID */
	struct evt_field *fields;
	size_t		 nfields;
};

/*
 * The columns of a normalised row.  process and process_end rows share
 * the first PROC_COL_END_COUNT columns' meaning where both have them;
 * the names are the Splunk CIM Endpoint.Processes field names.
 */
enum proc_col {
	PROC_TIME,			/* _time */
	PROC_DEST,
	PROC_USER,
	PROC_USER_ID,
	PROC_LOGON_ID,
	PROC_PROCESS,
	PROC_PROCESS_NAME,
	PROC_PROCESS_PATH,
	PROC_PROCESS_EXEC,
	PROC_PROCESS_ID,
	PROC_PROCESS_GUID,
	PROC_PROCESS_CURRENT_DIRECTORY,
	PROC_PROCESS_INTEGRITY_LEVEL,
	PROC_PROCESS_HASH,
	PROC_ORIGINAL_FILE_NAME,
	PROC_PARENT_PROCESS,
	PROC_PARENT_PROCESS_NAME,
	PROC_PARENT_PROCESS_PATH,
	PROC_PARENT_PROCESS_ID,
	PROC_PARENT_PROCESS_GUID,
	PROC_VENDOR_PRODUCT,
	PROC_PROVIDER,
	PROC_CHANNEL,
	PROC_FIELDS,			/* all EventData as JSON */
	PROC_NCOLS
};

enum proc_kind {
	PROC_KIND_START,		/* Sysmon 1, Security 4688 */
	PROC_KIND_END			/* Sysmon 5, Security 4689 */
};

/* A normalised process event, ready to be loaded. */
struct proc_row {
	enum proc_kind	 kind;
	int64_t		 record_index;	/* libevtx index: the record's key */
	uint64_t	 record_id;
	int		 recovered;
	int		 fast;		/* decoded by evtx-fast.c */
	const char	*reader;	/* the loader's: what decoded it */
	uint32_t	 event_id;
	int		 version;
	char		*col[PROC_NCOLS];	/* NULL where absent */
};

/* What a reader found wrong: an unreadable record or a file warning. */
struct evt_problem {
	int		 record_index;	/* -1 for the file */
	int		 recovered;
	int64_t		 offset;	/* -1 where unknown */
	char		*reason;
};

/* Facts about an opened file, for the chain of custody. */
struct evt_file_info {
	int		 major, minor;	/* format version */
	int		 dirty;		/* header flag 0x0001 */
	int		 corrupted;	/* libevtx_file_is_corrupted */
	int		 records;	/* allocated records */
	int		 recovered;	/* recovered records */
	int64_t		 declared;	/* records the chunk headers count */
};

/* evidence-identify.c */
enum evidence_kind {
	EVIDENCE_OTHER,			/* nothing evtriage knows */
	EVIDENCE_EVTX,			/* "ElfFile\0" */
	EVIDENCE_ZIP,			/* "PK\3\4" */
	EVIDENCE_TAR,			/* "ustar" at 257 */
	EVIDENCE_GZIP,			/* "\037\213\010", not FDR inside */
	EVIDENCE_7Z,
	EVIDENCE_E01,			/* EnCase "EVF\x09\x0d\x0a\xff\0" */
	EVIDENCE_VHD,			/* "conectix" at start or in footer */
	EVIDENCE_VHDX,			/* "vhdxfile" */
	EVIDENCE_VMDK,			/* "KDMV" or a descriptor */
	EVIDENCE_MBR,			/* 0x55AA and a partition table */
	EVIDENCE_GPT,			/* "EFI PART" at 512 */
	EVIDENCE_NTFS,			/* "NTFS    " at 3: a partition */
	EVIDENCE_EVTX_XML,		/* <Events> or <Event> */
	EVIDENCE_FDR_JSON,		/* JSON lines with event_simpleName,
					   plain or gzip-compressed */
	EVIDENCE_FAT,			/* a FAT or exFAT boot sector */
	EVIDENCE_BZIP2,			/* "BZh" and a block size */
	EVIDENCE_XZ,			/* "\3757zXZ\0" */
	EVIDENCE_ZSTD,			/* 0xfd2fb528 */
	EVIDENCE_NKINDS
};
const char *evidence_identify_name(enum evidence_kind);

/*
 * source.c: a source is a byte stream a container hands to a reader,
 * with where it came from.  The folder walk makes one of each file it
 * finds; an image or an archive will make one of each log inside it,
 * with its own container.  A source is a description: a worker opens
 * it afresh (source_open) and reads it at offsets.
 */
struct source;
struct reader;
struct container {
	const char	*name;
	/* Open the stream: 0 and *h set, or -1 and *cause (strerror). */
	int		(*open)(const struct source *, void **, char **);
	ssize_t		(*pread)(void *, void *, size_t, int64_t);
	int64_t		(*size)(void *);	/* -1 if unknown */
	void		(*close)(void *);
	/* Has the source changed since it was described? */
	int		(*changed)(const struct source *);
	/* Free the container's description (source.data); may be NULL. */
	void		(*clear)(void *);
	/* Copy it, for a source inside this one; NULL if data is NULL. */
	void		*(*copy)(const void *);
	/* pread backwards is costly: read in one part, forwards */
	int		 sequential;
};
struct source {
	const struct container	*container;
	const struct reader	*reader;	/* what reads it */
	enum evidence_kind	 kind;		/* evidence_identify */
	char		*path;		/* for display: as reached */
	/*
	 * Where it came from: a JSON array, outermost first, one object a
	 * link, each with "container" (file, image, partition, fs, archive,
	 * entry) and that link's facts: {"container":"file","path":...},
	 * {"container":"partition","index":2,"offset":1048576,...},
	 * {"container":"entry","path":"C/Windows/...","mtime":...}.  A
	 * plain file in a folder has a chain of one link.
	 */
	char		*provenance;
	void		*data;		/* the container's description */
	int64_t		 size;
	int64_t		 mtime;		/* seconds since the epoch */
	struct timespec	 mtim, ctim;	/* as walked: changed if these do */
};
struct source_stream {
	const struct source	*source;
	void			*h;		/* the container's */
	int64_t			 high;		/* the furthest byte read */
};
int	source_open(const struct source *, struct source_stream *, char **);
ssize_t	source_pread(struct source_stream *, void *, size_t, int64_t);
extern void (*source_progress)(void);
int64_t	source_size(struct source_stream *);
void	source_close(struct source_stream *);
int	source_sha256(const struct source *, char *, int64_t *, char **);
int	source_changed(const struct source *);
void	source_clear(struct source *);

/*
 * reader.c: a reader turns a source into records.  A source may be read
 * in parts ("windows", in units the reader chooses: EVTX chunks), each
 * by a worker of its own; parts() says how many a window of a given
 * size makes of it.  open() reports the facts of the part (coverage),
 * read() yields each record and each problem; a record callback may
 * keep nothing of the record and returns non-zero to stop.
 */
struct evtx_reader;
typedef int (*evtx_record_cb)(struct evt_record *, void *);
typedef void (*evtx_problem_cb)(const struct evt_problem *, void *);
struct reader_window {
	int64_t		 first;		/* first unit of the part */
	int64_t		 count;		/* units, < 0 to the end */
	int		 recovered;	/* read what slack space holds too */
};
struct reader {
	const char	*name;
	enum evidence_kind kind;
	int		(*probe)(const unsigned char *, size_t);
	int		(*parts)(const struct source *, int64_t);
	int		(*open)(const struct source *,
			    const struct reader_window *, void **,
			    struct evt_file_info *, char **);
	int		(*read)(void *, evtx_record_cb, evtx_problem_cb,
			    void *);
	void		(*close)(void *);
};
const struct reader *reader_find(enum evidence_kind);
const struct reader *reader_probe(const unsigned char *, size_t);

/* evidence-identify.c */
#define EVIDENCE_IDENTIFY_HEAD	4096	/* the bytes identify looks at */
int	evidence_identify(const struct source *, enum evidence_kind *,
	    char **);
int	evidence_identify_xml(const unsigned char *, size_t);
int	evidence_identify_fdr(const unsigned char *, size_t);
enum evidence_kind evidence_identify_buf(const unsigned char *, size_t,
	    const unsigned char *);
int	evidence_identify_archive(enum evidence_kind);
int	evidence_identify_compressed(enum evidence_kind);
int	evidence_identify_foot_wanted(const char *, const unsigned char *,
	    size_t, int64_t);
void	evidence_identify_foot(unsigned char *, int64_t, int64_t,
	    const unsigned char *, size_t);

/* evidence-walk.c */
struct evidence_list {
	struct source	*sources;
	size_t		 nsources;
	size_t		 skipped;	/* not evidence, links, devices */
	size_t		 failed;	/* could not be read */
	size_t		 unsupported;	/* known, not read yet: a zip */
	size_t		 notevtx;	/* named .evtx, not EVTX */
	/*
	 * Archives listed during the run (container_archive_deferred),
	 * each with the number of sources found before it in the walk.
	 */
	struct source	*deferred;
	size_t		*deferred_at;
	size_t		 ndeferred;
};
/* What the walk did with a file that is not an EVTX log to read. */
enum evidence_walk_what {
	EVIDENCE_WALK_SKIPPED,		/* not evidence: a text file */
	EVIDENCE_WALK_FAILED,		/* could not be read */
	EVIDENCE_WALK_UNSUPPORTED,	/* evidence evtriage cannot read yet */
	EVIDENCE_WALK_NOT_EVTX,		/* named as a log, but is not one */
	EVIDENCE_WALK_AGAIN		/* a file about to be walked: what
					   earlier walks said of it (and of
					   what is inside it) is past */
};
typedef void (*evidence_walk_cb)(const char *, const char *,
	    enum evidence_walk_what, void *);
int	evidence_walk(const char **, int, struct evidence_list *,
	    evidence_walk_cb, void *);
void	evidence_list_free(struct evidence_list *);
int	evidence_open(const char *);
void	evidence_walk_skip_case(const char *);
int	evidence_walk_source(const char *, struct source *, char **);
/*
 * Where the walk is, for a progress line: the hook, when set, hears of
 * each operand, image and archive the walk enters, each partition of an
 * image and every EVIDENCE_WALK_EVERY files looked at in a file system
 * or folder.  The strings are borrowed, and evidence (escape them).
 */
#define EVIDENCE_WALK_EVERY	64
struct evidence_walk_where {
	const char	*operand;	/* as given */
	const char	*inside;	/* the image or archive, or NULL */
	int		 archive;	/* inside is an archive being listed */
	int		 part;		/* partition: -1 none yet, 0 whole */
	int64_t		 offset;	/* of the partition, bytes */
	const char	*desc;		/* of the partition, or NULL */
	const char	*fstype;	/* its file system, once open */
	int64_t		 looked;	/* files looked at, in it or the folder */
	size_t		 found;		/* logs found so far in the walk */
};
extern void (*evidence_walk_progress)(const struct evidence_walk_where *);
void	evidence_walk_part(int, int64_t, const char *, const char *);
void	evidence_walk_looked(void);

/*
 * container-archive.c: the archive container (zip, tar, tar.gz, .gz,
 * 7z through libarchive): a source for every log inside an archive
 * source, and one level of archives inside it.
 */
#define ARCHIVE_ENTRIES_MAX	100000		/* entries in one archive */
#define ARCHIVE_ENTRY_MAX	(64LL << 30)	/* bytes one entry expands to */
#define ARCHIVE_RATIO_MAX	1000		/* expanded : archive bytes, */
#define ARCHIVE_RATIO_FLOOR	(1LL << 30)	/* past this many bytes */
#define ARCHIVE_DEPTH_MAX	1		/* archives inside archives */
void	container_archive_walk(const struct source *, struct evidence_list *,
	    evidence_walk_cb, void *);
void	container_archive_walk_here(const struct source *,
	    struct evidence_list *, evidence_walk_cb, void *);
/*
 * A folder's compressed archive (a tar.gz or a .gz: deferred) is not
 * listed in the walk but during the run, by a lister process that reads
 * it once and hands each log out as it reaches it, its bytes in one of
 * the run's slots (memory files of up to ARCHIVE_WHOLE bytes), so that
 * the log's worker never decompresses the archive itself.  The lister
 * calls take() for a free slot's index (waiting for the loader to free
 * one; -1 if none will be), give() back one it did not fill, and
 * send() with each part of the walk's record, with the slot it filled
 * or -1.  The loader makes each part into sources (container_archive_
 * take), and frees a slot when the worker of its log has ended.
 */
#define ARCHIVE_WHOLE		(64 << 20)	/* an entry read whole, up to */
struct archive_lister {
	const int	*slots;		/* the slots' descriptors */
	int		(*take)(void *);
	void		(*give)(int, void *);
	void		(*send)(const void *, size_t, int, void *);
	void		*arg;
};
int	container_archive_deferred(const struct source *);
void	container_archive_list(const struct source *,
	    const struct archive_lister *);
struct archive_taken {
	struct source	 nest[ARCHIVE_DEPTH_MAX];	/* archives open */
	int		 depth;
};
int	container_archive_take(struct archive_taken *, const struct source *,
	    const void *, size_t, int, struct evidence_list *,
	    evidence_walk_cb, void *);
void	container_archive_taken_clear(struct archive_taken *);
/* container-image.c: disk images through libtsk */
struct stat;
void	container_image_all(int);
void	container_image_hash(int);
void	container_image_walk(const char *, const struct stat *,
	    enum evidence_kind, struct evidence_list *, evidence_walk_cb,
	    void *);

/* evtx-read.c: the EVTX reader over libevtx */
extern const struct reader evtx_read_reader;
int	evtx_read_open(const struct source *, int64_t, int64_t,
	    struct evtx_reader **, struct evt_file_info *, char **);
int	evtx_read_records(struct evtx_reader *, int, int, int,
	    evtx_record_cb, evtx_problem_cb, void *);
void	evtx_read_close(struct evtx_reader *);
void	evtx_record_clear(struct evt_record *);
int	evtx_read_probe(const unsigned char *, size_t);
int	evtx_read_parts(const struct source *, int64_t);

/* evtx-fast-read.c: the EVTX reader, evtx-fast.c with libevtx behind */
extern const struct reader evtx_fast_reader;
extern int evtx_libevtx_only;

/* evtx-window.c */
#define EVTX_WINDOW_CHUNKS	1024	/* 64 MB: a worker's share of a file */
int	evtx_window_handle(struct source_stream *, int64_t, int64_t,
	    intptr_t **, char **);
int64_t	evtx_window_chunks(struct source_stream *);
int64_t	evtx_window_log(struct source_stream *, int64_t, int64_t, int *);

/* evtx-fast.c */
struct evtx_fast;
/* A record (index, file offset) or chunk (index -1) left to libevtx. */
typedef void (*evtx_fast_decline_cb)(int, int64_t, const char *, void *);
struct evtx_fast *evtx_fast_create(void);
void	evtx_fast_free(struct evtx_fast *);
int	evtx_fast_chunk(struct evtx_fast *, const unsigned char *, int64_t,
	    int *, evtx_record_cb, evtx_fast_decline_cb, void *);
int	evtx_fast_read_file(struct evtx_fast *, const char *, int64_t,
	    int64_t, evtx_record_cb, evtx_fast_decline_cb, void *, char **);

/* fdr-read.c: CrowdStrike Falcon Data Replicator JSON lines */
extern const struct reader fdr_read_reader;
int	fdr_read_aid_master(const char *, char **);
int	fdr_read_probe_gzip(const unsigned char *, size_t);

/* evtx-xml.c */
int	evtx_xml_parse(const char *, size_t, struct evt_record *, char **);
char	*evtx_xml_time(const char *);

/* xml-read.c: XML exports of events, over expat */
extern const struct reader xml_read_reader;

/* event-norm.c */
int	event_norm_is_process(uint32_t, const char *);
int	event_norm_is_fdr(const char *);
int	event_norm(const struct evt_record *, struct proc_row *);
void	event_norm_clear(struct proc_row *);
const char *event_norm_column(enum proc_col);
char	*event_norm_basename(const char *);
int64_t	 event_norm_pid(const char *);
char	*event_norm_sid(const char *);

/* buf.c */
struct buf {
	unsigned char	*data;
	size_t		 len, size;
};
void	buf_append(struct buf *, const void *, size_t);
void	buf_append_str(struct buf *, const char *);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_json_string(struct buf *, const char *);
void	buf_json_unicode(struct buf *, const char *);
void	buf_append_utf8(struct buf *, uint32_t);
void	*buf_extend(struct buf *, size_t);
char	*buf_take(struct buf *);
void	buf_free(struct buf *);

#endif
