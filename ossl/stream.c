/*
 * stream.c: a connection's stream (stream.h) and its fastpath table.
 */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>

/*
 * Records carry at most 16 KiB of plaintext plus a header, a tag and (in
 * TLS 1.3) the content type, well within RECORD_OVERHEAD.
 */
#define RECORD_SIZE (16 * 1024)
#define RECORD_OVERHEAD 64

/*
 * READ_CHUNK is how much ciphertext one read from the channel below asks
 * for: enough for several full records, so that a 64 KiB read of
 * plaintext rarely needs two reads below.
 */
#define READ_CHUNK (128 * 1024)

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
 * whole returns the bytes of whole records in the input BIO. OpenSSL takes
 * a record from the BIO only whole, or all the BIO holds: the bytes of a
 * record cut short wait inside OpenSSL, and the BIO's data then starts
 * inside that record, where no header can be read. So the count comes
 * from the framing of everything committed (tlsgo_stream_scan): the BIO's
 * data is its tail, which ends with the part of a record received so far
 * (0 at a record boundary); what comes before that part completes
 * records (the rest of one OpenSSL holds counts as whole).
 */
static size_t whole(tlsgo_stream *s)
{
    size_t n = tlsgo_bio_data(s->in).n;
    size_t part = s->have;

    if (s->body > 0)
        part = TLSGO_RECORD_HEADER
               + ((size_t)s->header[3] << 8 | s->header[4]) - s->body;
    return n > part ? n - part : 0;
}

/*
 * tlsgo_stream_readable reports whether a read can make progress without
 * more ciphertext: plaintext decrypted and unread, an end or error kept,
 * or a whole record in the input BIO (whole).
 */
int tlsgo_stream_readable(tlsgo_stream *s)
{
    return s->stash.kind != TLSGO_IO_DONE || s->rbelow.kept ||
           SSL_pending(s->ssl) > 0 || whole(s) > 0;
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

/* keep leaves a result of the channel below for the next caller. */
static void keep(struct tlsgo_kept *k, long n, int err)
{
    k->kept = 1;
    k->n = n;
    k->err = err;
}

/* taken hands a kept result over, if there is one. */
static int taken(struct tlsgo_kept *k, long *n, int *err)
{
    if (!k->kept)
        return 0;
    k->kept = 0;
    *n = k->n;
    *err = k->err;
    return 1;
}

/* waiting reports whether ciphertext waits to be written below. */
static int waiting(tlsgo_stream *s)
{
    return tlsgo_bio_data(s->out).n > 0;
}

/*
 * read_below is one read from the channel below into the input, and
 * would_block the one test of a read below that found nothing now.
 */
static int would_block(long n, int err)
{
    return n < 0 && (err == EAGAIN || err == EWOULDBLOCK);
}

static long read_below(tlsgo_stream *s, const tlsgo_below *b, int *err,
                       int *why, int *entered)
{
    long got;
    unsigned char *room = tlsgo_bio_space(s->in, READ_CHUNK);

    *err = 0;
    *entered = 0;
    if (room == NULL) {
        *err = ENOMEM;
        *why = TLSGO_PULL_BELOW;
        return -1;
    }
    got = b->read(b->ctx, room, READ_CHUNK, err, entered);

    /*
     * The read may have run a script. The stream is still there (the
     * layer is freed only once the call that runs this has left it);
     * what the script did to the layer is the caller's to look at.
     */

    tlsgo_stream_commit(s, got > 0 ? (size_t)got : 0);
    if (got > 0) {
        *why = TLSGO_PULL_DATA;
    } else {
        *why = would_block(got, *err) ? TLSGO_PULL_BLOCKED : TLSGO_PULL_BELOW;
    }
    return got;
}

long tlsgo_stream_fill(tlsgo_stream *s, const tlsgo_below *b, int *err,
                       int *why, int *entered)
{
    long n;

    if (taken(&s->rbelow, &n, err)) {
        *why = TLSGO_PULL_BELOW;
        *entered = 0;
        return n;
    }
    return read_below(s, b, err, why, entered);
}

/*
 * enough reports whether the input holds enough for n bytes of plaintext,
 * or for what a read will report instead (an end or error kept): records
 * carry at most RECORD_OVERHEAD bytes besides their plaintext.
 */
static int enough(tlsgo_stream *s, size_t n)
{
    return s->stash.kind != TLSGO_IO_DONE || s->rbelow.kept ||
           (size_t)SSL_pending(s->ssl) + whole(s) >=
               n + (n / RECORD_SIZE + 1) * RECORD_OVERHEAD;
}

long tlsgo_stream_pull(tlsgo_stream *s, void *p, size_t n,
                       const tlsgo_below *b, int drain, int *why,
                       int *entered, long *read)
{
    int again = 0;      /* a decrypt took nothing: read below first */

    *entered = 0;
    *read = 0;
    for (;;) {
        tlsgo_result r;
        int blocked = 0;
        size_t before;

        /*
         * Ciphertext first, then plaintext: a read below may run a script
         * that reads the channel, which takes p's buffer from this read
         * (Tcl gives the outer read's buffer to the inner one), so nothing
         * is decrypted into p before the last read below. With drain,
         * the input is filled until it holds enough for p or the channel
         * below has nothing more now, so that a short count means that;
         * without, only until something can be decrypted.
         */

        while (again || (drain ? !enough(s, n) : !tlsgo_stream_readable(s))) {
            int err;
            long got = tlsgo_stream_fill(s, b, &err, why, entered);

            again = 0;

            if (*why == TLSGO_PULL_DATA)
                *read += got;
            else if (*why == TLSGO_PULL_BELOW)
                keep(&s->rbelow, got, err); /* after the data before it */
            if (*entered)
                return 0;
            if (*why == TLSGO_PULL_BLOCKED) {
                blocked = 1;
                break;
            }
        }
        if (s->stash.kind != TLSGO_IO_DONE) {
            *why = TLSGO_PULL_END;
            return 0;
        }
        before = whole(s);
        r = tlsgo_read(s->ssl, p, n);
        if (r.kind != TLSGO_IO_DONE && r.kind != TLSGO_IO_WANT_READ) {
            /* Kept for the next read, which reports it as if it had
             * made the call itself; bytes decrypted before it are
             * returned now. */
            s->stash = r;
            s->stash.ret = 0;
        }
        if (r.ret > 0) {
            *why = s->stash.kind == TLSGO_IO_DONE ? TLSGO_PULL_DATA
                                                   : TLSGO_PULL_MORE;
            return r.ret;
        }
        if (s->stash.kind != TLSGO_IO_DONE) {
            *why = TLSGO_PULL_END;
            return 0;
        }
        if (s->rbelow.kept) {
            *why = TLSGO_PULL_BELOW;
            return 0;
        }
        if (blocked) {
            *why = TLSGO_PULL_BLOCKED;
            return 0;
        }
        /* Records without plaintext (tickets, key updates) were taken,
         * or none could be: read below again. */
        again = whole(s) >= before;
    }
}

int tlsgo_stream_flush(tlsgo_stream *s, const tlsgo_below *b, long *n,
                       int *err)
{
    if (taken(&s->wbelow, n, err))
        return TLSGO_FLUSH_STUCK;
    for (;;) {
        int entered = 0;
        tlsgo_span d = tlsgo_bio_data(s->out);

        if (d.p == NULL || d.n == 0)
            return TLSGO_FLUSH_SENT;
        *err = 0;
        *n = b->write(b->ctx, d.p, d.n, err, &entered);
        if (*n > 0)
            tlsgo_bio_consume(s->out, (size_t)*n);
        if (entered) {
            if (*n <= 0)
                keep(&s->wbelow, *n, *err); /* judged by the next flush */
            return TLSGO_FLUSH_ENTERED;
        }
        if (*n <= 0)
            return TLSGO_FLUSH_STUCK;
    }
}

tlsgo_result tlsgo_stream_push(tlsgo_stream *s, const void *p, size_t n,
                               const tlsgo_below *b, int *sent)
{
    long wrote = 0;
    int err = 0;
    tlsgo_result r = tlsgo_stream_write(s, p, n);

    *sent = 0;
    if (r.ret <= 0)
        return r;
    switch (tlsgo_stream_flush(s, b, &wrote, &err)) {
    case TLSGO_FLUSH_SENT:
        *sent = 1;
        break;
    case TLSGO_FLUSH_STUCK:
        keep(&s->wbelow, wrote, err);   /* judged by the next flush */
        break;
    }
    return r;
}

/*
 * The table's functions: the loops above, for the channel procedures'
 * steady-state path, which hands anything but plain byte moving to the
 * driver: what the driver must see to is kept in the stream for it.
 */

static long fast_pull(void *sp, char *p, size_t n, const tlsgo_below *b,
                      int drain, int *status)
{
    tlsgo_stream *s = sp;
    int why, entered;
    long read;
    long got = tlsgo_stream_pull(s, p, n, b, drain, &why, &entered, &read);

    if (entered || waiting(s))
        *status = TLSGO_FAST_OTHER;     /* the layer, or replies: the driver's */
    else if (why == TLSGO_PULL_DATA)
        *status = TLSGO_FAST_OK;
    else if (why == TLSGO_PULL_BLOCKED)
        *status = TLSGO_FAST_BLOCKED;
    else
        *status = TLSGO_FAST_OTHER;
    return got;
}

static long fast_push(void *sp, const char *p, size_t n,
                      const tlsgo_below *b, int *status)
{
    tlsgo_stream *s = sp;
    int sent;
    tlsgo_result r = tlsgo_stream_push(s, p, n, b, &sent);

    if (r.kind != TLSGO_IO_DONE && r.kind != TLSGO_IO_WANT_READ &&
        r.kind != TLSGO_IO_WANT_WRITE) {
        /* A failure is kept for the driver, which reports it as if it
         * had made the call itself (calling SSL_write again would report
         * a later symptom); the bytes taken before it count now. */
        s->wstash = r;
        s->wstash.ret = 0;
    }
    *status = (sent && r.kind == TLSGO_IO_DONE && (size_t)r.ret == n)
                  ? TLSGO_FAST_OK : TLSGO_FAST_OTHER;
    return r.ret;
}

static int fast_readable(void *s)
{
    return tlsgo_stream_readable(s);
}

static const tlsgo_fastpath table = {fast_pull, fast_push, fast_readable};

const void *tlsgo_stream_fastpath(void)
{
    return &table;
}
