/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * ntfsput: copy a file into an NTFS image at a path, making the folders
 * on the way, without mounting it (ntfscp cannot make folders).  Prints
 * the new file's MFT entry and the byte offset of its MFT record in the
 * image, so that a test can mark it deleted.  For tests/image.sh only.
 *
 *	ntfsput image file /Windows/System32/winevt/Logs/Security.evtx
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>

static ntfs_inode *
ntfsput_child(ntfs_volume *vol, ntfs_inode *dir, const char *name,
    mode_t type)
{
	ntfs_inode	*ni;
	ntfschar	*u = NULL;
	int		 len;

	if ((ni = ntfs_pathname_to_inode(vol, dir, name)) != NULL)
		return (ni);
	if ((len = ntfs_mbstoucs(name, &u)) < 0)
		return (NULL);
	ni = ntfs_create(dir, 0, u, (u8)len, type);
	free(u);
	return (ni);
}

int
main(int argc, char **argv)
{
	ntfs_volume	*vol;
	ntfs_inode	*dir, *next, *ni;
	ntfs_attr	*na;
	FILE		*f;
	char		*path, *p, *q, buf[65536];
	size_t		 n;
	s64		 off = 0, pos, lcn;

	if (argc != 4 || argv[3][0] != '/') {
		fprintf(stderr, "usage: ntfsput image file /path\n");
		return (2);
	}
	if ((f = fopen(argv[2], "rb")) == NULL) {
		perror(argv[2]);
		return (1);
	}
	if ((vol = ntfs_mount(argv[1], NTFS_MNT_NONE)) == NULL) {
		perror(argv[1]);
		return (1);
	}
	if ((dir = ntfs_inode_open(vol, FILE_root)) == NULL) {
		perror("root");
		return (1);
	}
	path = strdup(argv[3] + 1);
	for (p = path; (q = strchr(p, '/')) != NULL; p = q + 1) {
		*q = '\0';
		if ((next = ntfsput_child(vol, dir, p, S_IFDIR)) == NULL) {
			perror(p);
			return (1);
		}
		ntfs_inode_close(dir);
		dir = next;
	}
	if ((ni = ntfsput_child(vol, dir, p, S_IFREG)) == NULL) {
		perror(p);
		return (1);
	}
	if ((na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0)) == NULL) {
		perror("data");
		return (1);
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (ntfs_attr_pwrite(na, off, n, buf) != (s64)n) {
			perror("write");
			return (1);
		}
		off += n;
	}
	fclose(f);
	ntfs_attr_close(na);
	/* Where the file's MFT record lies: through $MFT's own runs. */
	pos = (s64)ni->mft_no * vol->mft_record_size;
	lcn = ntfs_attr_vcn_to_lcn(vol->mft_na, pos >> vol->cluster_size_bits);
	printf("%llu %lld\n", (unsigned long long)ni->mft_no,
	    (long long)((lcn << vol->cluster_size_bits) +
	    (pos & (vol->cluster_size - 1))));
	ntfs_inode_close(ni);
	ntfs_inode_close(dir);
	free(path);
	if (ntfs_umount(vol, FALSE) != 0) {
		perror("umount");
		return (1);
	}
	return (0);
}
