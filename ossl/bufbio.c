/*
 * bufbio.c: the buffer BIO of bufbio.h.
 */
#include "bufbio.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct tlsgo_buf {
    unsigned char *p;
    size_t cap, start, end; /* the data is p[start:end] */
    size_t arrived;         /* bytes committed since tlsgo_bio_take_arrived */
    int eof;                /* input: no more data will come (the one home
                             * of the end of input: OpenSSL's reads need it,
                             * and Conn asks here) */
} tlsgo_buf;

static BIO_METHOD *buf_method;

/*
 * Buffers big enough for bulk transfers (a read of the driver's raw chunk,
 * the records of a 64 KiB write) all have one size, BUF_BIG, and are kept
 * in a small process-wide pool when released: a busy connection empties
 * its buffers after every read and write, and taking fresh memory from
 * the system each time (page faults, zeroing) would cost more than the
 * copies saved. Smaller buffers come and go through malloc.
 */
#define BUF_SMALL ((size_t)16 * 1024)
#define BUF_BIG ((size_t)256 * 1024)
#define BUF_POOL 16

static struct {
    pthread_mutex_t lock;
    unsigned char *free[BUF_POOL];
    int n;
} pool = {PTHREAD_MUTEX_INITIALIZER, {NULL}, 0};

static unsigned char *buf_alloc(size_t cap)
{
    unsigned char *p = NULL;
    if (cap == BUF_BIG) {
        pthread_mutex_lock(&pool.lock);
        if (pool.n > 0)
            p = pool.free[--pool.n];
        pthread_mutex_unlock(&pool.lock);
    }
    return p != NULL ? p : malloc(cap);
}

static void buf_free(unsigned char *p, size_t cap)
{
    if (p != NULL && cap == BUF_BIG) {
        pthread_mutex_lock(&pool.lock);
        if (pool.n < BUF_POOL) {
            pool.free[pool.n++] = p;
            p = NULL;
        }
        pthread_mutex_unlock(&pool.lock);
    }
    free(p);
}

/* buf_capacity is the size of a buffer that holds need bytes. */
static size_t buf_capacity(size_t need)
{
    size_t cap = 4096;
    if (need > BUF_SMALL && need <= BUF_BIG)
        return BUF_BIG;
    while (cap < need)
        cap *= 2;
    return cap;
}

static void buf_release(tlsgo_buf *q)
{
    buf_free(q->p, q->cap);
    q->p = NULL;
    q->cap = q->start = q->end = 0;
}

/* buf_reserve makes room for n more bytes after the data and returns it. */
static unsigned char *buf_reserve(tlsgo_buf *q, size_t n)
{
    size_t len = q->end - q->start;
    if (q->cap - q->end >= n)
        return q->p + q->end;
    if (q->cap - len >= n && len <= q->start) {
        memcpy(q->p, q->p + q->start, len);
        q->start = 0;
        q->end = len;
        return q->p + q->end;
    }
    size_t cap = buf_capacity(len + n);
    if (cap < len + n)
        return NULL; /* overflow */
    unsigned char *np = buf_alloc(cap);
    if (np == NULL)
        return NULL;
    if (len > 0)
        memcpy(np, q->p + q->start, len);
    buf_free(q->p, q->cap);
    q->p = np;
    q->cap = cap;
    q->start = 0;
    q->end = len;
    return q->p + q->end;
}

static void buf_consume(tlsgo_buf *q, size_t n)
{
    size_t len = q->end - q->start;
    q->start += n < len ? n : len;
    if (q->start >= q->end)
        buf_release(q);
}

static int m_create(BIO *b)
{
    tlsgo_buf *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return 0;
    BIO_set_data(b, q);
    BIO_set_init(b, 1);
    return 1;
}

static int m_destroy(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    if (q != NULL) {
        buf_release(q);
        free(q);
    }
    BIO_set_data(b, NULL);
    return 1;
}

static int m_read(BIO *b, char *out, int outl)
{
    tlsgo_buf *q = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    size_t len = q->end - q->start;
    if (len == 0) {
        if (q->eof)
            return 0;
        BIO_set_retry_read(b);
        return -1;
    }
    if (outl <= 0)
        return 0;
    if ((size_t)outl > len)
        outl = (int)len;
    memcpy(out, q->p + q->start, (size_t)outl);
    buf_consume(q, (size_t)outl);
    return outl;
}

static int m_write(BIO *b, const char *in, int inl)
{
    tlsgo_buf *q = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    if (inl <= 0)
        return 0;
    unsigned char *dst = buf_reserve(q, (size_t)inl);
    if (dst == NULL)
        return -1;
    memcpy(dst, in, (size_t)inl);
    q->end += (size_t)inl;
    q->arrived += (size_t)inl;
    return inl;
}

static long m_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    tlsgo_buf *q = BIO_get_data(b);
    (void)num;
    (void)ptr;
    switch (cmd) {
    case BIO_CTRL_PENDING:
        return (long)(q->end - q->start);
    case BIO_CTRL_EOF:
        return q->eof && q->start == q->end;
    case BIO_CTRL_RESET:
        buf_release(q);
        q->eof = 0;
        return 1;
    case BIO_CTRL_FLUSH:
        return 1;
    default:
        return 0;
    }
}

int tlsgo_bio_init(void)
{
    buf_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tls buffer");
    return buf_method != NULL
        && BIO_meth_set_create(buf_method, m_create)
        && BIO_meth_set_destroy(buf_method, m_destroy)
        && BIO_meth_set_read(buf_method, m_read)
        && BIO_meth_set_write(buf_method, m_write)
        && BIO_meth_set_ctrl(buf_method, m_ctrl);
}

BIO *tlsgo_bio_new(void)
{
    return BIO_new(buf_method);
}

void tlsgo_bio_free(BIO *b)
{
    BIO_free(b);
}

unsigned char *tlsgo_bio_space(BIO *b, size_t n)
{
    return buf_reserve(BIO_get_data(b), n);
}

void tlsgo_bio_commit(BIO *b, size_t n)
{
    tlsgo_buf *q = BIO_get_data(b);
    if (n > q->cap - q->end)
        n = q->cap - q->end;
    q->end += n;
    q->arrived += n;
    if (q->start == q->end)
        buf_release(q);
}

tlsgo_span tlsgo_bio_data(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    tlsgo_span s = {NULL, 0};
    if (q->p != NULL && q->end > q->start) {
        s.p = q->p + q->start;
        s.n = q->end - q->start;
    }
    return s;
}

void tlsgo_bio_consume(BIO *b, size_t n)
{
    buf_consume(BIO_get_data(b), n);
}

size_t tlsgo_bio_len(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    return q->end - q->start;
}

size_t tlsgo_bio_cap(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    return q->cap;
}

size_t tlsgo_bio_take_arrived(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    size_t n = q->arrived;
    q->arrived = 0;
    return n;
}

void tlsgo_bio_set_eof(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    q->eof = 1;
}

int tlsgo_bio_ended(BIO *b)
{
    return ((tlsgo_buf *)BIO_get_data(b))->eof;
}
