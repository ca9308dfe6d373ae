/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: write real, valid Windows XML Event Log (EVTX) files from a
 * plain-text scenario, large synthetic logs for benchmarks, and damaged
 * logs for robustness tests.  Test helper for evtriage; libc only.
 * This file: main and options, errors, little-endian bytes, the
 * pseudo-random generator, the text arena and time.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtxgen.h"

/* Text arena for one event. */
char	*evtxgen_arena;

size_t	 evtxgen_alen, evtxgen_acap;

void
evtxgen_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("evtxgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}
void
evtxgen_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

void
evtxgen_le32(uint8_t *p, uint32_t v)
{
	evtxgen_le16(p, v & 0xffff);
	evtxgen_le16(p + 2, v >> 16);
}

void
evtxgen_le64(uint8_t *p, uint64_t v)
{
	evtxgen_le32(p, v & 0xffffffffU);
	evtxgen_le32(p + 4, v >> 32);
}

uint32_t
evtxgen_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint64_t
evtxgen_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t
evtxgen_rand(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	return evtxgen_mix(*s);
}

uint64_t
evtxgen_fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;

	while (n-- > 0) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
size_t
evtxgen_astr(const char *s, size_t n)
{
	size_t	off;

	if (evtxgen_alen + n + 1 > evtxgen_acap) {
		while (evtxgen_alen + n + 1 > evtxgen_acap)
			evtxgen_acap = evtxgen_acap ? evtxgen_acap * 2 : 65536;
		if ((evtxgen_arena = realloc(evtxgen_arena,
		    evtxgen_acap)) == NULL)
			evtxgen_die("out of memory");
	}
	off = evtxgen_alen;
	memcpy(evtxgen_arena + off, s, n);
	evtxgen_arena[off + n] = '\0';
	evtxgen_alen += n + 1;
	return off;
}
/* ---- time ------------------------------------------------------------- */

int64_t
evtxgen_days(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
evtxgen_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Parse 2024-03-05T10:00:00[.fffffff][Z] into FILETIME. */
int
evtxgen_parse_time(const char *s, uint64_t *ft)
{
	int		y, mo, d, h, mi, se, n, i;
	uint64_t	frac = 0;
	int64_t		secs;

	n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se,
	    &n) != 6 || n != 19)
		return -1;
	if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 59 || h < 0 || mi < 0 || se < 0)
		return -1;
	s += n;
	if (*s == '.') {
		s++;
		for (i = 0; i < 7 && *s >= '0' && *s <= '9'; i++)
			frac = frac * 10 + (uint64_t)(*s++ - '0');
		if (i == 0)
			return -1;
		for (; i < 7; i++)
			frac *= 10;
	}
	if (*s == 'Z')
		s++;
	if (*s != '\0')
		return -1;
	secs = evtxgen_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	*ft = (uint64_t)(secs * 10000000 + (int64_t)EVTXGEN_EPOCH) + frac;
	return 0;
}

/* fmt 0: 2024-03-05T10:00:00.1234567Z, 1: 2024-03-05 10:00:00.123 */
void
evtxgen_fmt_time(uint64_t ft, int fmt, char *buf, size_t len)
{
	int64_t		t, days, rem;
	uint64_t	frac;
	int		y, m, d;

	t = (int64_t)(ft / 10000000) - (int64_t)(EVTXGEN_EPOCH / 10000000);
	frac = ft % 10000000;
	days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	rem = t - days * 86400;
	evtxgen_civil(days, &y, &m, &d);
	if (fmt == 0)
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%07uZ", y, m,
		    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		    (unsigned)frac);
	else
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03u", y, m,
		    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		    (unsigned)(frac / 10000));
}
/* ---- main ------------------------------------------------------------- */

static void
evtxgen_usage(FILE *fp)
{
	fputs(
"usage: evtxgen [-d] -o OUT.evtx SCENARIO.txt\n"
"       evtxgen -x|-X SCENARIO.txt          print the expected reading\n"
"       evtxgen -n RECORDS -k security|sysmon [-p SHARE] [-s SEED] "
"-o OUT.evtx\n"
"       evtxgen -D KIND -o OUT.evtx [SCENARIO.txt]\n"
"\n"
"  -d  set the dirty flag in the file header\n"
"  -P  put a processing-instruction target (token 0x0a) in each EventID\n"
"  -n  synthetic log of RECORDS events, SHARE (default 0.2 security,\n"
"      0.1 sysmon) of them 4688 / Sysmon 1, the rest noise; -x with -n\n"
"      prints the expected reading instead of writing\n"
"  -D  damaged log: dirty truncated badcrc badheadercrc garbage random\n"
"      hugesizes zero badmagic (built-in events unless SCENARIO given)\n"
"\n"
"Scenario: one event per line, KIND key=value key=\"quoted value\" ...\n"
"  KIND: sysmon1 sysmon3 sysmon5 sysmon11 4688 4689 4624 4634\n"
"  '#' starts a comment line; blank lines are ignored.\n"
"  event keys: time=2024-03-05T10:00:00.1234567Z (default previous+1s,\n"
"    first 2024-03-05T09:00:00Z) computer= version= (4688: 0/1/2)\n"
"    record=N schema=old (sysmon1) pid= tid= userid=SID level= task=\n"
"    opcode= keywords=0xN omit=Field1,Field2\n"
"  other keys are EventData fields by Windows name (Image=, CommandLine=,\n"
"    NewProcessId=0x1a2c ...); +Name=value appends an extra field;\n"
"    omitted fields get defaults (see -x).\n"
"  values: bare, or in double quotes where backslashes are literal and\n"
"    \"\" is a quote; %xNN is byte NN, %u{XXXX} code point U+XXXX, other\n"
"    '%' literal.  UTF-8 in, UTF-16LE out.  Typed fields use the Windows\n"
"    type when canonical (123, 0x1a2c, S-1-5-18, {UPPER-CASE-GUID}),\n"
"    else a string.  Errors: file:line, exit 2.\n"
"  -x output: RECORD<TAB>FIELD<TAB>VALUE, FIELD like EventID, Computer,\n"
"    TimeCreated.SystemTime, Data.Image; \\\\ \\t \\n \\r \\xNN escapes.\n"
"    -X adds a fourth column: the value type (String, UInt32, HexInt64,\n"
"    GUID, SID, FILETIME, ...; Text = literal text in the template).\n",
	    fp);
}

int
main(int argc, char *argv[])
{
	static struct evtxgen_out	 out;
	struct evtxgen_sink		 sk;
	const char			*opath = NULL, *kind = NULL,
					*damage = NULL, *scen;
	char				*end;
	double				 share = -1;
	uint64_t			 n = 0, seed = 1;
	int				 ch, dirty = 0, dump = 0, bulk = 0, i;

	evtxgen_crc_init();
	for (i = 0; i < N_COUNT; i++)
		evtxgen_namehash[i] = evtxgen_name_hash(evtxgen_namestr[i]);
	while ((ch = getopt(argc, argv, "dD:hk:n:o:Pp:s:xX")) != -1) {
		switch (ch) {
		case 'd':
			dirty = 1;
			break;
		case 'D':
			damage = optarg;
			break;
		case 'h':
			evtxgen_usage(stdout);
			return 0;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			errno = 0;
			n = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || *optarg == '-')
				evtxgen_die("bad -n %s", optarg);
			bulk = 1;
			break;
		case 'o':
			opath = optarg;
			break;
		case 'P':
			evtxgen_pi = 1;
			break;
		case 'p':
			share = strtod(optarg, &end);
			if (*end != '\0' || share < 0 || share > 1)
				evtxgen_die("bad -p %s", optarg);
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*end != '\0')
				evtxgen_die("bad -s %s", optarg);
			break;
		case 'X':
			evtxgen_dumptypes = 1;
			/* FALLTHROUGH */
		case 'x':
			dump = 1;
			break;
		default:
			evtxgen_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;

	memset(&sk, 0, sizeof(sk));
	if (damage != NULL) {
		for (i = 0; evtxgen_damages[i] != NULL; i++)
			if (strcmp(evtxgen_damages[i], damage) == 0)
				break;
		if (evtxgen_damages[i] == NULL)
			evtxgen_die("unknown damage kind %s", damage);
		if (opath == NULL || argc > 1 || bulk || dump)
			goto usage;
		evtxgen_out_open(&out, opath, 0);
		sk.out = &out;
		if (argc == 1)
			evtxgen_scenario(argv[0], &sk);
		else
			evtxgen_bulk(600, 0, 0.3, 7, &sk);
		evtxgen_out_close(&out);
		evtxgen_damage(opath, damage);
		return 0;
	}
	if (bulk) {
		if (kind == NULL || argc != 0 || (opath == NULL && !dump) ||
		    (strcmp(kind, "security") != 0 &&
		    strcmp(kind, "sysmon") != 0))
			goto usage;
		if (share < 0)
			share = strcmp(kind, "sysmon") == 0 ? 0.1 : 0.2;
		if (dump)
			sk.dump = stdout;
		else {
			evtxgen_out_open(&out, opath, dirty);
			sk.out = &out;
		}
		evtxgen_bulk(n, strcmp(kind, "sysmon") == 0, share, seed, &sk);
		if (!dump)
			evtxgen_out_close(&out);
		return 0;
	}
	if (argc != 1)
		goto usage;
	scen = argv[0];
	if (dump) {
		sk.dump = stdout;
		evtxgen_scenario(scen, &sk);
		if (fflush(stdout) == EOF)
			evtxgen_die("stdout: %s", strerror(errno));
		return 0;
	}
	if (opath == NULL)
		goto usage;
	/* Check the whole scenario first so an error leaves no file. */
	evtxgen_scenario(scen, &sk);
	evtxgen_out_open(&out, opath, dirty);
	sk.out = &out;
	evtxgen_scenario(scen, &sk);
	evtxgen_out_close(&out);
	return 0;
usage:
	evtxgen_usage(stderr);
	return 2;
}
