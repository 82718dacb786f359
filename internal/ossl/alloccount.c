/*
 * alloccount.c: counts OpenSSL's large memory allocations (BIG bytes or
 * more: record buffers and the like, not the small bookkeeping OpenSSL
 * allocates per record) when the environment variable TLSGO_COUNT_ALLOCS
 * is set (to anything but "" or "0") as the program starts, so that a
 * test can check that a busy connection does not take a record buffer
 * per record. OpenSSL accepts other allocation functions only before its
 * first allocation, hence a constructor; without the variable it does
 * nothing but read it.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define BIG 4096

static unsigned long long allocs;

static void *count_malloc(size_t n, const char *file, int line)
{
    (void)file; (void)line;
    if (n >= BIG)
        __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file; (void)line;
    if (n >= BIG)
        __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
    (void)file; (void)line;
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
