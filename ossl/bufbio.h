/*
 * bufbio.h declares the buffer BIO: the ciphertext a connection exchanges
 * with the network, held in one buffer that the caller reaches directly.
 *
 * Received ciphertext is read from the network straight into an input
 * BIO's free space (tlsgo_bio_space, tlsgo_bio_commit) and ciphertext to
 * send is written to the network straight from an output BIO's data
 * (tlsgo_bio_data, tlsgo_bio_consume), which saves a copy each way over
 * OpenSSL's memory BIOs. The buffer is released whenever it empties, so an
 * idle connection holds none. Declarations only (see shim.h).
 *
 * The BIO still costs one copy of the ciphertext each way (OpenSSL's
 * record buffer to and from this one), three bytes moved per payload
 * byte with Tcl's own copy, against two for a BIO that calls the channel
 * below itself. That copy buys the batching: all the records of one
 * write go below in one call and one read below brings up to 128 KiB,
 * where OpenSSL alone would hand over one record (or header) per call.
 * Measured on loopback with 64 KiB writes, writing each record below as
 * OpenSSL makes it (no copy, a call per record) cost more CPU than the
 * copy it saved; and letting OpenSSL 3.0 read ahead into a large buffer
 * of its own would have it move the unread rest to the front of that
 * buffer before each record, a copy per record of all that follows.
 */
#ifndef TLSGO_BUFBIO_H
#define TLSGO_BUFBIO_H

#include <stddef.h>
#include <openssl/bio.h>

/* Creates the BIO method once; 0 on failure. */
int tlsgo_bio_init(void);
/* A new, empty buffer BIO, NULL when out of memory. */
BIO *tlsgo_bio_new(void);
void tlsgo_bio_free(BIO *b);

/* Room for n more bytes after the data, NULL when out of memory. */
unsigned char *tlsgo_bio_space(BIO *b, size_t n);
/* Appends the first n bytes of the room tlsgo_bio_space gave. */
void tlsgo_bio_commit(BIO *b, size_t n);
/* A view of bytes in C memory, returned by value (no out-parameter that
 * would make a Go caller's variable escape to the heap). */
typedef struct tlsgo_span {
    unsigned char *p;
    size_t n;
} tlsgo_span;

/* The data held: p is NULL when there is none. */
tlsgo_span tlsgo_bio_data(BIO *b);
/* Drops the first n bytes of the data. */
void tlsgo_bio_consume(BIO *b, size_t n);
/* Bytes held. */
size_t tlsgo_bio_len(BIO *b);
/* Bytes of buffer allocated (0 when the BIO holds none). */
size_t tlsgo_bio_cap(BIO *b);
/* Bytes committed since the last call (or since the BIO was made), and
 * starts counting again: how much input arrived between two moments. */
size_t tlsgo_bio_take_arrived(BIO *b);
/* Marks the end of input: once empty, reads return 0 (EOF), not retry. */
void tlsgo_bio_set_eof(BIO *b);
/* Whether tlsgo_bio_set_eof was called, data left or not. */
int tlsgo_bio_ended(BIO *b);

#endif /* TLSGO_BUFBIO_H */
