/*
 * stream.c: a connection's stream (stream.h) and its fastpath table.
 */
#include "stream.h"

#include <stdlib.h>

#include "../internal/fastpath/fastpath.h"

/*
 * Records carry at most 16 KiB of plaintext plus a header, a tag and (in
 * TLS 1.3) the content type, well within RECORD_OVERHEAD.
 */
#define RECORD_SIZE (16 * 1024)
#define RECORD_OVERHEAD 64

tlsgo_stream *tlsgo_stream_new(SSL *ssl)
{
    tlsgo_stream *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->ssl = ssl;
    s->in = SSL_get_rbio(ssl);
    s->out = SSL_get_wbio(ssl);
    return s;
}

void tlsgo_stream_free(tlsgo_stream *s)
{
    if (s == NULL)
        return;
    if (s->stash.kind != TLSGO_IO_DONE && s->stash.err != NULL)
        tlsgo_err_free(s->stash.err);
    if (s->wstash.kind != TLSGO_IO_DONE && s->wstash.err != NULL)
        tlsgo_err_free(s->wstash.err);
    free(s);
}

/*
 * tlsgo_stream_scan follows the records of the next n bytes of the
 * stream, so that an end of stream can be told to fall on a record
 * boundary (an end of file) or inside a record (a truncated stream)
 * without asking OpenSSL.
 */
void tlsgo_stream_scan(tlsgo_stream *s, const unsigned char *p, size_t n)
{
    while (n > 0) {
        if (s->body > 0) {
            if (n <= s->body) {
                s->body -= n;
                return;
            }
            p += s->body;
            n -= s->body;
            s->body = 0;
        }
        while (n > 0 && s->have < TLSGO_RECORD_HEADER) {
            s->header[s->have++] = *p++;
            n--;
        }
        if (s->have == TLSGO_RECORD_HEADER) {
            s->body = (size_t)s->header[3] << 8 | s->header[4];
            s->have = 0;
        }
    }
}

/* tlsgo_stream_commit hands over n bytes written into the input room. */
void tlsgo_stream_commit(tlsgo_stream *s, size_t n)
{
    tlsgo_bio_commit(s->in, n);
    if (n > 0) {
        tlsgo_span d = tlsgo_bio_data(s->in);
        tlsgo_stream_scan(s, d.p + d.n - n, n);
    }
}

int tlsgo_stream_partial(tlsgo_stream *s)
{
    return s->have > 0 || s->body > 0;
}

/*
 * tlsgo_stream_readable reports whether a read can make progress without
 * more ciphertext: plaintext decrypted and unread, or a whole record in
 * the input BIO. OpenSSL takes a record from the BIO only whole, or all
 * the BIO holds: the bytes of a record cut short wait inside OpenSSL, and
 * the BIO's data then starts inside that record, where no header can be
 * read. So the test is on the framing of everything committed (scan): the
 * BIO's data is its tail, which ends with the part of a record received
 * so far (tail, 0 at a record boundary); a record ends inside the BIO's
 * data, so a whole one waits (or the rest of the one OpenSSL holds), when
 * the BIO holds more than that part.
 */
int tlsgo_stream_readable(tlsgo_stream *s)
{
    if (s->stash.kind != TLSGO_IO_DONE || SSL_pending(s->ssl) > 0)
        return 1;
    size_t tail = (size_t)s->have;
    if (s->body > 0)
        tail = TLSGO_RECORD_HEADER
            + ((size_t)s->header[3] << 8 | s->header[4]) - s->body;
    return tlsgo_bio_data(s->in).n > tail;
}

/* take hands a kept result over to the caller, leaving nothing kept. */
static tlsgo_result take(tlsgo_result *kept)
{
    tlsgo_result r = *kept;
    kept->kind = TLSGO_IO_DONE;
    kept->err = NULL;
    return r;
}

tlsgo_result tlsgo_stream_read(tlsgo_stream *s, void *p, size_t n)
{
    if (s->stash.kind != TLSGO_IO_DONE)
        return take(&s->stash);
    return tlsgo_read(s->ssl, p, n);
}

tlsgo_result tlsgo_stream_write(tlsgo_stream *s, const void *p, size_t n)
{
    if (s->wstash.kind != TLSGO_IO_DONE)
        return take(&s->wstash);
    (void)tlsgo_bio_space(s->out, n + (n / RECORD_SIZE + 1) * RECORD_OVERHEAD);
    return tlsgo_write(s->ssl, p, n);
}

/* The table's functions. */

static long fast_read(void *sp, char *p, size_t n, int *status)
{
    tlsgo_stream *s = sp;
    if (s->stash.kind != TLSGO_IO_DONE) {
        *status = TLSGO_FAST_OTHER;
        return 0;
    }
    tlsgo_result r = tlsgo_read(s->ssl, p, n);
    switch (r.kind) {
    case TLSGO_IO_DONE:
        *status = TLSGO_FAST_OK;
        return r.ret;
    case TLSGO_IO_WANT_READ:
        *status = r.ret > 0 ? TLSGO_FAST_OK : TLSGO_FAST_WANT_INPUT;
        return r.ret;
    }
    /* Kept for Go, which reads it as if it had made the call itself;
     * bytes decrypted before it are returned now. */
    *status = TLSGO_FAST_OTHER;
    s->stash = r;
    s->stash.ret = 0;
    return r.ret;
}

static long fast_write(void *sp, const char *p, size_t n, int *status)
{
    tlsgo_stream *s = sp;
    if (s->wstash.kind != TLSGO_IO_DONE) {
        *status = TLSGO_FAST_OTHER;
        return 0;
    }
    tlsgo_result r = tlsgo_stream_write(s, p, n);
    switch (r.kind) {
    case TLSGO_IO_DONE:
    case TLSGO_IO_WANT_READ:
    case TLSGO_IO_WANT_WRITE:
        *status = (r.kind == TLSGO_IO_DONE && (size_t)r.ret == n)
                      ? TLSGO_FAST_OK : TLSGO_FAST_OTHER;
        return r.ret;
    }
    /* A failure is kept for Go, which reports it as if it had made the
     * call itself (calling SSL_write again would report a later
     * symptom); the bytes taken before it count now. */
    *status = TLSGO_FAST_OTHER;
    s->wstash = r;
    s->wstash.ret = 0;
    return r.ret;
}

static unsigned char *fast_space(void *s, size_t n)
{
    return tlsgo_bio_space(((tlsgo_stream *)s)->in, n);
}

static void fast_commit(void *s, size_t n)
{
    tlsgo_stream_commit(s, n);
}

static unsigned char *fast_data(void *s, size_t *n)
{
    tlsgo_span d = tlsgo_bio_data(((tlsgo_stream *)s)->out);
    *n = d.p == NULL ? 0 : d.n;
    return d.p;
}

static void fast_consume(void *s, size_t n)
{
    tlsgo_bio_consume(((tlsgo_stream *)s)->out, n);
}

static int fast_readable(void *s)
{
    return tlsgo_stream_readable(s);
}

static const tlsgo_fastpath table = {
    fast_read, fast_write, fast_space, fast_commit,
    fast_data, fast_consume, fast_readable,
};

const void *tlsgo_stream_fastpath(void)
{
    return &table;
}
