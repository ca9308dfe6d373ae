/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Tell what kind of evidence a file is, by its content alone: EVTX, an
 * XML export, a CrowdStrike FDR export (plain or gzip'd), an archive
 * (read through container-archive.c), or a disk image or file system
 * (read through container-image.c).  Nothing may vanish from a run: the
 * walk names and counts what it cannot read.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "triage/xmalloc.h"
#include "parsers.h"

static const char *evidence_identify_names[] = {
	"not evidence evtriage knows",		/* EVIDENCE_OTHER */
	"an EVTX log",				/* EVIDENCE_EVTX */
	"a ZIP archive",
	"a tar archive",
	"a gzip-compressed file",
	"a 7-Zip archive",
	"an EnCase (E01) image",
	"a VHD disk image",
	"a VHDX disk image",
	"a VMDK disk image",
	"a raw disk image (MBR partition table)",
	"a raw disk image (GPT partition table)",
	"an NTFS partition image",
	"an EVTX export as XML",
	"CrowdStrike FDR events (JSON lines)",
	"a FAT or exFAT file system image",
	"a bzip2-compressed file",
	"an xz-compressed file",
	"a zstd-compressed file"
};

_Static_assert(sizeof evidence_identify_names /
    sizeof evidence_identify_names[0] == EVIDENCE_NKINDS,
    "a name for every kind");

const char *
evidence_identify_name(enum evidence_kind kind)
{
	return (evidence_identify_names[kind]);
}

/* Does an MBR at p hold a partition table: sane boot flags, one type? */
static int
evidence_identify_mbr(const unsigned char *p, size_t n)
{
	const unsigned char	*e;
	int			 i, used = 0;

	if (n < 512 || p[510] != 0x55 || p[511] != 0xaa)
		return (0);
	for (i = 0; i < 4; i++) {
		e = p + 446 + 16 * i;
		if (e[0] != 0x00 && e[0] != 0x80)
			return (0);
		if (e[4] != 0)
			used++;
	}
	return (used > 0);
}

/*
 * An XML export (wevtutil qe /f:xml, Event Viewer's "Save as XML",
 * Splunk's XmlWinEventLog): an optional BOM, XML declaration, comments
 * and DOCTYPE, then <Event>, or a root element (<Events>, or what
 * wevtutil's /e: names) whose first child is <Event>.  UTF-16 exports
 * are looked at through their low bytes.  The XML reader probes with it.
 */
int
evidence_identify_xml(const unsigned char *p, size_t n)
{
	char	 s[EVIDENCE_IDENTIFY_HEAD + 1], *q, *end = NULL;
	size_t	 i, len = 0;
	int	 root = 0;

	if (n > EVIDENCE_IDENTIFY_HEAD)
		n = EVIDENCE_IDENTIFY_HEAD;
	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff))) {
		for (i = p[0] == 0xff ? 2 : 3; i < n; i += 2)
			s[len++] = p[i] != 0 ? (char)p[i] : ' ';
	} else {
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
		memcpy(s, p, n);
		len = n;
	}
	s[len] = '\0';
	q = s;
	for (;;) {
		q += strspn(q, " \t\r\n");
		/* end: the '>' that ends what q starts. */
		if (strncmp(q, "<?", 2) == 0)
			end = strstr(q + 2, "?>");
		else if (strncmp(q, "<!--", 4) == 0)
			end = strstr(q + 4, "-->");
		else if (strncmp(q, "<!DOCTYPE", 9) == 0) {
			/* An internal subset may hold '>': skip it whole. */
			end = strpbrk(q, "[>");
			if (end != NULL && *end == '[')
				end = strstr(end, "]");
			if (end != NULL)
				end = strchr(end, '>');
		} else if (strncmp(q, "<Event", 6) == 0 && (q[6] == '>' ||
		    q[6] == ' ' || q[6] == '\t' || q[6] == '\r' ||
		    q[6] == '\n'))
			return (1);
		else if (!root && q[0] == '<' && q[1] != '/' && q[1] != '!') {
			/* <Events> or another root: look at its child. */
			if (strncmp(q, "<Events", 7) == 0 && (q[7] == '>' ||
			    q[7] == ' '))
				return (1);
			end = strchr(q, '>');
			root = 1;
		} else
			return (0);
		if (end == NULL || (end = strchr(end, '>')) == NULL)
			return (0);
		q = end + 1;
	}
}

/* A FAT or exFAT boot sector: a jump, the file system's name, 0x55AA. */
static int
evidence_identify_fat(const unsigned char *p, size_t n)
{
	if (n < 512 || p[510] != 0x55 || p[511] != 0xaa ||
	    (p[0] != 0xeb && p[0] != 0xe9))
		return (0);
	return (memcmp(p + 3, "EXFAT   ", 8) == 0 ||
	    memcmp(p + 54, "FAT12   ", 8) == 0 ||
	    memcmp(p + 54, "FAT16   ", 8) == 0 ||
	    memcmp(p + 82, "FAT32   ", 8) == 0);
}

/* JSON lines whose objects carry Falcon Data Replicator's field. */
int
evidence_identify_fdr(const unsigned char *p, size_t n)
{
	size_t	i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i == n || p[i] != '{')
		return (0);
	return (memmem(p, n, "\"event_simpleName\"", 18) != NULL);
}

/*
 * Identify the source by its first bytes (and its last 512, where a VHD
 * keeps its footer): a container asks of each stream it finds.  0 and
 * *kind set, or -1 and *cause if it cannot be read.
 */
int
evidence_identify(const struct source *src, enum evidence_kind *kind,
    char **cause)
{
	struct source_stream	 st;
	unsigned char		 h[EVIDENCE_IDENTIFY_HEAD], foot[8];
	ssize_t			 r;
	size_t			 n = 0;
	int64_t			 size;

	*kind = EVIDENCE_OTHER;
	if (source_open(src, &st, cause) != 0)
		return (-1);
	while (n < sizeof h) {
		r = source_pread(&st, h + n, sizeof h - n, n);
		if (r == -1) {
			*cause = xstrdup(strerror(errno));
			source_close(&st);
			return (-1);
		}
		if (r == 0)
			break;
		n += r;
	}
	memset(foot, 0, sizeof foot);
	if ((size = source_size(&st)) >= 1024 &&
	    source_pread(&st, foot, sizeof foot, size - 512) != sizeof foot)
		memset(foot, 0, sizeof foot);
	source_close(&st);
	*kind = evidence_identify_buf(h, n, foot);
	return (0);
}

/*
 * The kind of a stream by its first n bytes at h (n at most
 * EVIDENCE_IDENTIFY_HEAD) and, if foot is not NULL, the 8 at 512 before
 * its end (a VHD's footer).
 */
enum evidence_kind
evidence_identify_buf(const unsigned char *h, size_t n,
    const unsigned char *foot)
{
	enum evidence_kind	kind = EVIDENCE_OTHER;

#define AT(off, s) (n >= (off) + sizeof (s) - 1 && \
	memcmp(h + (off), (s), sizeof (s) - 1) == 0)
	if (AT(0, "ElfFile\0"))
		kind = EVIDENCE_EVTX;
	else if (AT(0, "PK\003\004") || AT(0, "PK\005\006") ||
	    AT(0, "PK\007\010"))
		kind = EVIDENCE_ZIP;
	else if (AT(257, "ustar"))
		kind = EVIDENCE_TAR;
	else if (AT(0, "\037\213\010"))
		kind = fdr_read_probe_gzip(h, n) ? EVIDENCE_FDR_JSON :
		    EVIDENCE_GZIP;
	else if (AT(0, "7z\274\257\047\034"))
		kind = EVIDENCE_7Z;
	else if (AT(0, "BZh") && n > 3 && h[3] >= '1' && h[3] <= '9' &&
	    (AT(4, "\061\101\131\046\123\131") ||
	    AT(4, "\027\162\105\070\120\220")))
		kind = EVIDENCE_BZIP2;
	else if (AT(0, "\3757zXZ\0"))
		kind = EVIDENCE_XZ;
	else if (AT(0, "\050\265\057\375"))
		kind = EVIDENCE_ZSTD;
	else if (AT(0, "EVF\011\015\012\377\000") ||
	    AT(0, "EVF2\015\012\201\000"))
		kind = EVIDENCE_E01;
	else if (AT(0, "conectix") ||
	    (foot != NULL && memcmp(foot, "conectix", 8) == 0))
		kind = EVIDENCE_VHD;
	else if (AT(0, "vhdxfile"))
		kind = EVIDENCE_VHDX;
	else if (AT(0, "KDMV") || AT(0, "# Disk DescriptorFile"))
		kind = EVIDENCE_VMDK;
	else if (AT(512, "EFI PART"))
		kind = EVIDENCE_GPT;
	else if (AT(3, "NTFS    "))
		kind = EVIDENCE_NTFS;
	else if (evidence_identify_fat(h, n))
		kind = EVIDENCE_FAT;
	else if (evidence_identify_mbr(h, n))
		kind = EVIDENCE_MBR;
	else if (evidence_identify_xml(h, n))
		kind = EVIDENCE_EVTX_XML;
	else if (evidence_identify_fdr(h, n))
		kind = EVIDENCE_FDR_JSON;
#undef AT
	return (kind);
}

/* Is the kind an archive the archive container reads? */
int
evidence_identify_archive(enum evidence_kind kind)
{
	return (kind == EVIDENCE_ZIP || kind == EVIDENCE_TAR ||
	    kind == EVIDENCE_7Z || evidence_identify_compressed(kind));
}

/*
 * Is the kind a compressed stream: a tar inside it (a tar.gz, tar.xz)
 * or one file (a .gz of a log)?
 */
int
evidence_identify_compressed(enum evidence_kind kind)
{
	return (kind == EVIDENCE_GZIP || kind == EVIDENCE_BZIP2 ||
	    kind == EVIDENCE_XZ || kind == EVIDENCE_ZSTD);
}

/*
 * Is a stream whose head (n bytes at h) names no kind worth reading to
 * its end for a VHD's footer, when it cannot be read at an offset (an
 * archive's entry)?  Only a size a fixed VHD can have (a multiple of
 * 512), named .vhd, or of 1 MiB or more whose first sector is zeros
 * (a disk without a partition table): a registry hive, a database or
 * a log is not read to its end.
 */
int
evidence_identify_foot_wanted(const char *name, const unsigned char *h,
    size_t n, int64_t size)
{
	size_t	len, i;

	if (size < 1024 || size % 512 != 0)
		return (0);
	len = strlen(name);
	if (len > 4 && strcasecmp(name + len - 4, ".vhd") == 0)
		return (1);
	if (size < (1 << 20) || n < 512)
		return (0);
	for (i = 0; i < 512; i++) {
		if (h[i] != 0)
			return (0);
	}
	return (1);
}

/*
 * Keep in foot what len bytes at p, at offset off of a stream of size
 * bytes, hold of the 8 at 512 before its end.
 */
void
evidence_identify_foot(unsigned char *foot, int64_t size, int64_t off,
    const unsigned char *p, size_t len)
{
	int64_t	at = size - 512, i;

	for (i = at > off ? at : off; i < at + 8 && i < off + (int64_t)len;
	    i++)
		foot[i - at] = p[i - off];
}
