/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: CRC-32, chunks (string and template tables, records) and the
 * file header.
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

static uint32_t	evtxgen_crctab[8][256];

void
evtxgen_crc_init(void)
{
	uint32_t	c;
	int		i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		evtxgen_crctab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			evtxgen_crctab[k][i] = (evtxgen_crctab[k - 1][i] >> 8) ^
			    evtxgen_crctab[0][evtxgen_crctab[k - 1][i] & 0xff];
}

/* CRC-32 (IEEE, as zlib), slicing by 8. */
uint32_t
evtxgen_crc32(uint32_t crc, const uint8_t *p, size_t len)
{
	uint32_t	a, b;

	crc = ~crc;
	while (len >= 8) {
		a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		b = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = evtxgen_crctab[7][a & 0xff] ^
		    evtxgen_crctab[6][(a >> 8) & 0xff] ^
		    evtxgen_crctab[5][(a >> 16) & 0xff] ^
		    evtxgen_crctab[4][a >> 24] ^
		    evtxgen_crctab[3][b & 0xff] ^
		    evtxgen_crctab[2][(b >> 8) & 0xff] ^
		    evtxgen_crctab[1][(b >> 16) & 0xff] ^
		    evtxgen_crctab[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = evtxgen_crctab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
/* ---- file and chunk output -------------------------------------------- */

static void
evtxgen_chunk_reset(struct evtxgen_chunk *ch)
{
	memset(ch->buf, 0, sizeof(ch->buf));
	ch->off = EVTXGEN_CHUNK_HDR;
	ch->lastrec = 0;
	ch->nrec = 0;
	memset(ch->nameoff, 0, sizeof(ch->nameoff));
	memset(ch->strhead, 0, sizeof(ch->strhead));
	memset(ch->tplhead, 0, sizeof(ch->tplhead));
	ch->ntpl = 0;
}

static void
evtxgen_chunk_seal(struct evtxgen_chunk *ch)
{
	uint8_t		*b = ch->buf;
	uint32_t	 crc;
	int		 i;

	memcpy(b, "ElfChnk", 8);
	evtxgen_le64(b + 8, ch->first);
	evtxgen_le64(b + 16, ch->last);
	evtxgen_le64(b + 24, ch->first);
	evtxgen_le64(b + 32, ch->last);
	evtxgen_le32(b + 40, 128);
	evtxgen_le32(b + 44, ch->lastrec);
	evtxgen_le32(b + 48, ch->off);
	evtxgen_le32(b + 52, evtxgen_crc32(0, b + EVTXGEN_CHUNK_HDR,
	    ch->off - EVTXGEN_CHUNK_HDR));
	evtxgen_le32(b + 120, 0);
	for (i = 0; i < 64; i++)
		evtxgen_le32(b + 128 + 4 * i, ch->strhead[i]);
	for (i = 0; i < 32; i++)
		evtxgen_le32(b + 384 + 4 * i, ch->tplhead[i]);
	crc = evtxgen_crc32(0, b, 120);
	crc = evtxgen_crc32(crc, b + 128, 384);
	evtxgen_le32(b + 124, crc);
}

static void
evtxgen_flush(struct evtxgen_out *o)
{
	if (o->ch.nrec == 0)
		return;
	evtxgen_chunk_seal(&o->ch);
	if (fwrite(o->ch.buf, EVTXGEN_CHUNK, 1, o->fp) != 1)
		evtxgen_die("%s: write: %s", o->path, strerror(errno));
	o->nchunks++;
	evtxgen_chunk_reset(&o->ch);
}

void
evtxgen_file_header(uint8_t *h, uint64_t nchunks, uint64_t nextid, int flags)
{
	memset(h, 0, EVTXGEN_FILE_HDR);
	memcpy(h, "ElfFile", 8);
	evtxgen_le64(h + 8, 0);
	evtxgen_le64(h + 16, nchunks ? nchunks - 1 : 0);
	evtxgen_le64(h + 24, nextid);
	evtxgen_le32(h + 32, 128);
	evtxgen_le16(h + 36, 1);
	evtxgen_le16(h + 38, 3);
	evtxgen_le16(h + 40, EVTXGEN_FILE_HDR);
	evtxgen_le16(h + 42, nchunks > 0xffff ? 0xffff : (uint16_t)nchunks);
	evtxgen_le32(h + 120, (uint32_t)flags);
	evtxgen_le32(h + 124, evtxgen_crc32(0, h, 120));
}

void
evtxgen_out_open(struct evtxgen_out *o, const char *path, int dirty)
{
	static uint8_t	zero[EVTXGEN_FILE_HDR];

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->dirty = dirty;
	o->nextid = 1;
	if ((o->fp = fopen(path, "w+b")) == NULL)
		evtxgen_die("%s: %s", path, strerror(errno));
	if (fwrite(zero, sizeof(zero), 1, o->fp) != 1)
		evtxgen_die("%s: write: %s", path, strerror(errno));
	evtxgen_chunk_reset(&o->ch);
}

void
evtxgen_out_close(struct evtxgen_out *o)
{
	static uint8_t	h[EVTXGEN_FILE_HDR];

	evtxgen_flush(o);
	evtxgen_file_header(h, o->nchunks, o->nextid, o->dirty ? 1 : 0);
	if (fseek(o->fp, 0, SEEK_SET) == -1 ||
	    fwrite(h, sizeof(h), 1, o->fp) != 1 || fclose(o->fp) == EOF)
		evtxgen_die("%s: write: %s", o->path, strerror(errno));
}

/*
 * Serialise one record at the end of the current chunk.  Returns 0, or -1
 * if it did not fit (the chunk is left as it was).
 */
static int
evtxgen_try_record(struct evtxgen_out *o, const struct evtxgen_event *ev,
    uint64_t key)
{
	static uint8_t		 vbuf[EVTXGEN_CHUNK];
	struct evtxgen_chunk	*ch = &o->ch;
	struct evtxgen_buf	 w, vw;
	struct evtxgen_tctx	 t;
	uint32_t		 savestr[64], savetpl[32], tplid, vlen[S_NSYS +
				     EVTXGEN_MAXF];
	uint8_t			 vtype[S_NSYS + EVTXGEN_MAXF], g[16];
	const char		*sval[S_NSYS + EVTXGEN_MAXF];
	char			 num[32];
	size_t			 start, dsz, before, defpos;
	uint64_t		 gh;
	int			 i, ti, nval, b, newtpl = 0;

	w.b = ch->buf;
	w.pos = ch->off;
	/*
	 * Leave some room at the end of a chunk: libevtx 20181227 silently
	 * skips a last record that ends within a few bytes of the chunk's
	 * end (seen at 0 and 2 bytes; 68 was fine), which python-evtx
	 * reads.  evtriage counts such records from the chunk headers.
	 */
	w.cap = EVTXGEN_CHUNK - 64;
	w.ovf = 0;
	memcpy(savestr, ch->strhead, sizeof(savestr));
	memcpy(savetpl, ch->tplhead, sizeof(savetpl));
	t.ch = ch;
	t.w = &w;
	t.nundo = 0;

	start = w.pos;
	evtxgen_put32(&w, 0x00002a2a);
	evtxgen_put32(&w, 0);
	evtxgen_put64(&w, ev->record);
	evtxgen_put64(&w, ev->ft);
	evtxgen_put8(&w, 0x0f);
	evtxgen_put8(&w, 1);
	evtxgen_put8(&w, 1);
	evtxgen_put8(&w, 0);

	for (ti = 0; ti < ch->ntpl; ti++)
		if (ch->tplkey[ti] == key)
			break;
	evtxgen_put8(&w, 0x0c);
	evtxgen_put8(&w, 0x01);
	if (ti < ch->ntpl) {
		evtxgen_put32(&w, ch->tplid[ti]);
		evtxgen_put32(&w, ch->tploff[ti]);
	} else {
		if (ch->ntpl == EVTXGEN_MAXTPL)
			goto fail;
		/* Template GUID derived from its key; id = first dword. */
		gh = evtxgen_mix(key);
		evtxgen_le64(g, gh);
		evtxgen_le64(g + 8, evtxgen_mix(gh ^ key));
		tplid = evtxgen_rd32(g);
		evtxgen_put32(&w, tplid);
		defpos = w.pos + 4;
		evtxgen_put32(&w, (uint32_t)defpos);
		b = tplid % 32;
		evtxgen_put32(&w, ch->tplhead[b]);
		evtxgen_put(&w, g, 16);
		dsz = w.pos;
		evtxgen_put32(&w, 0);
		before = w.pos;
		evtxgen_template_body(&t, ev);
		evtxgen_patch32(&w, dsz, (uint32_t)(w.pos - before));
		if (w.ovf)
			goto fail;
		ch->tplhead[b] = (uint32_t)defpos;
		ch->tplkey[ch->ntpl] = key;
		ch->tploff[ch->ntpl] = (uint32_t)defpos;
		ch->tplid[ch->ntpl] = tplid;
		ch->ntpl++;
		newtpl = 1;
	}

	/* Substitution values: encode, then descriptors and data. */
	vw.b = vbuf;
	vw.pos = 0;
	vw.cap = sizeof(vbuf);
	vw.ovf = 0;
	nval = S_NSYS + ev->nfield;
	for (i = 0; i < nval; i++) {
		before = vw.pos;
		switch (i) {
		case S_LEVEL:
			evtxgen_put8(&vw, ev->level);
			vtype[i] = T_U8;
			break;
		case S_OPCODE:
			evtxgen_put8(&vw, ev->opcode);
			vtype[i] = T_U8;
			break;
		case S_TASK:
			evtxgen_put16(&vw, ev->task);
			vtype[i] = T_U16;
			break;
		case S_EVENTID:
			evtxgen_put16(&vw, ev->kind->eventid);
			vtype[i] = T_U16;
			break;
		case S_VERSION:
			evtxgen_put8(&vw, (uint8_t)ev->version);
			vtype[i] = T_U8;
			break;
		case S_KEYWORDS:
			evtxgen_put64(&vw, ev->keywords);
			vtype[i] = T_HEX64;
			break;
		case S_TIME:
			evtxgen_put64(&vw, ev->ft);
			vtype[i] = T_FT;
			break;
		case S_RECORDID:
			evtxgen_put64(&vw, ev->record);
			vtype[i] = T_U64;
			break;
		case S_PID:
			evtxgen_put32(&vw, ev->pid);
			vtype[i] = T_U32;
			break;
		case S_TID:
			evtxgen_put32(&vw, ev->tid);
			vtype[i] = T_U32;
			break;
		case S_COMPUTER:
			sval[i] = A(ev->computer);
			vtype[i] = T_STR;
			evtxgen_put_value(&vw, T_STR, sval[i]);
			break;
		case S_USERID:
			sval[i] = A(ev->userid);
			vtype[i] = T_SID;
			evtxgen_put_value(&vw, T_SID, sval[i]);
			break;
		default:
			sval[i] = A(ev->field[i - S_NSYS].voff);
			vtype[i] = (uint8_t)ev->field[i - S_NSYS].type;
			evtxgen_put_value(&vw, vtype[i], sval[i]);
			break;
		}
		vlen[i] = (uint32_t)(vw.pos - before);
		if (vlen[i] > 0xffff) {
			snprintf(num, sizeof(num), "%d", i);
			evtxgen_die("record %llu: value %s longer than 65535 "
			    "bytes", (unsigned long long)ev->record, num);
		}
	}
	if (vw.ovf)
		goto fail;
	evtxgen_put32(&w, (uint32_t)nval);
	for (i = 0; i < nval; i++) {
		evtxgen_put16(&w, (uint16_t)vlen[i]);
		evtxgen_put8(&w, vtype[i]);
		evtxgen_put8(&w, 0);
	}
	evtxgen_put(&w, vbuf, vw.pos);
	evtxgen_put8(&w, 0x00);		/* end of record fragment */
	evtxgen_put32(&w, (uint32_t)(w.pos - start + 4));
	if (w.ovf)
		goto fail;
	evtxgen_le32(ch->buf + start + 4, (uint32_t)(w.pos - start));

	if (ch->nrec == 0)
		ch->first = ev->record;
	ch->last = ev->record;
	ch->lastrec = (uint32_t)start;
	ch->off = (uint32_t)w.pos;
	ch->nrec++;
	return 0;

fail:
	/* Roll back names and templates defined by this record. */
	for (i = 0; i < t.nundo; i++)
		ch->nameoff[t.undo[i]] = 0;
	memcpy(ch->strhead, savestr, sizeof(savestr));
	memcpy(ch->tplhead, savetpl, sizeof(savetpl));
	if (newtpl)
		ch->ntpl--;
	memset(ch->buf + start, 0, EVTXGEN_CHUNK - start);
	return -1;
}

void
evtxgen_write_event(struct evtxgen_out *o, const struct evtxgen_event *ev)
{
	uint64_t	key;

	key = evtxgen_template_key(ev);
	if (evtxgen_try_record(o, ev, key) == -1) {
		evtxgen_flush(o);
		if (evtxgen_try_record(o, ev, key) == -1)
			evtxgen_die("record %llu does not fit in a chunk",
			    (unsigned long long)ev->record);
	}
	o->nrecords++;
	o->nextid = ev->record + 1;
}
