/*
 * fastpath.h --
 *
 *	The steady-state data path of a stacked channel: the channel below
 *	as a pair of C functions (tlsgo_below), and a table of C functions
 *	over an opaque stream that move bytes through it (tlsgo_fastpath).
 *	Package ossl implements the table for a TLS connection (stream.c),
 *	whose loops are the only ones that read and write below: the Go
 *	driver calls them for both hosts, and package tcl/stubs' channel
 *	procedures call the table while the driver says that the connection
 *	is in its steady state, handing every other case to the driver. The
 *	header holds no logic: it is the contract between the two packages'
 *	C code, which must not share C types through Go.
 */

#ifndef TLSGO_FASTPATH_H
#define TLSGO_FASTPATH_H

#include <stddef.h>

/*
 * The channel below a layer. read and write return the count, 0 for an
 * end of file (read) or nothing taken (write), or -1 with the errno in
 * *err, as the host's raw channel calls give them. They set *entered
 * when a script that the channel below ran entered the layer meanwhile
 * (closed it, unstacked it, read it): the caller must then look at the
 * layer again before it goes on.
 */
typedef struct tlsgo_below {
    long (*read)(void *ctx, unsigned char *p, size_t n, int *err,
		 int *entered);
    long (*write)(void *ctx, const unsigned char *p, size_t n, int *err,
		  int *entered);
    void *ctx;
} tlsgo_below;

/* What a pull or push of the table reports besides its count. */
enum {
    TLSGO_FAST_OK = 0,		/* done: nothing else to say */
    TLSGO_FAST_BLOCKED = 1,	/* pull: no plaintext, none below now */
    TLSGO_FAST_OTHER = 2	/* anything else: the driver takes over */
};

typedef struct tlsgo_fastpath {
    /*
     * pull returns up to n bytes of plaintext, reading ciphertext from
     * below as it needs it; with drain (a non-blocking channel), a short
     * count only once the channel below has nothing more now. With
     * TLSGO_FAST_OTHER, what the driver must see to (an end or error, a
     * reply to send, a script that entered the layer) is kept in the
     * stream for it.
     */
    long (*pull)(void *s, char *p, size_t n, const tlsgo_below *below,
		 int drain, int *status);
    /*
     * push encrypts p and writes the records below; it returns the count
     * of plaintext taken. TLSGO_FAST_OTHER: not all was taken, or records
     * wait, or a script entered the layer; a write below that took
     * nothing is kept in the stream for the driver.
     */
    long (*push)(void *s, const char *p, size_t n, const tlsgo_below *below,
		 int *status);
    /* readable: a pull can return plaintext without new ciphertext. */
    int (*readable)(void *s);
} tlsgo_fastpath;

#endif /* TLSGO_FASTPATH_H */
