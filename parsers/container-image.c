/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The image container: a disk image (raw or split raw, E01, VHD, VMDK)
 * read through The Sleuth Kit, never mounted and never written.  The
 * walk goes through the volume system (MBR, GPT or none) and each file
 * system in it, and makes a source of every EVTX log it finds there: in
 * Windows/System32/winevt/Logs, or anywhere with container_image_all.
 * A source keeps what a forked worker needs to find the log again (the
 * image, the file system's offset, the MFT entry and attribute).  With
 * container_image_hash, the image's own files are hashed first.  This
 * file is the only includer of libtsk and libewf.
 */

#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libbfio.h>
#include <libewf.h>
#include <nettle/sha2.h>
#include <tsk/libtsk.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define CONTAINER_IMAGE_LOGS	"/Windows/System32/winevt/Logs"
#define CONTAINER_IMAGE_DEPTH	64
#define CONTAINER_IMAGE_TSK	"libtsk.so.19"
#if defined(__SANITIZE_ADDRESS__)
#define CONTAINER_IMAGE_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONTAINER_IMAGE_ASAN	1
#endif
#endif
#define CONTAINER_IMAGE_EWF	"libewf.so.2"
#define CONTAINER_IMAGE_HASH_BLOCK (1024 * 1024)

/*
 * libtsk and libewf are loaded into a link map of their own (dlmopen):
 * libewf and libvhdi carry their own, older copies of libbfio and export
 * them, and in one map the first copy loaded would serve every caller,
 * libevtx included, whose records then fail to read (or libewf's
 * segments fail to open).  Each map resolves its own.
 */
#ifndef LIBEWF_HAVE_BFIO
/* libewf.h declares it only where libewf was built with libbfio's. */
int	libewf_handle_open_file_io_pool(libewf_handle_t *, libbfio_pool_t *,
	    int, libewf_error_t **);
#endif

#ifndef CONTAINER_IMAGE_ASAN
/*
 * libvhdi, which libtsk loads: Debian 12 ships no header for it, and
 * sanitizer builds, which do not look it up, open VHDs through libtsk.
 */
typedef intptr_t	libvhdi_file_t;
typedef intptr_t	libvhdi_error_t;
#define CONTAINER_IMAGE_VHDI_READ	0x01
int	libvhdi_file_initialize(libvhdi_file_t **, libvhdi_error_t **);
int	libvhdi_file_free(libvhdi_file_t **, libvhdi_error_t **);
int	libvhdi_file_open_file_io_handle(libvhdi_file_t *, libbfio_handle_t *,
	    int, libvhdi_error_t **);
int	libvhdi_file_close(libvhdi_file_t *, libvhdi_error_t **);
int	libvhdi_file_get_media_size(libvhdi_file_t *, size64_t *,
	    libvhdi_error_t **);
ssize_t	libvhdi_file_read_buffer_at_offset(libvhdi_file_t *, void *, size_t,
	    off64_t, libvhdi_error_t **);
int	libvhdi_error_free(libvhdi_error_t **);
int	libvhdi_error_backtrace_sprint(libvhdi_error_t *, char *, size_t);

/* libvmdk, the same way. */
typedef intptr_t	libvmdk_handle_t;
typedef intptr_t	libvmdk_extent_descriptor_t;
typedef intptr_t	libvmdk_error_t;
#define CONTAINER_IMAGE_VMDK_READ	0x01
int	libvmdk_handle_initialize(libvmdk_handle_t **, libvmdk_error_t **);
int	libvmdk_handle_free(libvmdk_handle_t **, libvmdk_error_t **);
int	libvmdk_handle_open_file_io_handle(libvmdk_handle_t *,
	    libbfio_handle_t *, int, libvmdk_error_t **);
int	libvmdk_handle_open_extent_data_files_file_io_pool(libvmdk_handle_t *,
	    libbfio_pool_t *, libvmdk_error_t **);
int	libvmdk_handle_close(libvmdk_handle_t *, libvmdk_error_t **);
int	libvmdk_handle_get_number_of_extents(libvmdk_handle_t *, int *,
	    libvmdk_error_t **);
int	libvmdk_handle_get_extent_descriptor(libvmdk_handle_t *, int,
	    libvmdk_extent_descriptor_t **, libvmdk_error_t **);
int	libvmdk_extent_descriptor_free(libvmdk_extent_descriptor_t **,
	    libvmdk_error_t **);
int	libvmdk_extent_descriptor_get_utf8_filename_size(
	    libvmdk_extent_descriptor_t *, size_t *, libvmdk_error_t **);
int	libvmdk_extent_descriptor_get_utf8_filename(
	    libvmdk_extent_descriptor_t *, uint8_t *, size_t,
	    libvmdk_error_t **);
int	libvmdk_handle_get_media_size(libvmdk_handle_t *, size64_t *,
	    libvmdk_error_t **);
ssize_t	libvmdk_handle_read_buffer_at_offset(libvmdk_handle_t *, void *,
	    size_t, off64_t, libvmdk_error_t **);
int	libvmdk_error_free(libvmdk_error_t **);
int	libvmdk_error_backtrace_sprint(libvmdk_error_t *, char *, size_t);

static __typeof__(libbfio_handle_free)	*p_libbfio_handle_free;
static __typeof__(libbfio_handle_initialize)	*p_libbfio_handle_initialize;
static __typeof__(libbfio_pool_append_handle)	*p_libbfio_pool_append_handle;
static __typeof__(libbfio_pool_free)	*p_libbfio_pool_free;
static __typeof__(libbfio_pool_initialize)	*p_libbfio_pool_initialize;
static __typeof__(libvmdk_error_backtrace_sprint)
    *p_libvmdk_error_backtrace_sprint;
static __typeof__(libvmdk_error_free)	*p_libvmdk_error_free;
static __typeof__(libvmdk_extent_descriptor_free)
    *p_libvmdk_extent_descriptor_free;
static __typeof__(libvmdk_extent_descriptor_get_utf8_filename)
    *p_libvmdk_extent_descriptor_get_utf8_filename;
static __typeof__(libvmdk_extent_descriptor_get_utf8_filename_size)
    *p_libvmdk_extent_descriptor_get_utf8_filename_size;
static __typeof__(libvmdk_handle_close)	*p_libvmdk_handle_close;
static __typeof__(libvmdk_handle_free)	*p_libvmdk_handle_free;
static __typeof__(libvmdk_handle_get_extent_descriptor)
    *p_libvmdk_handle_get_extent_descriptor;
static __typeof__(libvmdk_handle_get_media_size)
    *p_libvmdk_handle_get_media_size;
static __typeof__(libvmdk_handle_get_number_of_extents)
    *p_libvmdk_handle_get_number_of_extents;
static __typeof__(libvmdk_handle_initialize)	*p_libvmdk_handle_initialize;
static __typeof__(libvmdk_handle_open_extent_data_files_file_io_pool)
    *p_libvmdk_handle_open_extent_data_files_file_io_pool;
static __typeof__(libvmdk_handle_open_file_io_handle)
    *p_libvmdk_handle_open_file_io_handle;
static __typeof__(libvmdk_handle_read_buffer_at_offset)
    *p_libvmdk_handle_read_buffer_at_offset;
static __typeof__(libbfio_pool_set_handle)	*p_libbfio_pool_set_handle;
static __typeof__(libvhdi_error_free)	*p_libvhdi_error_free;
static __typeof__(libvhdi_error_backtrace_sprint)
    *p_libvhdi_error_backtrace_sprint;
static __typeof__(libvhdi_file_close)	*p_libvhdi_file_close;
static __typeof__(libvhdi_file_free)	*p_libvhdi_file_free;
static __typeof__(libvhdi_file_get_media_size)	*p_libvhdi_file_get_media_size;
static __typeof__(libvhdi_file_initialize)	*p_libvhdi_file_initialize;
static __typeof__(libvhdi_file_open_file_io_handle)
    *p_libvhdi_file_open_file_io_handle;
static __typeof__(libvhdi_file_read_buffer_at_offset)
    *p_libvhdi_file_read_buffer_at_offset;
static __typeof__(libewf_error_free)	*p_libewf_error_free;
static __typeof__(libewf_error_backtrace_sprint)
    *p_libewf_error_backtrace_sprint;
static __typeof__(libewf_glob)	*p_libewf_glob;
static __typeof__(libewf_glob_free)	*p_libewf_glob_free;
static __typeof__(libewf_handle_close)	*p_libewf_handle_close;
static __typeof__(libewf_handle_free)	*p_libewf_handle_free;
static __typeof__(libewf_handle_get_md5_hash)	*p_libewf_handle_get_md5_hash;
static __typeof__(libewf_handle_get_sha1_hash)	*p_libewf_handle_get_sha1_hash;
static __typeof__(libewf_handle_initialize)	*p_libewf_handle_initialize;
static __typeof__(libewf_handle_get_media_size)	*p_libewf_handle_get_media_size;
static __typeof__(libewf_handle_open_file_io_pool)
    *p_libewf_handle_open_file_io_pool;
static __typeof__(libewf_handle_segment_files_corrupted)
    *p_libewf_handle_segment_files_corrupted;
static __typeof__(libewf_handle_get_number_of_checksum_errors)
    *p_libewf_handle_get_number_of_checksum_errors;
static __typeof__(libewf_handle_get_checksum_error)
    *p_libewf_handle_get_checksum_error;
static __typeof__(libewf_handle_read_random)	*p_libewf_handle_read_random;
static __typeof__(tsk_error_get)	*p_tsk_error_get;
static __typeof__(tsk_error_reset)	*p_tsk_error_reset;
static __typeof__(tsk_fs_close)	*p_tsk_fs_close;
static __typeof__(tsk_fs_dir_close)	*p_tsk_fs_dir_close;
static __typeof__(tsk_fs_dir_get)	*p_tsk_fs_dir_get;
static __typeof__(tsk_fs_dir_getsize)	*p_tsk_fs_dir_getsize;
static __typeof__(tsk_fs_dir_open)	*p_tsk_fs_dir_open;
static __typeof__(tsk_fs_dir_walk)	*p_tsk_fs_dir_walk;
static __typeof__(tsk_fs_file_attr_get)	*p_tsk_fs_file_attr_get;
static __typeof__(tsk_fs_file_attr_get_id)	*p_tsk_fs_file_attr_get_id;
static __typeof__(tsk_fs_file_close)	*p_tsk_fs_file_close;
static __typeof__(tsk_fs_file_open_meta)	*p_tsk_fs_file_open_meta;
static __typeof__(tsk_fs_file_read_type)	*p_tsk_fs_file_read_type;
static __typeof__(tsk_fs_open_img)	*p_tsk_fs_open_img;
static __typeof__(tsk_fs_type_toname)	*p_tsk_fs_type_toname;
static __typeof__(tsk_img_close)	*p_tsk_img_close;
static __typeof__(tsk_img_open_external)	*p_tsk_img_open_external;
static __typeof__(tsk_img_open_utf8_sing)	*p_tsk_img_open_utf8_sing;
static __typeof__(tsk_img_read)	*p_tsk_img_read;
static __typeof__(tsk_vs_close)	*p_tsk_vs_close;
static __typeof__(tsk_vs_open)	*p_tsk_vs_open;
static __typeof__(tsk_vs_part_get)	*p_tsk_vs_part_get;
static __typeof__(tsk_vs_type_toname)	*p_tsk_vs_type_toname;

#define CONTAINER_IMAGE_SYM(f) { #f, (void **)&p_##f }
static const struct {
	const char	 *name;
	void		**p;
} container_image_syms[] = {
	CONTAINER_IMAGE_SYM(libbfio_handle_free),
	CONTAINER_IMAGE_SYM(libbfio_handle_initialize),
	CONTAINER_IMAGE_SYM(libbfio_pool_append_handle),
	CONTAINER_IMAGE_SYM(libbfio_pool_free),
	CONTAINER_IMAGE_SYM(libbfio_pool_initialize),
	CONTAINER_IMAGE_SYM(libvmdk_error_backtrace_sprint),
	CONTAINER_IMAGE_SYM(libvmdk_error_free),
	CONTAINER_IMAGE_SYM(libvmdk_extent_descriptor_free),
	CONTAINER_IMAGE_SYM(libvmdk_extent_descriptor_get_utf8_filename),
	CONTAINER_IMAGE_SYM(libvmdk_extent_descriptor_get_utf8_filename_size),
	CONTAINER_IMAGE_SYM(libvmdk_handle_close),
	CONTAINER_IMAGE_SYM(libvmdk_handle_free),
	CONTAINER_IMAGE_SYM(libvmdk_handle_get_extent_descriptor),
	CONTAINER_IMAGE_SYM(libvmdk_handle_get_media_size),
	CONTAINER_IMAGE_SYM(libvmdk_handle_get_number_of_extents),
	CONTAINER_IMAGE_SYM(libvmdk_handle_initialize),
	CONTAINER_IMAGE_SYM(libvmdk_handle_open_extent_data_files_file_io_pool),
	CONTAINER_IMAGE_SYM(libvmdk_handle_open_file_io_handle),
	CONTAINER_IMAGE_SYM(libvmdk_handle_read_buffer_at_offset),
	CONTAINER_IMAGE_SYM(libbfio_pool_set_handle),
	CONTAINER_IMAGE_SYM(libvhdi_error_free),
	CONTAINER_IMAGE_SYM(libvhdi_error_backtrace_sprint),
	CONTAINER_IMAGE_SYM(libvhdi_file_close),
	CONTAINER_IMAGE_SYM(libvhdi_file_free),
	CONTAINER_IMAGE_SYM(libvhdi_file_get_media_size),
	CONTAINER_IMAGE_SYM(libvhdi_file_initialize),
	CONTAINER_IMAGE_SYM(libvhdi_file_open_file_io_handle),
	CONTAINER_IMAGE_SYM(libvhdi_file_read_buffer_at_offset),
	CONTAINER_IMAGE_SYM(libewf_error_free),
	CONTAINER_IMAGE_SYM(libewf_error_backtrace_sprint),
	CONTAINER_IMAGE_SYM(libewf_glob),
	CONTAINER_IMAGE_SYM(libewf_glob_free),
	CONTAINER_IMAGE_SYM(libewf_handle_close),
	CONTAINER_IMAGE_SYM(libewf_handle_free),
	CONTAINER_IMAGE_SYM(libewf_handle_get_md5_hash),
	CONTAINER_IMAGE_SYM(libewf_handle_get_sha1_hash),
	CONTAINER_IMAGE_SYM(libewf_handle_initialize),
	CONTAINER_IMAGE_SYM(libewf_handle_get_media_size),
	CONTAINER_IMAGE_SYM(libewf_handle_open_file_io_pool),
	CONTAINER_IMAGE_SYM(libewf_handle_segment_files_corrupted),
	CONTAINER_IMAGE_SYM(libewf_handle_get_number_of_checksum_errors),
	CONTAINER_IMAGE_SYM(libewf_handle_get_checksum_error),
	CONTAINER_IMAGE_SYM(libewf_handle_read_random),
	CONTAINER_IMAGE_SYM(tsk_error_get),
	CONTAINER_IMAGE_SYM(tsk_error_reset),
	CONTAINER_IMAGE_SYM(tsk_fs_close),
	CONTAINER_IMAGE_SYM(tsk_fs_dir_close),
	CONTAINER_IMAGE_SYM(tsk_fs_dir_get),
	CONTAINER_IMAGE_SYM(tsk_fs_dir_getsize),
	CONTAINER_IMAGE_SYM(tsk_fs_dir_open),
	CONTAINER_IMAGE_SYM(tsk_fs_dir_walk),
	CONTAINER_IMAGE_SYM(tsk_fs_file_attr_get),
	CONTAINER_IMAGE_SYM(tsk_fs_file_attr_get_id),
	CONTAINER_IMAGE_SYM(tsk_fs_file_close),
	CONTAINER_IMAGE_SYM(tsk_fs_file_open_meta),
	CONTAINER_IMAGE_SYM(tsk_fs_file_read_type),
	CONTAINER_IMAGE_SYM(tsk_fs_open_img),
	CONTAINER_IMAGE_SYM(tsk_fs_type_toname),
	CONTAINER_IMAGE_SYM(tsk_img_close),
	CONTAINER_IMAGE_SYM(tsk_img_open_external),
	CONTAINER_IMAGE_SYM(tsk_img_open_utf8_sing),
	CONTAINER_IMAGE_SYM(tsk_img_read),
	CONTAINER_IMAGE_SYM(tsk_vs_close),
	CONTAINER_IMAGE_SYM(tsk_vs_open),
	CONTAINER_IMAGE_SYM(tsk_vs_part_get),
	CONTAINER_IMAGE_SYM(tsk_vs_type_toname)
};
#define libbfio_handle_free p_libbfio_handle_free
#define libbfio_handle_initialize p_libbfio_handle_initialize
#define libbfio_pool_append_handle p_libbfio_pool_append_handle
#define libbfio_pool_free p_libbfio_pool_free
#define libbfio_pool_initialize p_libbfio_pool_initialize
#define libvmdk_error_backtrace_sprint p_libvmdk_error_backtrace_sprint
#define libvmdk_error_free p_libvmdk_error_free
#define libvmdk_extent_descriptor_free p_libvmdk_extent_descriptor_free
#define libvmdk_extent_descriptor_get_utf8_filename \
    p_libvmdk_extent_descriptor_get_utf8_filename
#define libvmdk_extent_descriptor_get_utf8_filename_size \
    p_libvmdk_extent_descriptor_get_utf8_filename_size
#define libvmdk_handle_close p_libvmdk_handle_close
#define libvmdk_handle_free p_libvmdk_handle_free
#define libvmdk_handle_get_extent_descriptor \
    p_libvmdk_handle_get_extent_descriptor
#define libvmdk_handle_get_media_size p_libvmdk_handle_get_media_size
#define libvmdk_handle_get_number_of_extents \
    p_libvmdk_handle_get_number_of_extents
#define libvmdk_handle_initialize p_libvmdk_handle_initialize
#define libvmdk_handle_open_extent_data_files_file_io_pool \
    p_libvmdk_handle_open_extent_data_files_file_io_pool
#define libvmdk_handle_open_file_io_handle p_libvmdk_handle_open_file_io_handle
#define libvmdk_handle_read_buffer_at_offset \
    p_libvmdk_handle_read_buffer_at_offset
#define libbfio_pool_set_handle p_libbfio_pool_set_handle
#define libvhdi_error_free p_libvhdi_error_free
#define libvhdi_error_backtrace_sprint p_libvhdi_error_backtrace_sprint
#define libvhdi_file_close p_libvhdi_file_close
#define libvhdi_file_free p_libvhdi_file_free
#define libvhdi_file_get_media_size p_libvhdi_file_get_media_size
#define libvhdi_file_initialize p_libvhdi_file_initialize
#define libvhdi_file_open_file_io_handle p_libvhdi_file_open_file_io_handle
#define libvhdi_file_read_buffer_at_offset p_libvhdi_file_read_buffer_at_offset
#define libewf_error_free p_libewf_error_free
#define libewf_error_backtrace_sprint p_libewf_error_backtrace_sprint
#define libewf_glob p_libewf_glob
#define libewf_glob_free p_libewf_glob_free
#define libewf_handle_close p_libewf_handle_close
#define libewf_handle_free p_libewf_handle_free
#define libewf_handle_get_md5_hash p_libewf_handle_get_md5_hash
#define libewf_handle_get_sha1_hash p_libewf_handle_get_sha1_hash
#define libewf_handle_initialize p_libewf_handle_initialize
#define libewf_handle_get_media_size p_libewf_handle_get_media_size
#define libewf_handle_open_file_io_pool p_libewf_handle_open_file_io_pool
#define libewf_handle_segment_files_corrupted \
    p_libewf_handle_segment_files_corrupted
#define libewf_handle_get_number_of_checksum_errors \
    p_libewf_handle_get_number_of_checksum_errors
#define libewf_handle_get_checksum_error p_libewf_handle_get_checksum_error
#define libewf_handle_read_random p_libewf_handle_read_random
#define tsk_error_get p_tsk_error_get
#define tsk_error_reset p_tsk_error_reset
#define tsk_fs_close p_tsk_fs_close
#define tsk_fs_dir_close p_tsk_fs_dir_close
#define tsk_fs_dir_get p_tsk_fs_dir_get
#define tsk_fs_dir_getsize p_tsk_fs_dir_getsize
#define tsk_fs_dir_open p_tsk_fs_dir_open
#define tsk_fs_dir_walk p_tsk_fs_dir_walk
#define tsk_fs_file_attr_get p_tsk_fs_file_attr_get
#define tsk_fs_file_attr_get_id p_tsk_fs_file_attr_get_id
#define tsk_fs_file_close p_tsk_fs_file_close
#define tsk_fs_file_open_meta p_tsk_fs_file_open_meta
#define tsk_fs_file_read_type p_tsk_fs_file_read_type
#define tsk_fs_open_img p_tsk_fs_open_img
#define tsk_fs_type_toname p_tsk_fs_type_toname
#define tsk_img_close p_tsk_img_close
#define tsk_img_open_external p_tsk_img_open_external
#define tsk_img_open_utf8_sing p_tsk_img_open_utf8_sing
#define tsk_img_read p_tsk_img_read
#define tsk_vs_close p_tsk_vs_close
#define tsk_vs_open p_tsk_vs_open
#define tsk_vs_part_get p_tsk_vs_part_get
#define tsk_vs_type_toname p_tsk_vs_type_toname

#endif

/* Load libtsk: 0, or -1 and *cause. */
#ifdef CONTAINER_IMAGE_ASAN
/*
 * AddressSanitizer does not follow a second link map: its builds link
 * libtsk, and libewf's copy of libbfio gives way to the system's (E01
 * and VHD images do not open there).
 */
static int
container_image_load(char **cause)
{
	return (0);
}

/*
 * libtsk and the image libraries lose some of what they allocate when a
 * damaged image fails to open; Debian's builds have no frame pointers,
 * so only the library is known.  Not ours to fix, and at exit
 * LeakSanitizer would turn the run's status into its own.
 */
const char	*__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return ("leak:libtsk.so\nleak:libewf.so\nleak:libvhdi.so\n"
	    "leak:libvmdk.so\n");
}

/* And no table of the suppressions used on standard error at exit. */
const char	*__lsan_default_options(void);
const char *
__lsan_default_options(void)
{
	return ("print_suppressions=0");
}
#else
static int
container_image_load(char **cause)
{
	static int	 loaded;
	static char	*failed;
	void		*tsk, *ewf, *lib;
	Lmid_t		 lmid;
	size_t		 i;

	if (loaded) {
		if (failed != NULL && cause != NULL)
			*cause = xstrdup(failed);
		return (failed != NULL ? -1 : 0);
	}
	loaded = 1;
	lmid = LM_ID_NEWLM;
#ifdef HAVE_MIMALLOC
	/* The map gets its own allocator too, or the two heaps collide. */
	if ((lib = dlmopen(lmid, "libmimalloc.so.2", RTLD_NOW |
	    RTLD_LOCAL)) != NULL)
		dlinfo(lib, RTLD_DI_LMID, &lmid);
#endif
	tsk = dlmopen(lmid, CONTAINER_IMAGE_TSK, RTLD_NOW | RTLD_LOCAL);
	if (tsk == NULL || dlinfo(tsk, RTLD_DI_LMID, &lmid) != 0 ||
	    (ewf = dlmopen(lmid, CONTAINER_IMAGE_EWF, RTLD_NOW |
	    RTLD_LOCAL)) == NULL) {
		xasprintf(&failed, "cannot load libtsk: %s", dlerror());
		goto fail;
	}
	for (i = 0; i < sizeof container_image_syms /
	    sizeof container_image_syms[0]; i++) {
		/*
		 * libewf calls the libbfio the map resolves first (not its
		 * own copy: libvhdi's, loaded before it), so its pools and
		 * handles must come from that one too: libtsk's scope.
		 */
		lib = strncmp(container_image_syms[i].name, "libewf", 6) == 0 ?
		    ewf : tsk;
		*container_image_syms[i].p = dlsym(lib,
		    container_image_syms[i].name);
		if (*container_image_syms[i].p == NULL) {
			xasprintf(&failed, "cannot load libtsk: no %s",
			    container_image_syms[i].name);
			goto fail;
		}
	}
	return (0);
fail:
	if (cause != NULL)
		*cause = xstrdup(failed);
	return (-1);
}
#endif

/* source.data: where a log lies in an image. */
struct container_image_desc {
	char		*image;		/* first segment, as walked */
	int		 imgtype;	/* TSK_IMG_TYPE_ENUM */
	int64_t		 offset;	/* of the volume, in bytes */
	int		 store;		/* VSS store, 1 the oldest; -1 live */
	int		 fstype;	/* TSK_FS_TYPE_ENUM */
	uint64_t	 inum;		/* meta address: the MFT entry */
	int		 attr_type;	/* TSK_FS_ATTR_TYPE_ENUM: $DATA */
	int		 attr_id;
	int64_t		 image_size;	/* of the first segment, for changed */
	struct timespec	 mtim, ctim;	/* of the first segment */
};

/* An open log: its file and the attribute that holds its content. */
struct container_image_handle {
	TSK_FS_FILE	*file;
	int		 attr_type;
	int		 attr_id;
	int64_t		 size;
	int		 cached;	/* in container_image_cache */
	TSK_IMG_INFO	*img;		/* its own, if not */
	TSK_FS_INFO	*fs;
};

/*
 * The image and file system a process has open, kept between opens: a
 * worker opens its source twice (hash, then read), and the next source
 * is likely in the same file system.  Only the process that opened
 * them uses them: a forked worker shares the parent's file offsets.
 */
static struct {
	pid_t		 pid;
	char		*image;
	int64_t		 offset;
	int		 fstype;
	TSK_IMG_INFO	*img;
	TSK_FS_INFO	*fs;
	int		 busy;
} container_image_cache;

static int container_image_all_files;
static int container_image_hash_files;

/* Set when a signal stops a hash; the handlers it took the place of. */
static volatile sig_atomic_t	container_image_stopped;
static struct sigaction		container_image_oint, container_image_oterm;

/* Look for logs in the whole file system, not only in the Logs folder. */
void
container_image_all(int all)
{
	container_image_all_files = all;
}

/*
 * Hash each image's files (SHA-256) before it is walked: reading a
 * whole disk costs far more than reading the logs in it, so it is asked
 * for (scan -H).
 */
void
container_image_hash(int hash)
{
	container_image_hash_files = hash;
}

/* A copy of a string libtsk owns (see). */
static char *
container_image_str(const char *s)
{
	char	*p;
	size_t	 n, i;

	if (s == NULL)
		s = "";
	for (n = 0; s[n] != '\0'; n++)
		;
	p = xmalloc(n + 1);
	for (i = 0; i <= n; i++)
		p[i] = s[i];
	return (p);
}

/* libtsk's last error as a cause; it keeps one per thread. */
static char *
container_image_error(const char *what)
{
	char	*e, *cause;
	size_t	 len;

	e = container_image_str(tsk_error_get());
	if (*e == '\0') {
		free(e);
		e = xstrdup("refused by libtsk");
	}
	xasprintf(&cause, "%s: %s", what, e);
	free(e);
	len = strlen(cause);
	while (len > 0 && (cause[len - 1] == '\n' || cause[len - 1] == ' '))
		cause[--len] = '\0';
	tsk_error_reset();
	return (cause);
}

/*
 * An image read through descriptors evtriage opened itself, with
 * O_NOATIME where the system allows (evidence_open): libtsk and libewf
 * would open it by name without, and change its access time.  libtsk
 * sees it as an external image (tsk_img_open_external), whose struct
 * must begin with its own.
 */
struct container_image_ext {
	TSK_IMG_INFO	 info;
	int		 nseg;
	char		**names;	/* of the segments, for libtsk */
	int		*fd;		/* raw: a descriptor a segment */
	int64_t		*end;		/* raw: where each segment ends */
	libewf_handle_t	*ewf;		/* E01: libewf reads our pool */
	libbfio_pool_t	*pool;
#ifndef CONTAINER_IMAGE_ASAN
	libvhdi_file_t	*vhdi;		/* VHD, VHDX: libvhdi reads ours */
	libbfio_handle_t *vhdih;
	libvmdk_handle_t *vmdk;		/* VMDK: libvmdk reads ours */
	libbfio_handle_t *vmdkh;	/* its descriptor; pool: extents */
#endif
};

/* One segment of an E01, for libbfio: opened as evidence is. */
struct container_image_seg {
	char		*path;
	int		 fd;
};

static int
container_image_seg_free(intptr_t **io, libbfio_error_t **error)
{
	struct container_image_seg	*g = (struct container_image_seg *)*io;

	if (g != NULL) {
		if (g->fd != -1)
			close(g->fd);
		free(g->path);
		free(g);
	}
	*io = NULL;
	return (1);
}

static int
container_image_seg_clone(intptr_t **dst, intptr_t *src,
    libbfio_error_t **error)
{
	struct container_image_seg	*g;

	g = xcalloc(1, sizeof *g);
	g->path = xstrdup(((struct container_image_seg *)src)->path);
	g->fd = -1;
	*dst = (intptr_t *)g;
	return (1);
}

static int
container_image_seg_open(intptr_t *io, int flags, libbfio_error_t **error)
{
	struct container_image_seg	*g = (struct container_image_seg *)io;

	if (flags & LIBBFIO_ACCESS_FLAG_WRITE)
		return (-1);
	if (g->fd == -1 && (g->fd = evidence_open(g->path)) == -1)
		return (-1);
	return (1);
}

static int
container_image_seg_close(intptr_t *io, libbfio_error_t **error)
{
	struct container_image_seg	*g = (struct container_image_seg *)io;

	if (g->fd != -1)
		close(g->fd);
	g->fd = -1;
	return (0);
}

static ssize_t
container_image_seg_read(intptr_t *io, uint8_t *buf, size_t len,
    libbfio_error_t **error)
{
	struct container_image_seg	*g = (struct container_image_seg *)io;
	ssize_t				 n;

	do
		n = read(g->fd, buf, len);
	while (n == -1 && errno == EINTR);
	return (n);
}

static ssize_t
container_image_seg_write(intptr_t *io, const uint8_t *buf, size_t len,
    libbfio_error_t **error)
{
	return (-1);
}

static off64_t
container_image_seg_seek(intptr_t *io, off64_t off, int whence,
    libbfio_error_t **error)
{
	return (lseek(((struct container_image_seg *)io)->fd, off, whence));
}

static int
container_image_seg_exists(intptr_t *io, libbfio_error_t **error)
{
	struct stat	sb;

	return (stat(((struct container_image_seg *)io)->path, &sb) == 0);
}

static int
container_image_seg_is_open(intptr_t *io, libbfio_error_t **error)
{
	return (((struct container_image_seg *)io)->fd != -1);
}

static int
container_image_seg_get_size(intptr_t *io, size64_t *size,
    libbfio_error_t **error)
{
	struct container_image_seg	*g = (struct container_image_seg *)io;
	struct stat			 sb;

	if ((g->fd != -1 ? fstat(g->fd, &sb) : stat(g->path, &sb)) != 0)
		return (-1);
	*size = (size64_t)sb.st_size;
	return (1);
}

static ssize_t
container_image_ext_read(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf,
    size_t len)
{
	struct container_image_ext	*x = (struct container_image_ext *)img;
	libewf_error_t			*e = NULL;
	size_t				 done = 0, want;
	int64_t				 start;
	ssize_t				 n;
	int				 i;

	if (off < 0 || off >= img->size)
		return (-1);
	if ((int64_t)len > img->size - off)
		len = img->size - off;
	if (x->ewf != NULL) {
		n = libewf_handle_read_random(x->ewf, buf, len, off, &e);
		if (e != NULL)
			libewf_error_free(&e);
		return (n);
	}
#ifndef CONTAINER_IMAGE_ASAN
	if (x->vmdk != NULL) {
		libvmdk_error_t	*me = NULL;

		n = libvmdk_handle_read_buffer_at_offset(x->vmdk, buf, len,
		    off, &me);
		if (me != NULL)
			libvmdk_error_free(&me);
		return (n);
	}
	if (x->vhdi != NULL) {
		libvhdi_error_t	*ve = NULL;

		n = libvhdi_file_read_buffer_at_offset(x->vhdi, buf, len, off,
		    &ve);
		if (ve != NULL)
			libvhdi_error_free(&ve);
		return (n);
	}
#endif
	for (i = 0; i < x->nseg && done < len; i++) {
		if (off >= x->end[i])
			continue;
		start = i == 0 ? 0 : x->end[i - 1];
		want = len - done;
		if ((int64_t)want > x->end[i] - off)
			want = x->end[i] - off;
		n = pread(x->fd[i], buf + done, want, off - start);
		if (n == -1 && errno == EINTR) {
			i--;
			continue;
		}
		if (n <= 0)
			return (done > 0 ? (ssize_t)done : -1);
		done += n;
		off += n;
		if (off < x->end[i])
			i--;	/* a short read: the rest of this segment */
	}
	return (done);
}

static void
container_image_ext_close(TSK_IMG_INFO *img)
{
	struct container_image_ext	*x = (struct container_image_ext *)img;
	int				 i;

	if (x->ewf != NULL) {
		libewf_handle_close(x->ewf, NULL);
		libewf_handle_free(&x->ewf, NULL);
	}
#ifndef CONTAINER_IMAGE_ASAN
	if (x->vhdi != NULL) {
		libvhdi_file_close(x->vhdi, NULL);
		libvhdi_file_free(&x->vhdi, NULL);
	}
	if (x->vhdih != NULL)
		libbfio_handle_free(&x->vhdih, NULL);
	if (x->vmdk != NULL) {
		libvmdk_handle_close(x->vmdk, NULL);
		libvmdk_handle_free(&x->vmdk, NULL);
	}
	if (x->vmdkh != NULL)
		libbfio_handle_free(&x->vmdkh, NULL);
#endif
	if (x->pool != NULL)
		libbfio_pool_free(&x->pool, NULL);
	for (i = 0; i < x->nseg && x->fd != NULL; i++) {
		if (x->fd[i] != -1)
			close(x->fd[i]);
	}
	for (i = 0; i < x->nseg && x->names != NULL; i++)
		free(x->names[i]);
	free(x->names);
	free(x->fd);
	free(x->end);
	free(x);
}

static void
container_image_ext_imgstat(TSK_IMG_INFO *img, FILE *f)
{
}

/*
 * The next segment's name after s, raw as libtsk finds them: a last
 * extension of digits counts up (disk.001, disk.002), one of letters
 * too (disk.aa, disk.ab); NULL if there is none.
 */
static char *
container_image_next_name(const char *s)
{
	const char	*ext;
	char		*p;
	size_t		 n, i;

	if ((ext = strrchr(s, '.')) == NULL || ext[1] == '\0')
		return (NULL);
	ext++;
	n = strlen(ext);
	if (strspn(ext, "0123456789") != n &&
	    strspn(ext, "abcdefghijklmnopqrstuvwxyz") != n)
		return (NULL);
	p = xstrdup(s);
	for (i = strlen(p); i-- > (size_t)(ext - s);) {
		if (p[i] == '9')
			p[i] = '0';
		else if (p[i] == 'z')
			p[i] = 'a';
		else {
			p[i]++;
			return (p);
		}
	}
	free(p);
	return (NULL);
}

/* Does the name end as the first segment of a raw set does? */
static int
container_image_set_start(const char *s)
{
	const char	*ext;
	size_t		 n;

	if ((ext = strrchr(s, '.')) == NULL || *++ext == '\0')
		return (0);
	n = strlen(ext);
	if (n >= 2 && strspn(ext, "a") == n)
		return (1);
	/* Three digits, as the walk knows later segments by. */
	return (strcmp(ext, "000") == 0 || strcmp(ext, "001") == 0);
}

/* Open a raw image and the segments that follow it: 0, or -1, *cause. */
static int
container_image_ext_raw(struct container_image_ext *x, const char *path,
    char **cause)
{
	struct stat	 sb;
	char		*name, *next;
	off_t		 size;
	int		 fd;

	name = xstrdup(path);
	while (name != NULL) {
		if ((fd = evidence_open(name)) == -1) {
			if (x->nseg > 0 && errno == ENOENT) {
				free(name);	/* the set ends here */
				break;
			}
			xasprintf(cause, "cannot open '%s': %s", name,
			    strerror(errno));
			free(name);
			return (-1);
		}
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
			size = sb.st_size;
		else
			size = lseek(fd, 0, SEEK_END);
		if (size == -1) {
			xasprintf(cause, "cannot read '%s': %s", name,
			    strerror(errno));
			close(fd);
			free(name);
			return (-1);
		}
		x->names = xreallocarray(x->names, x->nseg + 1,
		    sizeof *x->names);
		x->names[x->nseg] = xstrdup(name);
		x->fd = xreallocarray(x->fd, x->nseg + 1, sizeof *x->fd);
		x->end = xreallocarray(x->end, x->nseg + 1, sizeof *x->end);
		x->fd[x->nseg] = fd;
		x->end[x->nseg] = (x->nseg > 0 ? x->end[x->nseg - 1] : 0) +
		    size;
		x->nseg++;
		/*
		 * A set begins at .000, .001 or .aa; a lone file whose
		 * name ends so is not one.
		 */
		next = x->nseg == 1 && !container_image_set_start(name) ? NULL :
		    container_image_next_name(name);
		free(name);
		name = next;
		if (name != NULL && x->nseg == 1 && stat(name, &sb) != 0) {
			free(name);
			name = NULL;
		}
	}
	x->info.size = x->end[x->nseg - 1];
	return (0);
}

/* A cause from an image library's error text, as libtsk words it. */
static char *
container_image_lib_cause(const char *msg)
{
	char	*cause;
	size_t	 len;

	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	xasprintf(&cause, "Error opening image file (%.*s)", (int)len, msg);
	return (cause);
}

/* A libbfio handle over one file, opened as evidence is; NULL if not. */
static libbfio_handle_t *
container_image_seg_handle(const char *path)
{
	struct container_image_seg	*g;
	libbfio_handle_t		*h = NULL;

	g = xcalloc(1, sizeof *g);
	g->path = xstrdup(path);
	g->fd = -1;
	if (libbfio_handle_initialize(&h, (intptr_t *)g,
	    container_image_seg_free, container_image_seg_clone,
	    container_image_seg_open, container_image_seg_close,
	    container_image_seg_read, container_image_seg_write,
	    container_image_seg_seek, container_image_seg_exists,
	    container_image_seg_is_open, container_image_seg_get_size,
	    LIBBFIO_FLAG_IO_HANDLE_MANAGED |
	    LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, NULL) != 1) {
		free(g->path);
		free(g);
		return (NULL);
	}
	return (h);
}

/* Open an E01 set through libbfio handles of ours: 0, or -1, *cause. */
static int
container_image_ext_ewf(struct container_image_ext *x, const char *path,
    char **cause)
{
	libbfio_handle_t		*h;
	libewf_error_t			*e = NULL;
	char				**names = NULL, *one[1], **set;
	char				 msg[2048];
	size64_t			 size;
	int				 n = 0, i, entry;

	/*
	 * libewf finds a set by its names (disk.E01, disk.E02...).  A
	 * segment under another name (seized.bin) was known by its
	 * content: it is read as a set of one, and a set of more segments
	 * is named by libewf as one whose segments are missing.
	 */
	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &names,
	    &n, &e) == 1 && n >= 1)
		set = names;
	else {
		if (e != NULL)
			libewf_error_free(&e);
		if (names != NULL)
			libewf_glob_free(names, n, NULL);
		names = NULL;
		one[0] = (char *)path;
		set = one;
		n = 1;
	}
	/* libbfio closes and reopens handles past the limit. */
	if (libbfio_pool_initialize(&x->pool, 0, 64, NULL) != 1) {
		*cause = xstrdup("libbfio failed");
		goto fail;
	}
	x->names = xcalloc(n, sizeof *x->names);
	for (i = 0; i < n; i++) {
		x->names[i] = xstrdup(set[i]);
		x->nseg = i + 1;
		if ((h = container_image_seg_handle(set[i])) == NULL) {
			*cause = xstrdup("libbfio failed");
			goto fail;
		}
		if (libbfio_pool_append_handle(x->pool, &entry, h,
		    LIBBFIO_OPEN_READ, NULL) != 1) {
			libbfio_handle_free(&h, NULL);
			*cause = xstrdup("libbfio failed");
			goto fail;
		}
	}
	if (libewf_handle_initialize(&x->ewf, &e) != 1) {
		*cause = xstrdup("libewf failed");
		goto fail;
	}
	if (libewf_handle_open_file_io_pool(x->ewf, x->pool, LIBEWF_OPEN_READ,
	    &e) != 1 || libewf_handle_get_media_size(x->ewf, &size,
	    &e) != 1) {
		if (e == NULL || libewf_error_backtrace_sprint(e, msg,
		    sizeof msg) < 1)
			msg[0] = '\0';
		*cause = container_image_lib_cause(msg);
		goto fail;
	}
	x->info.size = (TSK_OFF_T)size;
	if (names != NULL)
		libewf_glob_free(names, n, NULL);
	return (0);

fail:
	if (e != NULL)
		libewf_error_free(&e);
	if (names != NULL)
		libewf_glob_free(names, n, NULL);
	return (-1);
}

/*
 * Open a VHD or VHDX through a libbfio handle of ours (a differencing
 * image's parent is not looked for, as libtsk does not): 0, or -1 and
 * *cause.  The handle is ours to free, once libvhdi is closed.
 */
static int
container_image_ext_vhdi(struct container_image_ext *x, const char *path,
    char **cause)
{
#ifdef CONTAINER_IMAGE_ASAN
	*cause = xstrdup("not in sanitizer builds");
	return (-1);
#else
	libbfio_handle_t	*h;
	libvhdi_error_t		*e = NULL;
	size64_t		 size;
	char			 msg[2048];

	x->names = xcalloc(1, sizeof *x->names);
	x->names[0] = xstrdup(path);
	x->nseg = 1;
	if ((h = container_image_seg_handle(path)) == NULL) {
		*cause = xstrdup("libbfio failed");
		return (-1);
	}
	if (libvhdi_file_initialize(&x->vhdi, &e) != 1) {
		libbfio_handle_free(&h, NULL);
		*cause = xstrdup("libvhdi failed");
		goto fail;
	}
	if (libvhdi_file_open_file_io_handle(x->vhdi, h,
	    CONTAINER_IMAGE_VHDI_READ, &e) != 1) {
		libbfio_handle_free(&h, NULL);
		goto error;
	}
	x->vhdih = h;
	if (libvhdi_file_get_media_size(x->vhdi, &size, &e) != 1)
		goto error;
	x->info.size = (TSK_OFF_T)size;
	return (0);

error:
	if (e == NULL || libvhdi_error_backtrace_sprint(e, msg, sizeof msg) < 1)
		msg[0] = '\0';
	*cause = container_image_lib_cause(msg);
fail:
	if (e != NULL)
		libvhdi_error_free(&e);
	return (-1);
#endif
}

/*
 * Open a VMDK through libbfio handles of ours: its descriptor (a file of
 * its own, or inside a sparse extent), then each extent file it names,
 * looked for beside it as libvmdk does: 0, or -1 and *cause.
 */
static int
container_image_ext_vmdk(struct container_image_ext *x, const char *path,
    char **cause)
{
#ifdef CONTAINER_IMAGE_ASAN
	*cause = xstrdup("not in sanitizer builds");
	return (-1);
#else
	libbfio_handle_t		*h;
	libvmdk_extent_descriptor_t	*d;
	libvmdk_error_t			*e = NULL;
	size64_t			 size;
	size_t				 len, size_n;
	const char			*base;
	char				 msg[2048], *name, *file, head[4];
	int				 n, i, fd, alone;

	/*
	 * A sparse extent that holds its own descriptor (qemu-img's and
	 * VMware's monolithicSparse) names itself in it, by the name it
	 * was made under: a renamed copy is still its one extent.
	 */
	alone = 0;
	if ((fd = evidence_open(path)) != -1) {
		alone = pread(fd, head, sizeof head, 0) ==
		    (ssize_t)sizeof head && memcmp(head, "KDMV", 4) == 0;
		close(fd);
	}
	x->names = xcalloc(1, sizeof *x->names);
	x->names[0] = xstrdup(path);
	x->nseg = 1;
	if ((h = container_image_seg_handle(path)) == NULL) {
		*cause = xstrdup("libbfio failed");
		return (-1);
	}
	if (libvmdk_handle_initialize(&x->vmdk, &e) != 1) {
		libbfio_handle_free(&h, NULL);
		*cause = xstrdup("libvmdk failed");
		goto fail;
	}
	if (libvmdk_handle_open_file_io_handle(x->vmdk, h,
	    CONTAINER_IMAGE_VMDK_READ, &e) != 1) {
		libbfio_handle_free(&h, NULL);
		goto error;
	}
	x->vmdkh = h;
	if (libvmdk_handle_get_number_of_extents(x->vmdk, &n, &e) != 1)
		goto error;
	if (libbfio_pool_initialize(&x->pool, n, 64, NULL) != 1) {
		*cause = xstrdup("libbfio failed");
		goto fail;
	}
	len = (base = strrchr(path, '/')) == NULL ? 0 : base - path + 1;
	for (i = 0; i < n; i++) {
		d = NULL;
		if (libvmdk_handle_get_extent_descriptor(x->vmdk, i, &d,
		    &e) != 1)
			goto error;
		name = NULL;
		if (libvmdk_extent_descriptor_get_utf8_filename_size(d, &size_n,
		    NULL) == 1 && size_n > 1) {
			name = xmalloc(size_n);
			if (libvmdk_extent_descriptor_get_utf8_filename(d,
			    (uint8_t *)name, size_n, NULL) != 1) {
				free(name);
				name = NULL;
			}
		}
		libvmdk_extent_descriptor_free(&d, NULL);
		/* An extent of zeros has no file. */
		if (name == NULL)
			continue;
		base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 :
		    strrchr(name, '\\') != NULL ? strrchr(name, '\\') + 1 :
		    name;
		if (alone && n == 1)
			file = xstrdup(path);
		else
			xasprintf(&file, "%.*s%s", (int)len, path, base);
		free(name);
		if (strcmp(file, path) != 0) {
			x->names = xreallocarray(x->names, x->nseg + 1,
			    sizeof *x->names);
			x->names[x->nseg++] = xstrdup(file);
		}
		h = container_image_seg_handle(file);
		free(file);
		if (h == NULL || libbfio_pool_set_handle(x->pool, i, h,
		    LIBBFIO_OPEN_READ, NULL) != 1) {
			if (h != NULL)
				libbfio_handle_free(&h, NULL);
			*cause = xstrdup("libbfio failed");
			goto fail;
		}
	}
	if (libvmdk_handle_open_extent_data_files_file_io_pool(x->vmdk,
	    x->pool, &e) != 1 ||
	    libvmdk_handle_get_media_size(x->vmdk, &size, &e) != 1)
		goto error;
	x->info.size = (TSK_OFF_T)size;
	return (0);

error:
	if (e == NULL || libvmdk_error_backtrace_sprint(e, msg,
	    sizeof msg) < 1)
		msg[0] = '\0';
	*cause = container_image_lib_cause(msg);
fail:
	if (e != NULL)
		libvmdk_error_free(&e);
	return (-1);
#endif
}

/*
 * Open an image to read: raw, E01, VHD, VHDX and VMDK through
 * descriptors of ours (libtsk and the image libraries would open them
 * by name, without O_NOATIME).  The image, or NULL and *cause, which
 * begins with what.
 */
static TSK_IMG_INFO *
container_image_open_img(const char *path, int imgtype, const char *what,
    char **cause)
{
	struct container_image_ext	*x;
	TSK_IMG_INFO			*img;
	char				*why = NULL;
	int				 r;

	tsk_error_reset();
	if (imgtype != TSK_IMG_TYPE_RAW && imgtype != TSK_IMG_TYPE_EWF_EWF
#ifndef CONTAINER_IMAGE_ASAN
	    && imgtype != TSK_IMG_TYPE_VHD_VHD &&
	    imgtype != TSK_IMG_TYPE_VMDK_VMDK
#endif
	    ) {
		img = tsk_img_open_utf8_sing(path, (TSK_IMG_TYPE_ENUM)imgtype,
		    0);
		if (img == NULL)
			*cause = container_image_error(what);
		return (img);
	}
	x = xcalloc(1, sizeof *x);
	if (imgtype == TSK_IMG_TYPE_RAW)
		r = container_image_ext_raw(x, path, &why);
	else if (imgtype == TSK_IMG_TYPE_EWF_EWF)
		r = container_image_ext_ewf(x, path, &why);
	else if (imgtype == TSK_IMG_TYPE_VHD_VHD)
		r = container_image_ext_vhdi(x, path, &why);
	else
		r = container_image_ext_vmdk(x, path, &why);
	if (r != 0) {
		xasprintf(cause, "%s: %s", what, why);
		free(why);
		container_image_ext_close(&x->info);
		return (NULL);
	}
	img = tsk_img_open_external(x, x->info.size, 512,
	    container_image_ext_read, container_image_ext_close,
	    container_image_ext_imgstat);
	if (img == NULL) {
		*cause = container_image_error(what);
		container_image_ext_close(&x->info);
		return (NULL);
	}
	/*
	 * libtsk's YAFFS2 looks for a file named after the first.  A
	 * VMDK's extent files are not segments (libtsk named it alone).
	 */
	img->num_img = imgtype == TSK_IMG_TYPE_VMDK_VMDK ? 1 : x->nseg;
	img->images = x->names;
	return (img);
}

static void
container_image_cache_drop(void)
{
	if (container_image_cache.pid == getpid()) {
		if (container_image_cache.fs != NULL)
			tsk_fs_close(container_image_cache.fs);
		if (container_image_cache.img != NULL)
			tsk_img_close(container_image_cache.img);
	}
	free(container_image_cache.image);
	memset(&container_image_cache, 0, sizeof container_image_cache);
}

/*
 * Open the image and file system a source lies in: 0, or -1 and *cause.
 * Only the live volume is read (store -1); a VSS store would be opened
 * here as container_image_volume describes, and join the cache's key.
 */
static int
container_image_open_fs(const struct container_image_desc *d,
    TSK_IMG_INFO **img, TSK_FS_INFO **fs, char **cause)
{
	if ((*img = container_image_open_img(d->image, d->imgtype,
	    "cannot open image", cause)) == NULL)
		return (-1);
	*fs = tsk_fs_open_img(*img, d->offset, (TSK_FS_TYPE_ENUM)d->fstype);
	if (*fs == NULL) {
		*cause = container_image_error("cannot open file system");
		tsk_img_close(*img);
		*img = NULL;
		return (-1);
	}
	return (0);
}

static int
container_image_open(const struct source *src, void **hp, char **cause)
{
	const struct container_image_desc	*d = src->data;
	struct container_image_handle		*h;
	const TSK_FS_ATTR			*attr;
	TSK_FS_INFO				*fs;
	TSK_FS_FILE				*file;

	if (container_image_load(cause) != 0)
		return (-1);
	h = xcalloc(1, sizeof *h);
	/* What a forked worker inherited is its parent's: forget it. */
	if (container_image_cache.pid != getpid()) {
		free(container_image_cache.image);
		memset(&container_image_cache, 0,
		    sizeof container_image_cache);
	}
	if (container_image_cache.busy) {
		/* A second stream at once gets an image of its own. */
		if (container_image_open_fs(d, &h->img, &h->fs, cause) != 0)
			goto fail;
		fs = h->fs;
	} else {
		if (container_image_cache.image == NULL ||
		    strcmp(container_image_cache.image, d->image) != 0 ||
		    container_image_cache.offset != d->offset ||
		    container_image_cache.fstype != d->fstype) {
			container_image_cache_drop();
			if (container_image_open_fs(d,
			    &container_image_cache.img,
			    &container_image_cache.fs, cause) != 0)
				goto fail;
			container_image_cache.pid = getpid();
			container_image_cache.image = xstrdup(d->image);
			container_image_cache.offset = d->offset;
			container_image_cache.fstype = d->fstype;
		}
		fs = container_image_cache.fs;
		h->cached = 1;
	}
	tsk_error_reset();
	if ((file = tsk_fs_file_open_meta(fs, NULL, (TSK_INUM_T)d->inum)) ==
	    NULL) {
		*cause = container_image_error("cannot open file");
		goto fail;
	}
	if ((attr = tsk_fs_file_attr_get_id(file, (uint16_t)d->attr_id)) ==
	    NULL) {
		*cause = container_image_error("cannot find its data");
		tsk_fs_file_close(file);
		goto fail;
	}
	h->file = file;
	h->attr_type = d->attr_type;
	h->attr_id = d->attr_id;
	h->size = attr->size;
	if (h->cached)
		container_image_cache.busy = 1;
	*hp = h;
	return (0);

fail:
	if (h->fs != NULL)
		tsk_fs_close(h->fs);
	if (h->img != NULL)
		tsk_img_close(h->img);
	free(h);
	return (-1);
}

static ssize_t
container_image_pread(void *hp, void *buf, size_t len, int64_t off)
{
	struct container_image_handle	*h = hp;
	ssize_t				 n;

	if (off < 0) {
		errno = EINVAL;
		return (-1);
	}
	if (off >= h->size || len == 0)
		return (0);
	if ((int64_t)len > h->size - off)
		len = h->size - off;
	n = tsk_fs_file_read_type(h->file, (TSK_FS_ATTR_TYPE_ENUM)h->attr_type,
	    (uint16_t)h->attr_id, off, buf, len, TSK_FS_FILE_READ_FLAG_NONE);
	if (n == -1) {
		tsk_error_reset();
		errno = EIO;
	}
	return (n);
}

static int64_t
container_image_size(void *hp)
{
	return (((struct container_image_handle *)hp)->size);
}

static void
container_image_close(void *hp)
{
	struct container_image_handle	*h = hp;

	tsk_fs_file_close(h->file);
	if (h->cached)
		container_image_cache.busy = 0;
	if (h->fs != NULL)
		tsk_fs_close(h->fs);
	if (h->img != NULL)
		tsk_img_close(h->img);
	free(h);
}

/* Did the image change since the walk: its first segment's size, times? */
static int
container_image_changed(const struct source *src)
{
	const struct container_image_desc	*d = src->data;
	struct stat				 sb;

	if (stat(d->image, &sb) != 0)
		return (1);
	return (sb.st_size != d->image_size ||
	    sb.st_mtim.tv_sec != d->mtim.tv_sec ||
	    sb.st_mtim.tv_nsec != d->mtim.tv_nsec ||
	    sb.st_ctim.tv_sec != d->ctim.tv_sec ||
	    sb.st_ctim.tv_nsec != d->ctim.tv_nsec);
}

static void
container_image_clear(void *data)
{
	struct container_image_desc	*d = data;

	free(d->image);
	free(d);
}

/* A deep copy of the description, for a source made from this one. */
static void *
container_image_copy(const void *data)
{
	const struct container_image_desc	*d = data;
	struct container_image_desc		*c;

	c = xmalloc(sizeof *c);
	*c = *d;
	c->image = xstrdup(d->image);
	return (c);
}

static const struct container container_image_container = {
	"image",
	container_image_open,
	container_image_pread,
	container_image_size,
	container_image_close,
	container_image_changed,
	container_image_clear,
	container_image_copy,
	0
};

/* The walk of one image. */
struct container_image_walk {
	struct evidence_list	*list;
	evidence_walk_cb	 cb;
	void			*arg;
	const char		*path;		/* the image, as walked */
	const struct stat	*sb;
	int			 imgtype;
	char			*image_link;	/* JSON objects of the chain */
	char			*part_link;
	char			*prefix;	/* of display paths: "d:p2:" */
	TSK_FS_INFO		*fs;
	int64_t			 offset;
	int			 store;		/* VSS store; -1: the live one */
	uint64_t		*seen;		/* meta addresses in this fs */
	size_t			 nseen;
	size_t			 found;
	int			 nfs;		/* file systems opened */
	int			 nfailed;	/* failures reported */
};

static void
container_image_report(struct container_image_walk *w, const char *path,
    const char *why, enum evidence_walk_what what)
{
	switch (what) {
	case EVIDENCE_WALK_SKIPPED:
		w->list->skipped++;
		break;
	case EVIDENCE_WALK_FAILED:
		w->list->failed++;
		w->nfailed++;
		break;
	case EVIDENCE_WALK_UNSUPPORTED:
		w->list->unsupported++;
		break;
	case EVIDENCE_WALK_NOT_EVTX:
		w->list->notevtx++;
		break;
	case EVIDENCE_WALK_AGAIN:
		break;
	}
	if (w->cb != NULL)
		w->cb(path, why, what, w->arg);
}

/* A time of the file system as ISO-8601 UTC, with 100 ns. */
static void
container_image_time(struct buf *b, const char *key, time_t t,
    uint32_t nano)
{
	struct tm	tm;
	char		s[64];

	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		return;
	if (strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return;
	buf_printf(b, ",\"%s\":\"%s.%07uZ\"", key, s,
	    (unsigned)(nano % 1000000000) / 100);
}

static int
container_image_seen(struct container_image_walk *w, uint64_t inum)
{
	size_t	i;

	for (i = 0; i < w->nseen; i++) {
		if (w->seen[i] == inum)
			return (1);
	}
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof *w->seen);
	w->seen[w->nseen++] = inum;
	return (0);
}

/*
 * Look at one file of the file system: a source if it is an EVTX log.
 * dir is its folder's path, "/" or "/Windows/...".
 */
static void
container_image_file(struct container_image_walk *w, TSK_FS_FILE *file,
    const char *dir)
{
	TSK_FS_META		*m = file->meta;
	TSK_FS_NAME		*n = file->name;
	TSK_FS_FILE		*own = NULL;
	char			*name, *fstype;
	const TSK_FS_ATTR	*attr;
	struct evidence_list	*l = w->list;
	struct container_image_desc *d;
	struct source		*src;
	struct buf		 b;
	const struct reader	*reader;
	enum evidence_kind	 kind;
	unsigned char		 head[EVIDENCE_IDENTIFY_HEAD];
	char			*fspath, *display, *why;
	size_t			 len, want;
	ssize_t			 got;
	int			 deleted, named;

	if (n == NULL || n->name == NULL)
		return;
	name = container_image_str(n->name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		free(name);
		return;
	}
	evidence_walk_looked();
	/*
	 * A name whose entry libtsk did not join to it: on NTFS, an entry
	 * marked free with its runs still there (libtsk counts its
	 * sequence one back).  Its own entry says whether it is a file
	 * deleted or one reused.
	 */
	if (m == NULL || (TSK_FS_TYPE_ISNTFS(w->fs->ftype) &&
	    n->meta_seq != m->seq)) {
		if (n->type != TSK_FS_NAME_TYPE_REG &&
		    n->type != TSK_FS_NAME_TYPE_UNDEF)
			goto done;
		tsk_error_reset();
		own = tsk_fs_file_open_meta(w->fs, NULL, n->meta_addr);
		if (own == NULL || own->meta == NULL ||
		    !(own->meta->flags & TSK_FS_META_FLAG_UNALLOC) ||
		    (TSK_FS_TYPE_ISNTFS(w->fs->ftype) &&
		    own->meta->seq != n->meta_seq &&
		    own->meta->seq + 1 != n->meta_seq)) {
			tsk_error_reset();
			goto done;
		}
		file = own;
		m = own->meta;
	}
	/* A deleted name whose entry now holds another file. */
	if (m->type != TSK_FS_META_TYPE_REG ||
	    ((n->flags & TSK_FS_NAME_FLAG_UNALLOC) &&
	    (m->flags & TSK_FS_META_FLAG_ALLOC)))
		goto done;
	deleted = (n->flags & TSK_FS_NAME_FLAG_UNALLOC) ||
	    (m->flags & TSK_FS_META_FLAG_UNALLOC);
	len = strlen(name);
	named = len > 5 && strcasecmp(name + len - 5, ".evtx") == 0;
	if (strcmp(dir, "/") == 0)
		xasprintf(&fspath, "/%s", name);
	else
		xasprintf(&fspath, "%s/%s", dir, name);
	xasprintf(&display, "%s%s", w->prefix, fspath);

	tsk_error_reset();
	if ((attr = tsk_fs_file_attr_get(file)) == NULL) {
		tsk_error_reset();
		if (named && !deleted)
			container_image_report(w, display, "no data",
			    EVIDENCE_WALK_NOT_EVTX);
		goto out;
	}
	/*
	 * Known by its content, as the folder walk knows a file: a log
	 * any reader reads (an EVTX log, an XML or FDR export).  Archives
	 * and images inside the image are not looked into.
	 */
	want = attr->size < (TSK_OFF_T)sizeof head ? (size_t)attr->size :
	    sizeof head;
	if (want < 8)
		got = 0;
	else
		got = tsk_fs_file_read_type(file, attr->type, attr->id, 0,
		    (char *)head, want, TSK_FS_FILE_READ_FLAG_NONE);
	kind = got > 0 ? evidence_identify_buf(head, got, NULL) :
	    EVIDENCE_OTHER;
	reader = kind == EVIDENCE_OTHER ? NULL : reader_find(kind);
	if (reader == NULL) {
		why = got == -1 ? container_image_error("cannot read it") :
		    xstrdup("no EVTX signature");
		tsk_error_reset();
		/* A deleted file's clusters may hold another's by now. */
		if (deleted)
			log_info("skipped deleted '%s': %s", display, why);
		else if (got == -1 && !named && container_image_all_files)
			log_info("skipped '%s': %s", display, why);
		else if (got == -1)
			container_image_report(w, display, why,
			    EVIDENCE_WALK_FAILED);
		else if (named)
			container_image_report(w, display, why,
			    EVIDENCE_WALK_NOT_EVTX);
		free(why);
		goto out;
	}
	if (container_image_seen(w, m->addr))
		goto out;

	d = xcalloc(1, sizeof *d);
	d->image = xstrdup(w->path);
	d->imgtype = w->imgtype;
	d->offset = w->offset;
	d->store = w->store;
	d->fstype = w->fs->ftype;
	d->inum = m->addr;
	d->attr_type = attr->type;
	d->attr_id = attr->id;
	d->image_size = w->sb->st_size;
	d->mtim = w->sb->st_mtim;
	d->ctim = w->sb->st_ctim;

	memset(&b, 0, sizeof b);
	buf_printf(&b, "[%s,%s,{\"container\":\"fs\",\"type\":",
	    w->image_link, w->part_link);
	fstype = container_image_str(tsk_fs_type_toname(w->fs->ftype));
	buf_json_string(&b, fstype);
	free(fstype);
	buf_append_str(&b, ",\"path\":");
	buf_json_string(&b, fspath);
	if (TSK_FS_TYPE_ISNTFS(w->fs->ftype))
		buf_printf(&b, ",\"inode\":\"%llu-%u\"",
		    (unsigned long long)m->addr, (unsigned)m->seq);
	else
		buf_printf(&b, ",\"inode\":\"%llu\"",
		    (unsigned long long)m->addr);
	buf_printf(&b, ",\"deleted\":%s", deleted ? "true" : "false");
	container_image_time(&b, "mtime", m->mtime, m->mtime_nano);
	container_image_time(&b, "atime", m->atime, m->atime_nano);
	container_image_time(&b, "ctime", m->ctime, m->ctime_nano);
	container_image_time(&b, "crtime", m->crtime, m->crtime_nano);
	buf_append_str(&b, "}]");

	l->sources = xreallocarray(l->sources, l->nsources + 1,
	    sizeof *l->sources);
	src = &l->sources[l->nsources++];
	memset(src, 0, sizeof *src);
	src->container = &container_image_container;
	src->reader = reader;
	src->kind = kind;
	src->path = display;
	src->provenance = buf_take(&b);
	src->data = d;
	src->size = attr->size;
	src->mtime = m->mtime;
	src->mtim = w->sb->st_mtim;
	src->ctim = w->sb->st_ctim;
	w->found++;
	if (kind == EVIDENCE_EVTX)
		log_info("'%s': EVTX log in the image, entry %llu%s", display,
		    (unsigned long long)m->addr, deleted ? ", deleted" : "");
	else
		log_info("'%s': %s in the image, entry %llu%s", display,
		    evidence_identify_name(kind), (unsigned long long)m->addr,
		    deleted ? ", deleted" : "");
	log_debug("%s: '%s': %s", __func__, display, src->provenance);
	display = NULL;
out:
	free(display);
	free(fspath);
done:
	if (own != NULL)
		tsk_fs_file_close(own);
	free(name);
}

static TSK_WALK_RET_ENUM
container_image_walk_cb(TSK_FS_FILE *file, const char *path, void *arg)
{
	struct container_image_walk	*w = arg;
	char				*p, *dir;
	size_t				 len;

	/* libtsk gives the folder as "Windows/System32/" or "". */
	p = container_image_str(path);
	len = strlen(p);
	while (len > 0 && p[len - 1] == '/')
		len--;
	xasprintf(&dir, "/%.*s", (int)len, p);
	container_image_file(w, file, dir);
	free(dir);
	free(p);
	return (TSK_WALK_CONT);
}

/* Find the logs in the file system open at w->fs. */
static void
container_image_fs(struct container_image_walk *w)
{
	TSK_FS_DIR	*dir;
	TSK_FS_FILE	*file;
	size_t		 i, n;
	char		*why;

	tsk_error_reset();
	if (container_image_all_files) {
		if (tsk_fs_dir_walk(w->fs, w->fs->root_inum,
		    TSK_FS_DIR_WALK_FLAG_RECURSE | TSK_FS_DIR_WALK_FLAG_ALLOC |
		    TSK_FS_DIR_WALK_FLAG_UNALLOC, container_image_walk_cb,
		    w) != 0) {
			why = container_image_error("file system damaged");
			container_image_report(w, w->prefix, why,
			    EVIDENCE_WALK_FAILED);
			free(why);
		}
		return;
	}
	/* libtsk compares NTFS and FAT names without case. */
	if ((dir = tsk_fs_dir_open(w->fs, CONTAINER_IMAGE_LOGS)) == NULL) {
		tsk_error_reset();
		log_info("'%s': no folder %s", w->prefix, CONTAINER_IMAGE_LOGS);
		return;
	}
	n = tsk_fs_dir_getsize(dir);
	for (i = 0; i < n; i++) {
		if ((file = tsk_fs_dir_get(dir, i)) == NULL) {
			tsk_error_reset();
			continue;
		}
		container_image_file(w, file, CONTAINER_IMAGE_LOGS);
		tsk_fs_file_close(file);
	}
	tsk_fs_dir_close(dir);
}

/*
 * Does the volume at off look like a file system evtriage expects
 * (NTFS, FAT, exFAT), so that libtsk's refusal of it is damage and not
 * a partition of another kind (swap, Microsoft reserved)?
 */
static int
container_image_expects_fs(TSK_IMG_INFO *img, int64_t off)
{
	char	s[512];

	if (tsk_img_read(img, off, s, sizeof s) != (ssize_t)sizeof s) {
		tsk_error_reset();
		return (0);
	}
	return (memcmp(s + 3, "NTFS    ", 8) == 0 ||
	    memcmp(s + 3, "EXFAT   ", 8) == 0 ||
	    memcmp(s + 54, "FAT", 3) == 0 || memcmp(s + 82, "FAT32", 5) == 0);
}

/* Open the file system of one volume, and find its logs. */
static void
container_image_volume(struct container_image_walk *w, TSK_IMG_INFO *img,
    int index, int64_t off, int64_t len, const char *scheme,
    const char *desc)
{
	struct buf	 b;
	char		*why, *fstype;

	free(w->prefix);
	if (index == 0)
		xasprintf(&w->prefix, "%s:", w->path);
	else
		xasprintf(&w->prefix, "%s:p%d:", w->path, index);
	evidence_walk_part(index, off, desc, NULL);
	if (index > 0 && (off >= img->size ||
	    (len > 0 && len > img->size - off))) {
		xasprintf(&why, "partition %d lies past the end of the image "
		    "(%lld bytes from %lld, of %lld)", index, (long long)len,
		    (long long)off, (long long)img->size);
		container_image_report(w, w->path, why, EVIDENCE_WALK_FAILED);
		free(why);
		/* Read what lies inside all the same. */
		if (off >= img->size)
			return;
	}
	memset(&b, 0, sizeof b);
	buf_printf(&b, "{\"container\":\"partition\",\"index\":%d,"
	    "\"offset\":%lld,\"scheme\":", index, (long long)off);
	buf_json_string(&b, scheme);
	buf_append_str(&b, ",\"description\":");
	buf_json_string(&b, desc != NULL ? desc : "");
	buf_append_str(&b, "}");
	free(w->part_link);
	w->part_link = buf_take(&b);

	tsk_error_reset();
	w->fs = tsk_fs_open_img(img, off, TSK_FS_TYPE_DETECT);
	if (w->fs == NULL) {
		if (container_image_expects_fs(img, off)) {
			why = container_image_error("file system damaged");
			container_image_report(w, w->prefix, why,
			    EVIDENCE_WALK_FAILED);
			free(why);
		} else {
			tsk_error_reset();
			log_info("'%s': %s, no file system evtriage reads",
			    w->prefix, desc != NULL && *desc != '\0' ? desc :
			    "a volume");
		}
		return;
	}
	w->nfs++;
	fstype = container_image_str(tsk_fs_type_toname(w->fs->ftype));
	log_info("'%s': %s file system at byte %lld (%s)", w->prefix,
	    fstype, (long long)off, desc != NULL ? desc : "whole image");
	evidence_walk_part(index, off, NULL, fstype);
	free(fstype);
	w->offset = off;
	free(w->seen);
	w->seen = NULL;
	w->nseen = 0;
	container_image_fs(w);
	evidence_walk_part(index, off, NULL, NULL);	/* all looked at */
	tsk_fs_close(w->fs);
	w->fs = NULL;
	/*
	 * Volume Shadow Copies are not read yet (issue #12: not until a
	 * fixture made from a real Windows volume can test them).  Here
	 * each store of an NTFS volume would be opened with libvshadow over
	 * the image from off, oldest first, and walked as the live volume
	 * is: w->store set to the store's number (libvshadow's index + 1,
	 * as vshadowinfo and vshadowmount number them), the prefix
	 * "d:p2:vss3:", a {"container":"vss","store":3} link between the
	 * partition and fs links, and the file system opened on an
	 * external image that reads the store.
	 */
}

/*
 * An MBR libtsk refused (an entry past the end, overlapping ones): each
 * primary entry as it stands, so that what lies inside is still read.
 */
static void
container_image_mbr(struct container_image_walk *w, TSK_IMG_INFO *img)
{
	unsigned char	 s[512], *e;
	char		*desc;
	int64_t		 start, len;
	int		 i;

	if (tsk_img_read(img, 0, (char *)s, sizeof s) != (ssize_t)sizeof s) {
		tsk_error_reset();
		return;
	}
	for (i = 0; i < 4; i++) {
		e = s + 446 + 16 * i;
		/* Empty, and extended (its table is not walked here). */
		if (e[4] == 0x00 || e[4] == 0x05 || e[4] == 0x0f ||
		    e[4] == 0x85)
			continue;
		start = (int64_t)(e[8] | e[9] << 8 | e[10] << 16 |
		    (uint32_t)e[11] << 24) * 512;
		len = (int64_t)(e[12] | e[13] << 8 | e[14] << 16 |
		    (uint32_t)e[15] << 24) * 512;
		xasprintf(&desc, "MBR entry %d, type 0x%02x", i + 1, e[4]);
		container_image_volume(w, img, i + 1, start, len, "mbr", desc);
		free(desc);
	}
}

/* The image's own MD5 and SHA-1, where an E01 stores them. */
static void
container_image_ewf_hashes(TSK_IMG_INFO *img, struct buf *b)
{
	struct container_image_ext	*x = (struct container_image_ext *)img;
	libewf_error_t			*e = NULL;
	uint8_t				 md5[16], sha1[20];
	int				 i;

	if (x->ewf == NULL)
		return;
	if (libewf_handle_get_md5_hash(x->ewf, md5, sizeof md5, &e) == 1) {
		buf_append_str(b, ",\"md5\":\"");
		for (i = 0; i < 16; i++)
			buf_printf(b, "%02x", md5[i]);
		buf_append_str(b, "\"");
	}
	if (e != NULL)
		libewf_error_free(&e);
	if (libewf_handle_get_sha1_hash(x->ewf, sha1, sizeof sha1, &e) == 1) {
		buf_append_str(b, ",\"sha1\":\"");
		for (i = 0; i < 20; i++)
			buf_printf(b, "%02x", sha1[i]);
		buf_append_str(b, "\"");
	}
	if (e != NULL)
		libewf_error_free(&e);
}

/*
 * Does the E01 set lack segments, or are they damaged?  libewf opens
 * what there is, and the missing part of the image reads as zeros.
 */
static int
container_image_ewf_incomplete(TSK_IMG_INFO *img)
{
	struct container_image_ext	*x = (struct container_image_ext *)img;
	libewf_error_t			*e = NULL;
	int				 r;

	if (x->ewf == NULL)
		return (0);
	r = libewf_handle_segment_files_corrupted(x->ewf, &e);
	if (e != NULL)
		libewf_error_free(&e);
	return (r == 1);
}

/*
 * The chunks of an E01 whose checksum failed in what the walk read: a
 * cause naming them, or NULL.  libewf reads such a chunk as zeros and
 * says so only in this list; a worker's reads of one are caught by the
 * EVTX checksums, or not at all in an export.
 */
static char *
container_image_ewf_damage(TSK_IMG_INFO *img)
{
	struct container_image_ext	*x = (struct container_image_ext *)img;
	libewf_error_t			*e = NULL;
	uint64_t			 start, count;
	uint32_t			 n;
	char				*why;

	if (x->ewf == NULL)
		return (NULL);
	if (libewf_handle_get_number_of_checksum_errors(x->ewf, &n, &e) != 1 ||
	    n == 0 || libewf_handle_get_checksum_error(x->ewf, 0, &start,
	    &count, &e) != 1) {
		if (e != NULL)
			libewf_error_free(&e);
		return (NULL);
	}
	xasprintf(&why, "checksum errors in %u range%s of sectors (the "
	    "first: %llu sectors at %llu), read as zeros", (unsigned)n,
	    n == 1 ? "" : "s", (unsigned long long)count,
	    (unsigned long long)start);
	return (why);
}

/*
 * The files an open image lies in, in order (borrowed): the segments of
 * a raw or E01 set, a VHD, a VMDK's descriptor and then its extents.
 */
static char **
container_image_files(TSK_IMG_INFO *img, int imgtype, int *n)
{
	struct container_image_ext	*x = (struct container_image_ext *)img;

	if (imgtype == TSK_IMG_TYPE_RAW || imgtype == TSK_IMG_TYPE_EWF_EWF
#ifndef CONTAINER_IMAGE_ASAN
	    || imgtype == TSK_IMG_TYPE_VHD_VHD ||
	    imgtype == TSK_IMG_TYPE_VMDK_VMDK
#endif
	    ) {
		*n = x->nseg;
		return (x->names);
	}
	*n = img->num_img;
	return (img->images);
}

/*
 * The SHA-256 of the files one after the other, as cat(1) gives them,
 * as lowercase hex into out (65 bytes), and the bytes read: 0; 1 if a
 * signal stopped it; or -1 and *cause.  Each is opened as evidence is.
 */
static int
container_image_sha256(char **names, int n, char *out, int64_t *total,
    char **cause)
{
	struct sha256_ctx	 ctx;
	uint8_t			 digest[SHA256_DIGEST_SIZE];
	unsigned char		*block;
	ssize_t			 got = 0;
	int			 i, fd, error, r = -1;

	block = xmalloc(CONTAINER_IMAGE_HASH_BLOCK);
	sha256_init(&ctx);
	*total = 0;
	for (i = 0; i < n; i++) {
		if ((fd = evidence_open(names[i])) == -1) {
			xasprintf(cause, "cannot open '%s': %s", names[i],
			    strerror(errno));
			goto out;
		}
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		while (!container_image_stopped) {
			got = read(fd, block, CONTAINER_IMAGE_HASH_BLOCK);
			if (got == -1 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			sha256_update(&ctx, got, block);
			*total += got;
		}
		error = errno;
		close(fd);
		if (container_image_stopped) {
			r = 1;
			goto out;
		}
		if (got == -1) {
			xasprintf(cause, "cannot read '%s': %s", names[i],
			    strerror(error));
			goto out;
		}
	}
	sha256_digest(&ctx, sizeof digest, digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	r = 0;
out:
	free(block);
	return (r);
}

/*
 * SIGINT or SIGTERM while an image is hashed, which may take hours: stop
 * hashing, and do what the signal did before (the run's handler, which
 * ends the run as interrupted, or the default action).
 */
static void
container_image_hash_signal(int sig, siginfo_t *si, void *uc)
{
	struct sigaction	*o;

	o = sig == SIGINT ? &container_image_oint : &container_image_oterm;
	if (o->sa_flags & SA_SIGINFO) {
		container_image_stopped = 1;
		o->sa_sigaction(sig, si, uc);
	} else if (o->sa_handler == SIG_DFL) {
		sigaction(sig, o, NULL);
		raise(sig);
	} else if (o->sa_handler != SIG_IGN) {
		container_image_stopped = 1;
		o->sa_handler(sig);
	}
}

/*
 * Hash the image's files into the image link (-H): 0, or 1 if a signal
 * stopped it and the image is not to be walked.  A file that cannot be
 * read is reported, and the link says nothing.
 */
static int
container_image_hash_image(struct container_image_walk *w,
    TSK_IMG_INFO *img, struct buf *b)
{
	struct sigaction	 sa;
	struct timespec		 t0, t1;
	char			 hex[2 * SHA256_DIGEST_SIZE + 1], **names;
	char			*why, *cause = NULL;
	int64_t			 total;
	int			 n, r;

	names = container_image_files(img, w->imgtype, &n);
	log_info("hashing '%s' (%d file%s)", w->path, n, n == 1 ? "" : "s");
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = container_image_hash_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	container_image_stopped = 0;
	sigaction(SIGINT, &sa, &container_image_oint);
	sigaction(SIGTERM, &sa, &container_image_oterm);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = container_image_sha256(names, n, hex, &total, &cause);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sigaction(SIGINT, &container_image_oint, NULL);
	sigaction(SIGTERM, &container_image_oterm, NULL);
	if (r == 1) {
		log_info("'%s': hashing stopped by a signal", w->path);
		return (1);
	}
	if (r == -1) {
		xasprintf(&why, "not hashed: %s", cause);
		container_image_report(w, w->path, why, EVIDENCE_WALK_FAILED);
		free(why);
		free(cause);
		return (0);
	}
	log_info("'%s': SHA-256 of %d file%s, %lld bytes, in %.1f s",
	    w->path, n, n == 1 ? "" : "s", (long long)total,
	    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	buf_printf(b, ",\"sha256\":\"%s\"", hex);
	return (0);
}

/* Is this a later segment of a set, read with its first? */
static int
container_image_later_segment(const char *path, enum evidence_kind kind)
{
	unsigned char	 h[13];
	size_t		 len;
	ssize_t		 n;
	int		 fd;

	if (kind == EVIDENCE_E01) {
		if ((fd = evidence_open(path)) == -1)
			return (0);
		n = pread(fd, h, sizeof h, 0);
		close(fd);
		/* The segment number follows the signature and a byte. */
		return (n == (ssize_t)sizeof h && (h[9] | h[10] << 8) > 1);
	}
	len = strlen(path);
	return (len > 4 && path[len - 4] == '.' &&
	    strspn(path + len - 3, "0123456789") == 3 &&
	    strcmp(path + len - 3, "001") != 0 &&
	    strcmp(path + len - 3, "000") != 0);
}

/*
 * Is the first segment of the set beside it (disk.E01 for disk.E07,
 * disk.001 for disk.003)?  Unusual names count as there: libtsk and
 * libewf find the set from its first segment.
 */
static int
container_image_first_segment(const char *path, enum evidence_kind kind)
{
	struct stat	 sb;
	char		*first;
	size_t		 len, n;
	int		 r;

	len = strlen(path);
	n = kind == EVIDENCE_E01 ? 2 : 3;
	if (len <= n || strspn(path + len - n, "0123456789") != n)
		return (1);
	first = xstrdup(path);
	memcpy(first + len - n, n == 2 ? "01" : "001", n);
	r = stat(first, &sb) == 0;
	free(first);
	return (r);
}

/*
 * Walk the image at path (a file the folder walk identified as kind):
 * append a source to list for each EVTX log in it, report what cannot
 * be read through cb.
 */
void
container_image_walk(const char *path, const struct stat *sb,
    enum evidence_kind kind, struct evidence_list *list,
    evidence_walk_cb cb, void *arg)
{
	struct container_image_walk	 w;
	TSK_IMG_INFO			*img;
	TSK_VS_INFO			*vs;
	const TSK_VS_PART_INFO		*part;
	struct buf			 b;
	const char			*format;
	char				*why, *vstype, *desc;
	TSK_PNUM_T			 i;
	int				 index;

	memset(&w, 0, sizeof w);
	w.list = list;
	w.cb = cb;
	w.arg = arg;
	w.store = -1;
	if (container_image_load(&why) != 0) {
		container_image_report(&w, path, why, EVIDENCE_WALK_FAILED);
		free(why);
		return;
	}
	/* A file system cached by an earlier open may be this one, changed. */
	container_image_cache_drop();
	w.path = path;
	w.sb = sb;
	switch (kind) {
	case EVIDENCE_E01:
		w.imgtype = TSK_IMG_TYPE_EWF_EWF;
		format = "ewf";
		break;
	case EVIDENCE_VHD:
		w.imgtype = TSK_IMG_TYPE_VHD_VHD;
		format = "vhd";
		break;
	case EVIDENCE_VHDX:
		/* libvhdi reads both. */
		w.imgtype = TSK_IMG_TYPE_VHD_VHD;
		format = "vhdx";
		break;
	case EVIDENCE_VMDK:
		w.imgtype = TSK_IMG_TYPE_VMDK_VMDK;
		format = "vmdk";
		break;
	default:
		w.imgtype = TSK_IMG_TYPE_RAW;
		format = "raw";
		break;
	}
	if (container_image_later_segment(path, kind)) {
		if (container_image_first_segment(path, kind)) {
			if (cb != NULL)
				cb(path, "a later segment of an image, read "
				    "with its first", EVIDENCE_WALK_SKIPPED,
				    arg);
			list->skipped++;
		} else
			container_image_report(&w, path, "a later segment "
			    "of an image whose first segment is not there",
			    EVIDENCE_WALK_FAILED);
		return;
	}
	if ((img = container_image_open_img(path, w.imgtype,
	    evidence_identify_name(kind), &why)) == NULL) {
		container_image_report(&w, path, why, EVIDENCE_WALK_FAILED);
		free(why);
		return;
	}
	memset(&b, 0, sizeof b);
	buf_append_str(&b, "{\"container\":\"image\",\"path\":");
	buf_json_string(&b, path);
	buf_printf(&b, ",\"format\":\"%s\"", format);
	if (kind == EVIDENCE_E01)
		container_image_ewf_hashes(img, &b);
	if (container_image_hash_files &&
	    container_image_hash_image(&w, img, &b) != 0) {
		buf_free(&b);
		tsk_img_close(img);
		return;
	}
	if (kind == EVIDENCE_E01 || img->num_img > 1)
		buf_printf(&b, ",\"segments\":%d", kind == EVIDENCE_E01 ?
		    ((struct container_image_ext *)img)->nseg : img->num_img);
	buf_printf(&b, ",\"size\":%lld}", (long long)img->size);
	w.image_link = buf_take(&b);
	log_info("'%s': %s image of %lld bytes", path, format,
	    (long long)img->size);
	if (kind == EVIDENCE_E01 && container_image_ewf_incomplete(img))
		container_image_report(&w, path, "segments missing or damaged: "
		    "the part of the image they hold reads as zeros",
		    EVIDENCE_WALK_FAILED);

	tsk_error_reset();
	if ((vs = tsk_vs_open(img, 0, TSK_VS_TYPE_DETECT)) == NULL) {
		/*
		 * No partition table: a file system from the first byte.
		 * A table libtsk refuses is damage; the file system may
		 * still be found where it would start.
		 */
		if (kind == EVIDENCE_MBR || kind == EVIDENCE_GPT) {
			why = container_image_error("partition table damaged");
			container_image_report(&w, path, why,
			    EVIDENCE_WALK_FAILED);
			free(why);
		}
		tsk_error_reset();
		if (kind == EVIDENCE_MBR)
			container_image_mbr(&w, img);
		else
			container_image_volume(&w, img, 0, 0, 0, "none",
			    "no partition table");
	} else {
		vstype = container_image_str(tsk_vs_type_toname(vs->vstype));
		log_info("'%s': %s partition table, %u entries", path,
		    vstype, (unsigned)vs->part_count);
		index = 0;
		for (i = 0; i < vs->part_count; i++) {
			if ((part = tsk_vs_part_get(vs, i)) == NULL)
				continue;
			if (!(part->flags & TSK_VS_PART_FLAG_ALLOC))
				continue;
			index++;
			/* Sector numbers a damaged table makes too large. */
			if (part->start > (TSK_DADDR_T)INT64_MAX /
			    vs->block_size / 2 || part->len >
			    (TSK_DADDR_T)INT64_MAX / vs->block_size / 2) {
				xasprintf(&why, "partition %d lies past the "
				    "end of the image (sector %llu)", index,
				    (unsigned long long)part->start);
				container_image_report(&w, path, why,
				    EVIDENCE_WALK_FAILED);
				free(why);
				continue;
			}
			desc = container_image_str(part->desc);
			container_image_volume(&w, img, index,
			    (int64_t)part->start * vs->block_size,
			    (int64_t)part->len * vs->block_size,
			    (vs->vstype & TSK_VS_TYPE_GPT) ? "gpt" :
			    (vs->vstype & TSK_VS_TYPE_DOS) ? "mbr" : vstype,
			    desc);
			free(desc);
		}
		free(vstype);
		tsk_vs_close(vs);
	}
	if ((why = container_image_ewf_damage(img)) != NULL) {
		container_image_report(&w, path, why, EVIDENCE_WALK_FAILED);
		free(why);
	}
	/* An image of which nothing could be read is not a clean one. */
	if (w.nfs == 0 && w.nfailed == 0)
		container_image_report(&w, path, "no file system evtriage "
		    "reads in it", EVIDENCE_WALK_FAILED);
	else if (w.found == 0)
		log_info("'%s': no EVTX log found in the image", path);
	tsk_img_close(img);
	free(w.image_link);
	free(w.part_link);
	free(w.prefix);
	free(w.seen);
}
