/*
 * alloccount.c: counts OpenSSL's memory when the environment variable
 * TLSGO_COUNT_ALLOCS is set (to anything but "" or "0") as the program
 * starts, so that tests can check what a connection costs: the large
 * allocations made (BIG bytes or more: record buffers and the like, not
 * the small bookkeeping OpenSSL allocates per record), so that a busy
 * connection is seen not to take a record buffer per record; and the
 * bytes and the blocks of RECORD bytes or more held, so that an idle
 * connection is seen to hold no record buffer and little else. OpenSSL
 * accepts other allocation functions only before its first allocation,
 * hence a constructor; without the variable it does nothing but read it.
 * Only test binaries link it (package alloccount is imported by tests
 * alone): a program that uses the library keeps OpenSSL's allocator.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#ifdef __GLIBC__
#include <malloc.h>
#define USABLE(p) malloc_usable_size(p)
#else
#define USABLE(p) ((size_t)0) /* bytes held are not known */
#endif

#define BIG 4096
#define RECORD 16384 /* a record buffer's size, about */

static unsigned long long allocs;     /* large allocations made */
static long long live_bytes;          /* bytes held (usable size) */
static long long live_records;        /* blocks of a record buffer's size held */

static void held(void *p, int sign)
{
    size_t n = USABLE(p);
    __atomic_add_fetch(&live_bytes, sign * (long long)n, __ATOMIC_RELAXED);
    if (n >= RECORD)
        __atomic_add_fetch(&live_records, sign, __ATOMIC_RELAXED);
}

static void *count_malloc(size_t n, const char *file, int line)
{
    (void)file; (void)line;
    if (n >= BIG)
        __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    void *p = malloc(n);
    if (p != NULL)
        held(p, 1);
    return p;
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file; (void)line;
    if (n >= BIG)
        __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    if (p != NULL)
        held(p, -1);
    void *np = realloc(p, n);
    if (np != NULL)
        held(np, 1);
    else if (p != NULL && n > 0)
        held(p, 1); /* failed: the old block stays */
    return np;
}

static void count_free(void *p, const char *file, int line)
{
    (void)file; (void)line;
    if (p != NULL)
        held(p, -1);
    free(p);
}

__attribute__((constructor)) static void tlsgo_alloc_count_init(void)
{
    const char *v = getenv("TLSGO_COUNT_ALLOCS");
    if (v != NULL && v[0] != '\0' && strcmp(v, "0") != 0)
        CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free);
}

/* tlsgo_alloc_count returns the large allocations counted so far (0 when
 * not counting). */
unsigned long long tlsgo_alloc_count(void)
{
    return __atomic_load_n(&allocs, __ATOMIC_RELAXED);
}

/* tlsgo_alloc_live returns the bytes OpenSSL holds and how many of the
 * blocks it holds are of a record buffer's size or more (0 when not
 * counting, or where the C library cannot tell a block's size). */
long long tlsgo_alloc_live(long long *records)
{
    *records = __atomic_load_n(&live_records, __ATOMIC_RELAXED);
    return __atomic_load_n(&live_bytes, __ATOMIC_RELAXED);
}
