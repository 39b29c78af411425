# pardot: multiply matrices stored in files.
# Every knob is here; override any of them on the command line (make CC=clang).

VERSION	= 0.1.0
PREFIX	= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
COMPDIR	= $(PREFIX)/share/bash-completion/completions

CC	= gcc
CFLAGS	= -std=c11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration
OMPFLAGS = -fopenmp
CPPFLAGS = -Isrc -D_GNU_SOURCE -DPARDOT_VERSION=\"$(VERSION)\"
LDLIBS	= -lm

# Warnings are errors in CI, which sets CI=true.
ifdef CI
CFLAGS	+= -Werror
endif

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer, built
# apart so that plain and instrumented objects never mix.
ifeq ($(SANITIZE),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
BUILD	= build/san
# Check runs each test in a child of fork() by default; under ASan a fork
# copies the page tables of its shadow memory, which made check_npy's 805
# tests take 52 s instead of 0.5. Any sanitizer error ends the run anyway,
# so the suites run in one process here. PARDOT_SANITIZED tells the
# command-line tests that build the MPI binary, which is never sanitized,
# that the plain pass has run them.
CHECK_ENV = CK_FORK=no PARDOT_SANITIZED=1
else
BUILD	= build/plain
endif

# make MPI=1: the same program as one rank of an MPI run (mpirun, srun),
# built with Open MPI's mpicc in a directory of its own. Its MPI code is
# the files src/mpi/mpi_*.c; the plain build has src/mpi/serial.c in their
# place, one process, and never sees an MPI header.
ifeq ($(MPI),1)
CC	= mpicc
CPPFLAGS += -DPARDOT_MPI
BUILD	:= $(if $(filter 1,$(SANITIZE)),build/mpi-san,build/mpi)
NOT_BUILT = src/mpi/serial.c
else
NOT_BUILT = $(wildcard src/mpi/mpi_*.c)
endif

# Per-ISA kernels get their instruction sets; the rest of the program stays
# portable and picks a kernel at run time. The generic kernels never fuse
# multiply and add, whatever the compiler's defaults.
ARCH	:= $(shell uname -m)
ifeq ($(ARCH),x86_64)
AVX2FLAGS   = -mavx2 -mfma
AVX512FLAGS = -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma
endif
GENERICFLAGS = -ffp-contract=off

# The source tree is the architecture: one folder a layer (README.md maps
# them), each including only from itself and the layers below it.
LAYERS	= core core/kernels codec io mpi cli
LIB_SRC	= $(filter-out src/cli/main.c $(NOT_BUILT),$(foreach d,$(LAYERS),$(wildcard src/$(d)/*.c)))
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB	= $(BUILD)/libpardot.a
HDRS	= $(foreach d,$(LAYERS),$(wildcard src/$(d)/*.h))

CHECK_SRC  = $(wildcard tests/check_*.c)
CHECK_BIN  = $(CHECK_SRC:tests/%.c=$(BUILD)/tests/%)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

.PHONY: all check unit-tests clean install uninstall bench fuzz FORCE
.DELETE_ON_ERROR:

# The binary is built in the build directory (plain, MPI or sanitized) and
# the plain or MPI one copied to ./pardot, so a sanitizer run never
# replaces it. Whichever was built last is ./pardot: the copy is made
# whenever they differ, not only when the build is newer.
ifeq ($(SANITIZE),1)
all: $(BUILD)/pardot
else
all: pardot
pardot: $(BUILD)/pardot FORCE
	@cmp -s $(BUILD)/pardot $@ || { echo cp -f $(BUILD)/pardot $@; \
	    cp -f $(BUILD)/pardot $@; }
FORCE:
endif

$(BUILD)/pardot: $(BUILD)/src/cli/main.o $(LIB)
	$(CC) $(CFLAGS) $(OMPFLAGS) $(LDFLAGS) -o $@ $(BUILD)/src/cli/main.o $(LIB) $(LDLIBS)

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(OMPFLAGS) $(ISAFLAGS) -c -o $@ $<

$(BUILD)/src/core/kernels/%_avx2.o:    ISAFLAGS = $(AVX2FLAGS)
$(BUILD)/src/core/kernels/%_avx512.o:  ISAFLAGS = $(AVX512FLAGS)
$(BUILD)/src/core/kernels/%_avx512vnni.o: ISAFLAGS = $(AVX512FLAGS) -mavx512vnni
# The VNNI set is ukernel_avx512.c built again (its file includes it).
$(BUILD)/src/core/kernels/ukernel_avx512vnni.o: src/core/kernels/ukernel_avx512.c
$(BUILD)/src/core/kernels/%_generic.o: ISAFLAGS = $(GENERICFLAGS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(LIB) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(OMPFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CHECK_LIBS) $(LDLIBS)

# The AVX-512 kernels once more, against SIMDe (libsimde-dev), which
# emulates AVX-512 with AVX2 and FMA, so that CPUs without AVX-512 test
# them too. -fwrapv: the emulation's integer code relies on wrap-around.
# SIMDe inlines so much that full debug information and AddressSanitizer's
# use-after-scope checks would take a minute to compile: they are left out.
# Whether SIMDe is installed is asked only when the tests run, since
# tests/deps.sh may just have installed it.
SIMDE_H	= /usr/include/simde/x86/avx512.h
EMU_OBJ	= $(BUILD)/tests/ukernel_avx512_emulated.o
EMU_BIN	= $(BUILD)/tests/check_kernels_emulated
EMU_FLAGS = $(AVX2FLAGS) -fwrapv -Wno-psabi -g1
ifeq ($(SANITIZE),1)
EMU_FLAGS += -fno-sanitize-address-use-after-scope
endif
ifeq ($(ARCH),x86_64)
EMU_TESTS = $(if $(wildcard $(SIMDE_H)),$(EMU_BIN))
EMU_RUN	= $$(test -f $(SIMDE_H) && echo $(EMU_BIN) || \
	echo 'SKIP emulated AVX-512 kernels: libsimde-dev not installed' >&2)
endif

$(EMU_OBJ): src/core/kernels/ukernel_avx512.c $(HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DPARDOT_SIMDE $(CFLAGS) $(EMU_FLAGS) -c -o $@ $<

$(EMU_BIN): tests/check_kernels.c tests/testutil.h $(EMU_OBJ) $(LIB) $(HDRS)
	$(CC) $(CPPFLAGS) -DPARDOT_EMULATED_AVX512 $(CFLAGS) $(OMPFLAGS) $(LDFLAGS) -o $@ $< $(EMU_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS)

# make check installs what the tests need first (Check, and NumPy for the
# interoperability tests) when it runs as root; otherwise it says what to run.
# make check VALGRIND=1 runs the command-line tests with pardot under
# valgrind's memcheck instead (tests/valgrind.sh), where any error fails.
check:
	@sh tests/deps.sh
	@$(MAKE) --no-print-directory all unit-tests
ifeq ($(VALGRIND),1)
	@sh tests/valgrind.sh $(CURDIR)/$(BUILD)/pardot
else
	@$(CHECK_ENV) PARDOT=$(CURDIR)/$(BUILD)/pardot sh tests/run.sh $(CHECK_BIN) $(EMU_RUN)
endif

unit-tests: $(CHECK_BIN) $(EMU_TESTS)

$(BUILD)/tests/check_fuzz_replay: tests/fuzz/npy_invariants.h
$(BUILD)/tests/check_fuzz_text_replay: tests/fuzz/text_invariants.h tests/fuzz/options_invariants.h

# make fuzz: the parsers of hostile input under libFuzzer, built with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer: the .npy header, CSV,
# Matrix Market and the shared option parsing, each for a quarter of
# FUZZ_SECONDS. Findings are kept in the target's corpus (tests/fuzz/corpus/
# for npy, tests/fuzz/corpus-NAME/ for the others), which 'make check'
# replays.
FUZZ_CC		= clang
FUZZ_SECONDS	= 60
FUZZ_CFLAGS	= -std=c11 -g -O1 -Wall -Wextra \
		  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS	= npy csv mtx options
FUZZ_BIN	= $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
FUZZ_SRC_npy	= src/codec/npy.c src/core/dtype.c
FUZZ_SRC_csv	= src/codec/csv.c src/codec/textfmt.c src/codec/textnum.c src/core/dtype.c src/core/elem.c
FUZZ_SRC_mtx	= src/codec/mtx.c src/codec/textfmt.c src/codec/textnum.c src/core/dtype.c src/core/elem.c
FUZZ_SRC_options = src/cli/cli.c src/core/dtype.c
FUZZ_OMP_options = -fopenmp
FUZZ_ALL_SRC	= $(sort $(foreach t,$(FUZZ_TARGETS),$(FUZZ_SRC_$(t))))

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*_invariants.h) $(FUZZ_ALL_SRC) $(HDRS) Makefile
	@sh tests/fuzz/deps.sh $(FUZZ_CC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_OMP_$*) -o $@ $< $(FUZZ_SRC_$*)

fuzz: $(FUZZ_BIN)
	@status=0; for t in $(FUZZ_TARGETS); do \
	    sh tests/fuzz/run.sh build/fuzz/fuzz_$$t $$(($(FUZZ_SECONDS) / 4)) \
	        $$(if [ $$t = npy ]; then echo tests/fuzz/corpus; else echo tests/fuzz/corpus-$$t; fi) || \
	        status=1; done; exit $$status

# The benchmark links OpenBLAS when pkg-config finds it; pardot never does.
BLAS_FLAGS = $(shell pkg-config --exists openblas 2>/dev/null && \
	echo -DHAVE_OPENBLAS $$(pkg-config --cflags --libs openblas))

# The FMA peak loops, one per ISA, each with its own -m flags; bench.c
# picks the one to run from the CPU's features.
ifeq ($(ARCH),x86_64)
PEAK_OBJ = $(BUILD)/tests/bench/peak_avx512.o $(BUILD)/tests/bench/peak_avx2.o
endif
$(BUILD)/tests/bench/peak_avx512.o: ISAFLAGS = $(AVX512FLAGS)
$(BUILD)/tests/bench/peak_avx2.o:   ISAFLAGS = $(AVX2FLAGS)
$(PEAK_OBJ): $(BUILD)/tests/bench/%.o: tests/bench/%.c tests/bench/peak.h Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O2 $(ISAFLAGS) -c -o $@ $<

$(BUILD)/bench: tests/bench/bench.c tests/bench/peak.h $(PEAK_OBJ) $(LIB) $(HDRS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O3 $(OMPFLAGS) $(LDFLAGS) -o $@ $< $(PEAK_OBJ) $(LIB) $(BLAS_FLAGS) $(LDLIBS)

bench: pardot
	@sh tests/bench/run.sh

install: pardot
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	cp -f pardot $(DESTDIR)$(BINDIR)/pardot
	chmod 755 $(DESTDIR)$(BINDIR)/pardot
	cp -f man/pardot.1 $(DESTDIR)$(MANDIR)/man1/pardot.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/pardot.1
	cp -f src/cli/completion.bash $(DESTDIR)$(COMPDIR)/pardot
	chmod 644 $(DESTDIR)$(COMPDIR)/pardot

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pardot $(DESTDIR)$(MANDIR)/man1/pardot.1
	rm -f $(DESTDIR)$(COMPDIR)/pardot

clean:
	rm -rf build pardot
