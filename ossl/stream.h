/*
 * stream.h declares a connection's stream: the SSL object with its two
 * buffer BIOs, the framing of the ciphertext received so far, and the
 * results kept between a caller of the data path and the next. It is the
 * one implementation of the data path: its steps and the loops that read
 * and write the channel below (pull, fill, flush), called from Go
 * (conn.go) for both hosts and, through the table of
 * internal/fastpath/fastpath.h, from the channel procedures' C
 * steady-state path. Declarations only (see shim.h).
 */
#ifndef TLSGO_STREAM_H
#define TLSGO_STREAM_H

#include <openssl/ssl.h>

#include "shim.h"
#include "../internal/fastpath/fastpath.h"

#define TLSGO_RECORD_HEADER 5

typedef struct tlsgo_stream {
    SSL *ssl;
    BIO *in, *out;
    /* Framing of the ciphertext committed so far. */
    unsigned char header[TLSGO_RECORD_HEADER];
    unsigned char have; /* bytes of the current header seen */
    size_t body;        /* bytes of the current record's body still to come */
    /* A read's end or error met by the C path, for the next Go read, and
     * a write's failure, for the next Go write: kept because calling
     * OpenSSL again would report a later symptom. Nothing is kept while
     * kind is TLSGO_IO_DONE (a kept result is never DONE). */
    tlsgo_result stash;
    tlsgo_result wstash;
    /* A read or write below whose outcome the data path left for the
     * next caller (an end, a failure, a write that took nothing, or one
     * after which a script entered the layer): calling below again could
     * lose data or report a later symptom. A count can be any value, so
     * a flag says one is kept. */
    struct tlsgo_kept {
        long n;
        int err;
        int kept;
    } rbelow, wbelow;
} tlsgo_stream;

/* Why a pull returned (tlsgo_stream_pull). */
enum {
    TLSGO_PULL_DATA = 0,  /* plaintext, and nothing else to see to */
    TLSGO_PULL_MORE,      /* plaintext; replies wait to be sent, or an end
                           * or error waits for the next read */
    TLSGO_PULL_REPLY,     /* none: replies wait to be sent first */
    TLSGO_PULL_END,       /* none: OpenSSL's end or error waits for the
                           * next read (tlsgo_stream_read) */
    TLSGO_PULL_BLOCKED,   /* none: the channel below has nothing now */
    TLSGO_PULL_BELOW      /* none: the channel below ended or failed */
};

/* Why a flush returned (tlsgo_stream_flush). */
enum {
    TLSGO_FLUSH_SENT = 0, /* nothing waits */
    TLSGO_FLUSH_STUCK,    /* the channel below took nothing */
    TLSGO_FLUSH_ENTERED   /* a script the channel below ran entered the
                           * layer: look at it again */
};

tlsgo_stream *tlsgo_stream_new(SSL *ssl);
void tlsgo_stream_free(tlsgo_stream *s);
/* The table of fastpath.h over streams. */
const void *tlsgo_stream_fastpath(void);

/* The steps, as the table and Go call them. */
void tlsgo_stream_scan(tlsgo_stream *s, const unsigned char *p, size_t n);
void tlsgo_stream_commit(tlsgo_stream *s, size_t n);
int tlsgo_stream_partial(tlsgo_stream *s);
int tlsgo_stream_readable(tlsgo_stream *s);
/* tlsgo_stream_read is tlsgo_read, unless a kept result waits. */
tlsgo_result tlsgo_stream_read(tlsgo_stream *s, void *p, size_t n);
/* tlsgo_stream_write reserves room for the records of n bytes, then
 * is tlsgo_write, unless a kept failure waits. */
tlsgo_result tlsgo_stream_write(tlsgo_stream *s, const void *p, size_t n);

/*
 * The loops over the channel below. A result kept for the next caller is
 * what the next fill (or pull) or flush returns, without calling below.
 *
 * tlsgo_stream_fill is one read below into the input: the count, 0 at an
 * end, -1 with *err; *why is TLSGO_PULL_DATA, _BLOCKED or _BELOW, and
 * *entered says that a script the read ran entered the layer.
 * tlsgo_stream_pull returns plaintext, reading from below as it needs
 * (all its reads below come before it decrypts: see stream.c); *why says
 * why it stopped. With drain it returns a short count only once the
 * channel below has had nothing more (what Tcl takes a short count of a
 * non-blocking channel to mean). An end or failure below is kept for the
 * next fill (TLSGO_PULL_BELOW). It stops, having decrypted nothing, after
 * a read during which a script entered the layer (*entered), for the
 * caller to look at the layer first. *read counts the bytes its reads
 * below took. It never sends: replies the connection made wait in the
 * output.
 * tlsgo_stream_flush writes the waiting ciphertext below until none
 * waits or the channel below takes nothing (then *n and *err hold that
 * write's result); after a write during which a script entered the
 * layer, it stops with TLSGO_FLUSH_ENTERED, keeping a write that took
 * nothing for the next flush.
 */
long tlsgo_stream_pull(tlsgo_stream *s, void *p, size_t n,
                       const tlsgo_below *below, int drain, int *why,
                       int *entered, long *read);
long tlsgo_stream_fill(tlsgo_stream *s, const tlsgo_below *below, int *err,
                       int *why, int *entered);
int tlsgo_stream_flush(tlsgo_stream *s, const tlsgo_below *below, long *n,
                       int *err);
/* tlsgo_stream_push is tlsgo_stream_write, then, if it took bytes,
 * tlsgo_stream_flush, which keeps a write below that took nothing for the
 * next flush; *sent says that nothing waits to be written. */
tlsgo_result tlsgo_stream_push(tlsgo_stream *s, const void *p, size_t n,
                               const tlsgo_below *below, int *sent);

#endif /* TLSGO_STREAM_H */
