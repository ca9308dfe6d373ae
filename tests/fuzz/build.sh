#!/bin/sh
# build.sh TARGET... -- CPPFLAGS...: build the libFuzzer targets (fuzz-evtx
# ...) into tests/fuzz/ of the build tree, with the project's
# preprocessor flags.  CC is gcc, so they have a rule of their own:
# `make fuzz` (and `make check`, before the smoke run) calls this with
# what configure found in the environment:
#	CLANG		clang with libFuzzer (Debian's clang 14)
#	FUZZ_LIBSRC	the sources of libevtriage.a (Makefile.am's list)
#	FUZZ_LIBS	the libraries evtriage links
# A target tests/fuzz/NAME.c may name more sources on a line
# " * FUZZ_SOURCES: a.c b.c".  Objects are kept in tests/fuzz/obj/ and
# compiled again when their source or any header is newer.
set -e
: "${srcdir:=.}"
if [ -z "$CLANG" ]; then
	echo "fuzz: no clang with libFuzzer (apt-get install clang): skipped"
	exit 0
fi
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -fno-omit-frame-pointer -std=c11 -Wall -Wno-unused-parameter"
obj=tests/fuzz/obj
mkdir -p "$obj"
hdr=$(ls -t config.h "$srcdir"/*/*.h "$srcdir"/tests/fuzz/*.h | head -1)
targets=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	targets="$targets $1"
	shift
done
[ $# -gt 0 ] && shift

# compile SOURCE CPPFLAGS...: an object in $obj, echoing its name.
compile() {
	_f=$1
	shift
	_s=$_f
	[ -f "$_s" ] || _s=$srcdir/$_f
	_o=$obj/$(echo "$_f" | tr / -).o
	_o=${_o%.c.o}.o
	if ! [ "$_o" -nt "$_s" ] || ! [ "$_o" -nt "$hdr" ]; then
		echo "  FUZZCC   $_f" >&2
		$CLANG $cflags $san -fsanitize=fuzzer-no-link "$@" \
		    -c "$_s" -o "$_o"
	fi
	echo "$_o"
}

lib=
for s in $FUZZ_LIBSRC; do
	case $s in *.c) lib="$lib $(compile "$s" "$@")" ;; esac
done
for t in $targets; do
	src=tests/fuzz/$t.c
	more=$(sed -n 's/^ \* FUZZ_SOURCES: *//p' "$srcdir/$src")
	objs=$(compile "$src" "$@")
	for s in $more; do
		objs="$objs $(compile "$s" "$@")"
	done
	out=tests/fuzz/$t
	newer=no
	for o in $objs $lib; do
		[ "$out" -nt "$o" ] || newer=yes
	done
	if [ $newer = yes ]; then
		echo "  FUZZLD   $out"
		$CLANG $cflags $san -fsanitize=fuzzer -o "$out" $objs $lib \
		    $FUZZ_LIBS
	fi
done
