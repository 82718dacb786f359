/*
 * below.c: a channel below (fastpath.h's tlsgo_below) implemented in Go,
 * for hosts whose channels have no C (below.go).
 */
#include <stdint.h>
#include <stdlib.h>

#include "_cgo_export.h"
#include "stream.h"

static long go_read(void *ctx, unsigned char *p, size_t n, int *err,
                    int *entered)
{
    return tlsgoBelowRead((uintptr_t)ctx, p, n, err, entered);
}

static long go_write(void *ctx, const unsigned char *p, size_t n, int *err,
                     int *entered)
{
    return tlsgoBelowWrite((uintptr_t)ctx, (unsigned char *)p, n, err,
                           entered);
}

uintptr_t tlsgo_go_below_new(uintptr_t handle)
{
    tlsgo_below *b = malloc(sizeof(*b));
    if (b == NULL)
        return 0;
    b->read = go_read;
    b->write = go_write;
    b->ctx = (void *)handle;
    return (uintptr_t)b;
}

uintptr_t tlsgo_go_below_free(uintptr_t below)
{
    tlsgo_below *b = (tlsgo_below *)below;
    uintptr_t handle = (uintptr_t)b->ctx;
    free(b);
    return handle;
}
