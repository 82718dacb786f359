/*
 * stream.h declares a connection's stream: the SSL object with its two
 * buffer BIOs, the framing of the ciphertext received so far, and a read
 * result kept for the Go side. It is the one implementation of the data
 * path's steps, called from Go (conn.go) and, through the table of
 * internal/fastpath/fastpath.h, from the channel procedures' C steady-state
 * path. Declarations only (see shim.h).
 */
#ifndef TLSGO_STREAM_H
#define TLSGO_STREAM_H

#include <openssl/ssl.h>

#include "shim.h"

#define TLSGO_RECORD_HEADER 5

typedef struct tlsgo_stream {
    SSL *ssl;
    BIO *in, *out;
    /* Framing of the ciphertext committed so far. */
    unsigned char header[TLSGO_RECORD_HEADER];
    int have;           /* bytes of the current header seen */
    size_t body;        /* bytes of the current record's body still to come */
    /* A read's end or error met by the C path, for the next Go read, and
     * a write's failure, for the next Go write: kept because calling
     * OpenSSL again would report a later symptom. Nothing is kept while
     * kind is TLSGO_IO_DONE (a kept result is never DONE). */
    tlsgo_result stash;
    tlsgo_result wstash;
} tlsgo_stream;

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

#endif /* TLSGO_STREAM_H */
