/*
 * fastpath.h --
 *
 *	The steady-state data path of a stacked channel, as a table of C
 *	functions over an opaque stream. Package ossl fills the table for a
 *	TLS connection (stream.c); package tcl/stubs' channel procedures call
 *	it while the driver, in Go, says that the connection is in its steady
 *	state, and hand every other case to the driver. The header holds no
 *	logic: it is the contract between the two packages' C code, which
 *	must not share C types through Go.
 */

#ifndef TLSGO_FASTPATH_H
#define TLSGO_FASTPATH_H

#include <stddef.h>

/* What a read or a write of the table reports besides its count. */
enum {
    TLSGO_FAST_OK = 0,		/* done: nothing else to say */
    TLSGO_FAST_WANT_INPUT = 1,	/* read: no plaintext until more ciphertext */
    TLSGO_FAST_OTHER = 2	/* anything else: the driver takes over */
};

typedef struct tlsgo_fastpath {
    /*
     * read decrypts up to n bytes into p and returns the count. Status
     * TLSGO_FAST_OTHER means an end of stream or error, which is kept in
     * the stream for the driver's next read.
     */
    long (*read)(void *s, char *p, size_t n, int *status);
    /*
     * write encrypts p into the output buffer and returns the count
     * accepted; less than n with status TLSGO_FAST_OTHER when the rest
     * needs the driver (nothing of the rest was consumed). A failure is
     * kept in the stream for the driver's next write.
     */
    long (*write)(void *s, const char *p, size_t n, int *status);
    /* space and commit: room for ciphertext received, then handed over. */
    unsigned char *(*space)(void *s, size_t n);
    void (*commit)(void *s, size_t n);
    /* data and consume: ciphertext waiting to be sent, then sent. */
    unsigned char *(*data)(void *s, size_t *n);
    void (*consume)(void *s, size_t n);
    /* readable: a read can return plaintext without new ciphertext. */
    int (*readable)(void *s);
} tlsgo_fastpath;

#endif /* TLSGO_FASTPATH_H */
