/*
 * shim.c: the only C code of package ossl. One small function per OpenSSL
 * operation; see shim.h for the error-handling contract.
 */
#include "shim.h"
#include <pthread.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* Implemented in Go (callbacks.go). */
extern int tlsgoPasswordCallback(uintptr_t handle, char *buf, int size);

/* ex_data slots, created once by tlsgo_init. */
static int tlsgo_ctx_keylog_idx = -1; /* SSL_CTX: malloc'd key log path */
static int tlsgo_ssl_hook_idx = -1;   /* SSL: cgo.Handle of the Go Conn hooks, 0 if none */

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

static void copy_str(char *dst, size_t size, const char *src)
{
    if (src == NULL)
        src = "";
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* reason_of returns the reason part of an ERR_error_string_n line
 * ("error:0A000086:SSL routines::certificate verify failed"). */
static const char *reason_of(const char *line)
{
    const char *p = line;
    for (int i = 0; i < 4; i++) {
        p = strchr(p, ':');
        if (p == NULL)
            return line;
        p++;
    }
    return p;
}

/*
 * drain empties the calling thread's error queue into a fresh tlsgo_err.
 * ssl may be NULL; when given, the verify result is recorded too.
 */
static tlsgo_err *drain(int ssl_error, int sys_errno, const SSL *ssl)
{
    tlsgo_err *e = calloc(1, sizeof(*e));
    if (e == NULL) {
        ERR_clear_error();
        return NULL;
    }
    e->ssl_error = ssl_error;
    e->sys_errno = sys_errno;
    e->verify_result = X509_V_OK;
    if (ssl != NULL) {
        e->verify_result = SSL_get_verify_result(ssl);
        if (e->verify_result != X509_V_OK)
            copy_str(e->verify, sizeof(e->verify),
                     X509_verify_cert_error_string(e->verify_result));
    }
    for (;;) {
        const char *data = NULL;
        int flags = 0;
        unsigned long code = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
        if (code == 0)
            break;
        if (e->n >= TLSGO_ERR_MAX) {
            e->dropped++;
            continue;
        }
        char *line = e->lines[e->n];
        ERR_error_string_n(code, line, TLSGO_ERR_LINE);
        if (e->n == 0) {
            const char *r = ERR_reason_error_string(code);
            copy_str(e->reason, sizeof(e->reason), r != NULL ? r : reason_of(line));
        }
        if (data != NULL && (flags & ERR_TXT_STRING) && data[0] != '\0') {
            size_t used = strlen(line);
            if (used + 2 < TLSGO_ERR_LINE) {
                line[used] = ':';
                copy_str(line + used + 1, TLSGO_ERR_LINE - used - 1, data);
            }
        }
        e->codes[e->n] = code;
        e->n++;
    }
    return e;
}

/* ok_or_drain builds the result of a call that returns 1 on success. */
static tlsgo_result ok_or_drain(long ret)
{
    tlsgo_result r = {ret, SSL_ERROR_NONE, NULL};
    int sys = errno;
    if (ret != 1) {
        r.ssl_error = SSL_ERROR_SSL;
        r.err = drain(SSL_ERROR_SSL, sys, NULL);
    } else {
        ERR_clear_error();
    }
    return r;
}

void tlsgo_err_free(tlsgo_err *e)
{
    free(e);
}

/* ------------------------------------------------------------------ */
/* Library                                                            */
/* ------------------------------------------------------------------ */

static void free_str_ex(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
                        long argl, void *argp)
{
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    free(ptr);
}

static int buf_init(void);

int tlsgo_init(void)
{
    if (!OPENSSL_init_ssl(0, NULL))
        return 0;
    tlsgo_ctx_keylog_idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, free_str_ex);
    tlsgo_ssl_hook_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    int hooks = tlsgo_hooks_init();
    int bufs = buf_init();
    ERR_clear_error();
    return tlsgo_ctx_keylog_idx >= 0 && tlsgo_ssl_hook_idx >= 0 && hooks && bufs;
}

const char *tlsgo_openssl_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

int tlsgo_has_ssl3(void)
{
#ifdef OPENSSL_NO_SSL3
    return 0;
#else
    return 1;
#endif
}

/* ------------------------------------------------------------------ */
/* Callbacks that stay in C                                           */
/* ------------------------------------------------------------------ */

/*
 * tlsgo_verify_cb is set on every SSL. Without FAIL_IF_NO_PEER_CERT in the
 * verify mode it accepts whatever OpenSSL found: the error is still
 * recorded and SSL_get_verify_result reports it.
 */
static int tlsgo_verify_cb(int preverify, X509_STORE_CTX *xs)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
    if (ssl == NULL)
        return preverify;
    uintptr_t hook = (uintptr_t)SSL_get_ex_data(ssl, tlsgo_ssl_hook_idx);
    if (hook != 0) {
        int r = tlsgo_hook_verify(hook, preverify, xs);
        if (r >= 0)
            return r;
    }
    if (SSL_get_verify_mode(ssl) & SSL_VERIFY_FAIL_IF_NO_PEER_CERT)
        return preverify;
    return 1;
}

/* tlsgo_password_cb forwards to Go when the context holds a handle and
 * refuses otherwise, so OpenSSL never prompts on the terminal. */
static int tlsgo_password_cb(char *buf, int size, int rwflag, void *userdata)
{
    (void)rwflag;
    uintptr_t handle = (uintptr_t)userdata;
    if (handle == 0 || buf == NULL || size <= 0)
        return -1;
    return tlsgoPasswordCallback(handle, buf, size);
}

static void tlsgo_keylog_cb(const SSL *ssl, const char *line)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    const char *path = SSL_CTX_get_ex_data(ctx, tlsgo_ctx_keylog_idx);
    if (path == NULL || line == NULL)
        return;
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return;
    fprintf(f, "%s\n", line);
    fclose(f);
}

/* ------------------------------------------------------------------ */
/* Contexts                                                           */
/* ------------------------------------------------------------------ */

tlsgo_result tlsgo_ctx_new(SSL_CTX **out)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    *out = ctx;
    if (ctx == NULL)
        return ok_or_drain(0);
    SSL_CTX_set_options(ctx, SSL_OP_ALL | SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_default_passwd_cb(ctx, tlsgo_password_cb);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
    tlsgo_ctx_install_hooks(ctx);
    return ok_or_drain(1);
}

void tlsgo_ctx_free(SSL_CTX *ctx)
{
    SSL_CTX_free(ctx);
}

tlsgo_result tlsgo_ctx_set_protocols(SSL_CTX *ctx, int min_version, int max_version,
                                     uint64_t no_options)
{
    ERR_clear_error();
    if (!SSL_CTX_set_min_proto_version(ctx, min_version))
        return ok_or_drain(0);
    if (!SSL_CTX_set_max_proto_version(ctx, max_version))
        return ok_or_drain(0);
    SSL_CTX_set_options(ctx, no_options);
    return ok_or_drain(1);
}

tlsgo_result tlsgo_ctx_set_cipher_list(SSL_CTX *ctx, const char *list)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_set_cipher_list(ctx, list));
}

tlsgo_result tlsgo_ctx_set_ciphersuites(SSL_CTX *ctx, const char *suites)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_set_ciphersuites(ctx, suites));
}

void tlsgo_ctx_set_security_level(SSL_CTX *ctx, int level)
{
    SSL_CTX_set_security_level(ctx, level);
}

void tlsgo_ctx_set_password_handle(SSL_CTX *ctx, uintptr_t handle)
{
    SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)handle);
}

tlsgo_result tlsgo_ctx_use_certificate_chain_file(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_use_certificate_chain_file(ctx, path));
}

tlsgo_result tlsgo_ctx_use_certificate_der(SSL_CTX *ctx, const unsigned char *der, int len)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_use_certificate_ASN1(ctx, len, der));
}

tlsgo_result tlsgo_ctx_use_private_key_file(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM));
}

tlsgo_result tlsgo_ctx_use_private_key_der(SSL_CTX *ctx, const unsigned char *der, int len)
{
    ERR_clear_error();
    const unsigned char *p = der;
    EVP_PKEY *pkey = d2i_AutoPrivateKey(NULL, &p, len);
    if (pkey == NULL)
        return ok_or_drain(0);
    int ret = SSL_CTX_use_PrivateKey(ctx, pkey);
    EVP_PKEY_free(pkey);
    return ok_or_drain(ret);
}

tlsgo_result tlsgo_ctx_check_private_key(SSL_CTX *ctx)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_check_private_key(ctx));
}

int tlsgo_ctx_has_certificate(SSL_CTX *ctx)
{
    return SSL_CTX_get0_certificate(ctx) != NULL;
}

tlsgo_result tlsgo_ctx_load_verify_file(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_load_verify_file(ctx, path));
}

tlsgo_result tlsgo_ctx_load_verify_dir(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_load_verify_dir(ctx, path));
}

tlsgo_result tlsgo_ctx_set_client_ca_file(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(path);
    if (names == NULL)
        return ok_or_drain(0);
    SSL_CTX_set_client_CA_list(ctx, names);
    return ok_or_drain(1);
}

tlsgo_result tlsgo_ctx_set_default_verify_paths(SSL_CTX *ctx)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_set_default_verify_paths(ctx));
}

/*
 * Completes the certificate chain sent to the peer once, from the context's
 * store, when the certificate came without one. Otherwise OpenSSL rebuilds
 * it in every handshake, searching the CA directories (and, for the default
 * paths, reading /etc/ssl/certs) each time. What cannot be completed is
 * left out, as the handshake-time search would leave it.
 */
void tlsgo_ctx_build_chain(SSL_CTX *ctx)
{
    STACK_OF(X509) *chain = NULL;
    if (SSL_CTX_get0_certificate(ctx) == NULL)
        return;
    if (SSL_CTX_get0_chain_certs(ctx, &chain) == 1 && chain != NULL && sk_X509_num(chain) > 0)
        return;
    ERR_clear_error();
    SSL_CTX_build_cert_chain(ctx, SSL_BUILD_CHAIN_FLAG_IGNORE_ERROR | SSL_BUILD_CHAIN_FLAG_CLEAR_ERROR);
    ERR_clear_error();
}

tlsgo_result tlsgo_ctx_set_dh_file(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    BIO *bio = BIO_new_file(path, "r");
    if (bio == NULL)
        return ok_or_drain(0);
    EVP_PKEY *dh = PEM_read_bio_Parameters(bio, NULL);
    BIO_free(bio);
    if (dh == NULL)
        return ok_or_drain(0);
    if (EVP_PKEY_get_base_id(dh) != EVP_PKEY_DH) {
        EVP_PKEY_free(dh);
        ERR_raise_data(ERR_LIB_SSL, SSL_R_BAD_DH_VALUE, "not DH parameters");
        return ok_or_drain(0);
    }
    /* set0 takes ownership on success only. */
    if (!SSL_CTX_set0_tmp_dh_pkey(ctx, dh)) {
        EVP_PKEY_free(dh);
        return ok_or_drain(0);
    }
    return ok_or_drain(1);
}

tlsgo_result tlsgo_ctx_set_dh_auto(SSL_CTX *ctx)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_set_dh_auto(ctx, 1) ? 1 : 0);
}

tlsgo_result tlsgo_ctx_set_keylog_file(SSL_CTX *ctx, const char *path)
{
    ERR_clear_error();
    char *copy = strdup(path);
    if (copy == NULL) {
        ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
        return ok_or_drain(0);
    }
    free(SSL_CTX_get_ex_data(ctx, tlsgo_ctx_keylog_idx));
    if (!SSL_CTX_set_ex_data(ctx, tlsgo_ctx_keylog_idx, copy)) {
        free(copy);
        return ok_or_drain(0);
    }
    SSL_CTX_set_keylog_callback(ctx, tlsgo_keylog_cb);
    return ok_or_drain(1);
}

/* ------------------------------------------------------------------ */
/* Buffer BIOs: the ciphertext a connection exchanges with the network */
/* ------------------------------------------------------------------ */

/*
 * A buffer BIO holds bytes in one malloc'd buffer that the caller reaches
 * directly: received ciphertext is read from the network straight into its
 * free space (tlsgo_in_space, tlsgo_in_commit), and ciphertext to send is
 * written to the network straight from its data (tlsgo_out_data,
 * tlsgo_out_consume). That saves a copy each way over memory BIOs. The
 * buffer is freed whenever it empties, so an idle connection holds none.
 */
typedef struct tlsgo_buf {
    unsigned char *p;
    size_t cap, start, end; /* the data is p[start:end] */
    int eof;                /* input: no more data will come */
} tlsgo_buf;

static BIO_METHOD *tlsgo_buf_method;

/*
 * Buffers big enough for bulk transfers (a read of rawChunk, the records
 * of a 64 KiB write) all have one size, BUF_BIG, and are kept in a small
 * process-wide pool when released: a busy connection empties its buffers
 * after every read and write, and taking fresh memory from the system each
 * time (page faults, zeroing) would cost more than the copies saved.
 * Smaller buffers come and go through malloc.
 */
#define BUF_SMALL ((size_t)16 * 1024)
#define BUF_BIG ((size_t)256 * 1024)
#define BUF_POOL 16

static struct {
    pthread_mutex_t lock;
    unsigned char *free[BUF_POOL];
    int n;
} buf_pool = {PTHREAD_MUTEX_INITIALIZER, {NULL}, 0};

static unsigned char *buf_alloc(size_t cap)
{
    unsigned char *p = NULL;
    if (cap == BUF_BIG) {
        pthread_mutex_lock(&buf_pool.lock);
        if (buf_pool.n > 0)
            p = buf_pool.free[--buf_pool.n];
        pthread_mutex_unlock(&buf_pool.lock);
    }
    return p != NULL ? p : malloc(cap);
}

static void buf_free(unsigned char *p, size_t cap)
{
    if (p != NULL && cap == BUF_BIG) {
        pthread_mutex_lock(&buf_pool.lock);
        if (buf_pool.n < BUF_POOL) {
            buf_pool.free[buf_pool.n++] = p;
            p = NULL;
        }
        pthread_mutex_unlock(&buf_pool.lock);
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
    q->start += n;
    if (q->start >= q->end)
        buf_release(q);
}

static int buf_create(BIO *b)
{
    tlsgo_buf *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return 0;
    BIO_set_data(b, q);
    BIO_set_init(b, 1);
    return 1;
}

static int buf_destroy(BIO *b)
{
    tlsgo_buf *q = BIO_get_data(b);
    if (q != NULL) {
        buf_release(q);
        free(q);
    }
    BIO_set_data(b, NULL);
    return 1;
}

static int buf_read(BIO *b, char *out, int outl)
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

static int buf_write(BIO *b, const char *in, int inl)
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
    return inl;
}

static long buf_ctrl(BIO *b, int cmd, long num, void *ptr)
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

static int buf_init(void)
{
    tlsgo_buf_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tls buffer");
    return tlsgo_buf_method != NULL
        && BIO_meth_set_create(tlsgo_buf_method, buf_create)
        && BIO_meth_set_destroy(tlsgo_buf_method, buf_destroy)
        && BIO_meth_set_read(tlsgo_buf_method, buf_read)
        && BIO_meth_set_write(tlsgo_buf_method, buf_write)
        && BIO_meth_set_ctrl(tlsgo_buf_method, buf_ctrl);
}

static tlsgo_buf *rbuf_of(SSL *ssl)
{
    return BIO_get_data(SSL_get_rbio(ssl));
}

static tlsgo_buf *wbuf_of(SSL *ssl)
{
    return BIO_get_data(SSL_get_wbio(ssl));
}

unsigned char *tlsgo_in_space(SSL *ssl, int n)
{
    return buf_reserve(rbuf_of(ssl), (size_t)n);
}

void tlsgo_in_commit(SSL *ssl, int n)
{
    tlsgo_buf *q = rbuf_of(ssl);
    q->end += (size_t)n;
    if (q->start == q->end)
        buf_release(q);
}

int tlsgo_out_reserve(SSL *ssl, int n)
{
    return buf_reserve(wbuf_of(ssl), (size_t)n) != NULL;
}

unsigned char *tlsgo_out_data(SSL *ssl, int *len)
{
    tlsgo_buf *q = wbuf_of(ssl);
    *len = (int)(q->end - q->start);
    return q->p == NULL ? NULL : q->p + q->start;
}

void tlsgo_out_consume(SSL *ssl, int n)
{
    buf_consume(wbuf_of(ssl), (size_t)n);
}

/* ------------------------------------------------------------------ */
/* Connections                                                        */
/* ------------------------------------------------------------------ */

tlsgo_result tlsgo_conn_new(SSL_CTX *ctx, int server, SSL **out)
{
    ERR_clear_error();
    *out = NULL;
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return ok_or_drain(0);
    BIO *in = BIO_new(tlsgo_buf_method);
    BIO *outb = BIO_new(tlsgo_buf_method);
    if (in == NULL || outb == NULL) {
        BIO_free(in);
        BIO_free(outb);
        SSL_free(ssl);
        return ok_or_drain(0);
    }
    /* An empty input BIO means "retry later" until tlsgo_feed_eof. */
    SSL_set_bio(ssl, in, outb);
    if (server)
        SSL_set_accept_state(ssl);
    else
        SSL_set_connect_state(ssl);
    SSL_set_verify(ssl, SSL_VERIFY_NONE, tlsgo_verify_cb);
    SSL_set_ex_data(ssl, tlsgo_ssl_hook_idx, NULL);
    *out = ssl;
    return ok_or_drain(1);
}

void tlsgo_conn_free(SSL *ssl)
{
    SSL_free(ssl);
}

void tlsgo_conn_set_verify(SSL *ssl, int mode)
{
    SSL_set_verify(ssl, mode, tlsgo_verify_cb);
}

void tlsgo_conn_set_post_handshake_auth(SSL *ssl)
{
    SSL_set_post_handshake_auth(ssl, 1);
}

tlsgo_result tlsgo_conn_set_sni(SSL *ssl, const char *name)
{
    ERR_clear_error();
    return ok_or_drain(SSL_set_tlsext_host_name(ssl, name) == 1 ? 1 : 0);
}

tlsgo_result tlsgo_conn_set_host(SSL *ssl, const char *name)
{
    ERR_clear_error();
    return ok_or_drain(SSL_set1_host(ssl, name));
}

tlsgo_result tlsgo_conn_set_ip(SSL *ssl, const char *ip)
{
    ERR_clear_error();
    return ok_or_drain(X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip));
}

tlsgo_result tlsgo_conn_set_alpn(SSL *ssl, const unsigned char *wire, unsigned int len)
{
    ERR_clear_error();
    /* SSL_set_alpn_protos returns 0 on success. */
    return ok_or_drain(SSL_set_alpn_protos(ssl, wire, len) == 0 ? 1 : 0);
}

tlsgo_result tlsgo_conn_set_session_id_context(SSL *ssl, const unsigned char *sid, unsigned int len)
{
    ERR_clear_error();
    return ok_or_drain(SSL_set_session_id_context(ssl, sid, len));
}

void tlsgo_conn_set_hook(SSL *ssl, uintptr_t handle)
{
    SSL_set_ex_data(ssl, tlsgo_ssl_hook_idx, (void *)handle);
}

/* ------------------------------------------------------------------ */
/* Data paths                                                         */
/* ------------------------------------------------------------------ */

int tlsgo_feed(SSL *ssl, const void *p, int n)
{
    return BIO_write(SSL_get_rbio(ssl), p, n);
}

void tlsgo_feed_eof(SSL *ssl)
{
    rbuf_of(ssl)->eof = 1;
}

size_t tlsgo_outgoing(SSL *ssl)
{
    return BIO_ctrl_pending(SSL_get_wbio(ssl));
}

int tlsgo_take_outgoing(SSL *ssl, void *p, int n)
{
    int r = BIO_read(SSL_get_wbio(ssl), p, n);
    return r > 0 ? r : 0;
}

size_t tlsgo_pending(SSL *ssl)
{
    int plain = SSL_pending(ssl);
    if (plain < 0)
        plain = 0;
    return (size_t)plain + BIO_ctrl_pending(SSL_get_rbio(ssl));
}

/* io_result classifies a failed SSL call; plain retries carry no error. */
static tlsgo_result io_result(SSL *ssl, long ret, int rc, int with_verify)
{
    tlsgo_result r = {ret, SSL_ERROR_NONE, NULL};
    int sys = errno;
    r.ssl_error = SSL_get_error(ssl, rc);
    switch (r.ssl_error) {
    case SSL_ERROR_NONE:
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        ERR_clear_error();
        break;
    default:
        r.err = drain(r.ssl_error, sys, with_verify ? ssl : NULL);
        break;
    }
    return r;
}

tlsgo_result tlsgo_handshake(SSL *ssl)
{
    ERR_clear_error();
    errno = 0;
    int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
        tlsgo_result r = {1, SSL_ERROR_NONE, NULL};
        ERR_clear_error();
        return r;
    }
    return io_result(ssl, rc, rc, 1);
}

tlsgo_result tlsgo_read(SSL *ssl, void *p, size_t n)
{
    size_t total = 0;
    ERR_clear_error();
    errno = 0;
    while (total < n) {
        size_t got = 0;
        int rc = SSL_read_ex(ssl, (unsigned char *)p + total, n - total, &got);
        if (rc == 1) {
            total += got;
            continue;
        }
        return io_result(ssl, (long)total, rc, 0);
    }
    tlsgo_result r = {(long)total, SSL_ERROR_NONE, NULL};
    return r;
}

tlsgo_result tlsgo_write(SSL *ssl, const void *p, size_t n)
{
    size_t total = 0;
    ERR_clear_error();
    errno = 0;
    while (total < n) {
        size_t put = 0;
        int rc = SSL_write_ex(ssl, (const unsigned char *)p + total, n - total, &put);
        if (rc == 1) {
            total += put;
            continue;
        }
        return io_result(ssl, (long)total, rc, 0);
    }
    tlsgo_result r = {(long)total, SSL_ERROR_NONE, NULL};
    return r;
}

void tlsgo_shutdown(SSL *ssl)
{
    ERR_clear_error();
    (void)SSL_shutdown(ssl);
    ERR_clear_error();
}

/* ------------------------------------------------------------------ */
/* Introspection                                                      */
/* ------------------------------------------------------------------ */

const char *tlsgo_version(SSL *ssl)
{
    return SSL_get_version(ssl);
}

const char *tlsgo_cipher_name(SSL *ssl)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    return c != NULL ? SSL_CIPHER_get_name(c) : NULL;
}

int tlsgo_secret_bits(SSL *ssl)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    return c != NULL ? SSL_CIPHER_get_bits(c, NULL) : 0;
}

int tlsgo_alpn_selected(SSL *ssl, const unsigned char **data)
{
    unsigned int len = 0;
    *data = NULL;
    SSL_get0_alpn_selected(ssl, data, &len);
    return (int)len;
}

const char *tlsgo_verify_result_string(SSL *ssl)
{
    return X509_verify_cert_error_string(SSL_get_verify_result(ssl));
}

int tlsgo_peer_certificate_der(SSL *ssl, unsigned char *buf, int len)
{
    X509 *x = SSL_get0_peer_certificate(ssl);
    if (x == NULL)
        return 0;
    int need = i2d_X509(x, NULL);
    if (need <= 0)
        return 0;
    if (buf == NULL)
        return need;
    if (len < need)
        return -1;
    unsigned char *p = buf;
    return i2d_X509(x, &p);
}

const char *tlsgo_servername(SSL *ssl)
{
    return SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
}

/* ------------------------------------------------------------------ */
/* Trust stores, session id context, context sharing                  */
/* ------------------------------------------------------------------ */

/* tlsgo_default_ca_locations reports where OpenSSL's default verify paths
 * point now: $SSL_CERT_FILE / $SSL_CERT_DIR, else the compiled-in paths. */
void tlsgo_default_ca_locations(const char **file, const char **dir)
{
    const char *f = getenv(X509_get_default_cert_file_env());
    const char *d = getenv(X509_get_default_cert_dir_env());
    *file = (f != NULL && f[0] != '\0') ? f : X509_get_default_cert_file();
    *dir = (d != NULL && d[0] != '\0') ? d : X509_get_default_cert_dir();
}

const char *tlsgo_getenv(const char *name)
{
    return getenv(name);
}

/* tlsgo_store_new_default builds a store from the default verify paths:
 * the certificate file is parsed now, the hashed directory is searched on
 * demand. A missing default file is not an error. */
tlsgo_result tlsgo_store_new_default(X509_STORE **out)
{
    ERR_clear_error();
    *out = X509_STORE_new();
    if (*out == NULL)
        return ok_or_drain(0);
    X509_STORE_set_default_paths(*out);
    ERR_clear_error();
    return ok_or_drain(1);
}

void tlsgo_store_free(X509_STORE *store)
{
    X509_STORE_free(store);
}

/*
 * tlsgo_ctx_use_store_copy gives ctx a store of its own that starts with
 * every certificate and CRL of base (already parsed) and searches the
 * default hashed directory on demand; -cafile/-cadir are then loaded into
 * it. base may be NULL for an empty store.
 */
tlsgo_result tlsgo_ctx_use_store_copy(SSL_CTX *ctx, X509_STORE *base)
{
    ERR_clear_error();
    X509_STORE *store = X509_STORE_new();
    if (store == NULL)
        return ok_or_drain(0);
    if (base != NULL) {
        int ok = 1;
        if (!X509_STORE_lock(base)) {
            X509_STORE_free(store);
            return ok_or_drain(0);
        }
        STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(base);
        for (int i = 0; ok && i < sk_X509_OBJECT_num(objs); i++) {
            X509_OBJECT *o = sk_X509_OBJECT_value(objs, i);
            X509 *x = X509_OBJECT_get0_X509(o);
            X509_CRL *crl = X509_OBJECT_get0_X509_CRL(o);
            if (x != NULL)
                ok = X509_STORE_add_cert(store, x);
            else if (crl != NULL)
                ok = X509_STORE_add_crl(store, crl);
        }
        X509_STORE_unlock(base);
        X509_LOOKUP *dir = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
        if (!ok || dir == NULL) {
            X509_STORE_free(store);
            return ok_or_drain(0);
        }
        X509_LOOKUP_add_dir(dir, NULL, X509_FILETYPE_DEFAULT);
    }
    SSL_CTX_set_cert_store(ctx, store);
    return ok_or_drain(1);
}

/* tlsgo_ctx_share_store makes ctx use store itself (reference counted). */
void tlsgo_ctx_share_store(SSL_CTX *ctx, X509_STORE *store)
{
    SSL_CTX_set1_cert_store(ctx, store);
}

tlsgo_result tlsgo_ctx_set_session_id_context(SSL_CTX *ctx, const unsigned char *sid, unsigned int len)
{
    ERR_clear_error();
    return ok_or_drain(SSL_CTX_set_session_id_context(ctx, sid, len));
}

/* tlsgo_conn_ctx returns the SSL_CTX of ssl with a reference of its own. */
SSL_CTX *tlsgo_conn_ctx(SSL *ssl)
{
    SSL_CTX *ctx = SSL_get_SSL_CTX(ssl);
    if (ctx == NULL || !SSL_CTX_up_ref(ctx))
        return NULL;
    return ctx;
}

/* ------------------------------------------------------------------ */
/* Connection hooks: info, verify, client hello, SNI, ALPN selection  */
/* and new sessions, forwarded to Go (callbacks.go, hooks.go).        */
/* ------------------------------------------------------------------ */

extern int tlsgoVerifyHook(uintptr_t hook, int preverify, int depth, int err,
                           char *errstr, unsigned char *der, int derlen);
extern void tlsgoInfoHook(uintptr_t hook, char *major, char *minor, char *msg, char *type);
extern int tlsgoHelloHook(uintptr_t hook, char *name, int len);
extern int tlsgoSNIHook(uintptr_t hook, char *name);
extern int tlsgoALPNHook(uintptr_t hook, char *proto, int len, int match);
extern void tlsgoSessionHook(uintptr_t hook, unsigned char *id, int idlen,
                             unsigned char *ticket, int ticketlen, long lifetime);

/* SSL: the server's ALPN list in wire format, a malloc'd tlsgo_alpn. */
static int tlsgo_ssl_alpn_idx = -1;

typedef struct tlsgo_alpn {
    unsigned int len;
    unsigned char wire[];
} tlsgo_alpn;

int tlsgo_hooks_init(void)
{
    tlsgo_ssl_alpn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, free_str_ex);
    return tlsgo_ssl_alpn_idx >= 0;
}

static uintptr_t hook_of(const SSL *ssl)
{
    return (uintptr_t)SSL_get_ex_data(ssl, tlsgo_ssl_hook_idx);
}

/*
 * tlsgo_hook_verify asks Go about one certificate of the peer's chain.
 * Go answers -1 (no opinion: the default rules apply), 0 (reject and
 * abort), 1 (accept) or 2 (reject but continue: the handshake goes on
 * and the failure stays in the verify result).
 */
int tlsgo_hook_verify(uintptr_t hook, int preverify, X509_STORE_CTX *xs)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(xs);
    int depth = X509_STORE_CTX_get_error_depth(xs);
    int err = X509_STORE_CTX_get_error(xs);
    unsigned char *der = NULL;
    int len = cert != NULL ? i2d_X509(cert, &der) : 0;
    if (len < 0)
        len = 0;
    int r = tlsgoVerifyHook(hook, preverify, depth, err,
                            (char *)X509_verify_cert_error_string(err), der, len);
    OPENSSL_free(der);
    switch (r) {
    case 0:
        if (err == X509_V_OK)
            X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    case 2:
        if (err == X509_V_OK)
            X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
        return 1;
    case 1:
        return 1;
    }
    return -1;
}

static void tlsgo_info_cb(const SSL *ssl, int where, int ret)
{
    uintptr_t hook = hook_of(ssl);
    if (hook == 0)
        return;
    const char *major, *minor, *msg, *type;
    if (where & SSL_CB_HANDSHAKE_START) {
        major = "handshake";
        minor = "start";
    } else if (where & SSL_CB_HANDSHAKE_DONE) {
        major = "handshake";
        minor = "done";
    } else {
        if (where & SSL_CB_ALERT)
            major = "alert";
        else if (where & SSL_ST_CONNECT)
            major = "connect";
        else if (where & SSL_ST_ACCEPT)
            major = "accept";
        else
            major = "unknown";
        if (where & SSL_CB_READ)
            minor = "read";
        else if (where & SSL_CB_WRITE)
            minor = "write";
        else if (where & SSL_CB_LOOP)
            minor = "loop";
        else if (where & SSL_CB_EXIT)
            minor = "exit";
        else
            minor = "unknown";
    }
    if (where & SSL_CB_ALERT) {
        msg = SSL_alert_desc_string_long(ret);
        type = SSL_alert_type_string_long(ret);
    } else {
        msg = SSL_state_string_long(ssl);
        type = "info";
    }
    tlsgoInfoHook(hook, (char *)major, (char *)minor, (char *)msg, (char *)type);
}

void tlsgo_conn_set_info(SSL *ssl, int on)
{
    SSL_set_info_callback(ssl, on ? tlsgo_info_cb : NULL);
}

/* The host name of a ClientHello's server_name extension, or an empty
 * name when there is none or it cannot be parsed. */
static int tlsgo_client_hello_cb(SSL *ssl, int *al, void *arg)
{
    (void)arg;
    uintptr_t hook = hook_of(ssl);
    if (hook == 0)
        return SSL_CLIENT_HELLO_SUCCESS;
    const unsigned char *p = NULL;
    size_t len = 0;
    const unsigned char *name = NULL;
    int namelen = 0;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) && len >= 5) {
        size_t list = ((size_t)p[0] << 8) | p[1];
        size_t n = ((size_t)p[3] << 8) | p[4];
        if (list + 2 <= len && p[2] == TLSEXT_NAMETYPE_host_name && n + 3 <= list && n <= 255) {
            name = p + 5;
            namelen = (int)n;
        }
    }
    int r = tlsgoHelloHook(hook, (char *)name, namelen);
    if (r == 0) {
        *al = SSL_AD_HANDSHAKE_FAILURE;
        return SSL_CLIENT_HELLO_ERROR;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

/* Called by servers only when the client sent SNI. */
static int tlsgo_servername_cb(SSL *ssl, int *al, void *arg)
{
    (void)arg;
    uintptr_t hook = hook_of(ssl);
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (hook == 0 || name == NULL || !SSL_is_server(ssl))
        return SSL_TLSEXT_ERR_NOACK;
    switch (tlsgoSNIHook(hook, (char *)name)) {
    case 0:
        *al = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    case 1:
        return SSL_TLSEXT_ERR_OK;
    case -1:
        return SSL_TLSEXT_ERR_NOACK;
    }
    *al = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_TLSEXT_ERR_ALERT_WARNING;
}

/*
 * The server's ALPN choice: the first protocol of its own list that the
 * client offers; with no overlap the candidate is the client's first
 * protocol. Go may accept the candidate (1), abort (0) or go on without
 * ALPN (2); with no opinion (-1) only an overlap is selected.
 */
static int tlsgo_alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)arg;
    const tlsgo_alpn *srv = SSL_get_ex_data(ssl, tlsgo_ssl_alpn_idx);
    if (srv == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    const unsigned char *sel = NULL;
    unsigned char sellen = 0;
    int match = 0;
    for (unsigned int i = 0; i < srv->len && !match; i += 1 + srv->wire[i]) {
        unsigned char sl = srv->wire[i];
        for (unsigned int j = 0; j < inlen; j += 1 + in[j]) {
            unsigned char cl = in[j];
            if (j + 1 + cl > inlen)
                break;
            if (cl == sl && i + 1 + sl <= srv->len && memcmp(in + j + 1, srv->wire + i + 1, sl) == 0) {
                sel = in + j + 1;
                sellen = cl;
                match = 1;
                break;
            }
        }
    }
    if (!match && inlen > 0 && in[0] > 0 && 1u + in[0] <= inlen) {
        sel = in + 1;
        sellen = in[0];
    }
    if (sel == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    uintptr_t hook = hook_of(ssl);
    int r = hook != 0 ? tlsgoALPNHook(hook, (char *)sel, sellen, match) : -1;
    if (r < 0)
        r = match ? 1 : 2;
    switch (r) {
    case 0:
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    case 1:
        *out = sel;
        *outlen = sellen;
        return SSL_TLSEXT_ERR_OK;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

tlsgo_result tlsgo_conn_set_server_alpn(SSL *ssl, const unsigned char *wire, unsigned int len)
{
    ERR_clear_error();
    tlsgo_alpn *a = malloc(sizeof(*a) + len);
    if (a == NULL) {
        ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
        return ok_or_drain(0);
    }
    a->len = len;
    memcpy(a->wire, wire, len);
    free(SSL_get_ex_data(ssl, tlsgo_ssl_alpn_idx));
    if (!SSL_set_ex_data(ssl, tlsgo_ssl_alpn_idx, a)) {
        free(a);
        return ok_or_drain(0);
    }
    return ok_or_drain(1);
}

/* ------------------------------------------------------------------ */
/* Certificates, cipher catalogues, connection details and the client */
/* session cache                                                      */
/* ------------------------------------------------------------------ */

/* Implemented in Go (callbacks.go). */
extern int tlsgoNewSession(SSL_CTX *ctx, char *key, int keylen, SSL_SESSION *sess);

/* SSL ex_data slot holding the client session cache key: a malloc'd
 * block of an int length followed by the key bytes. */
static int tlsgo_ssl_session_key_idx = -1;

/* The distinguished name format of tls::status: RFC 2253, raw UTF-8. */
#define TLSGO_NAME_FLAGS ((XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT)

/* bytes_take moves a memory BIO's contents into out and frees the BIO. */
static int bytes_take(BIO *b, tlsgo_bytes *out)
{
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    out->p = NULL;
    out->n = 0;
    if (n < 0)
        n = 0;
    out->p = malloc((size_t)n + 1);
    if (out->p == NULL) {
        BIO_free(b);
        return 0;
    }
    if (n > 0)
        memcpy(out->p, data, (size_t)n);
    out->n = (int)n;
    BIO_free(b);
    return 1;
}

/* put_item appends one length-prefixed list item. */
static void put_item(BIO *b, const void *p, size_t n)
{
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    BIO_write(b, len, 4);
    if (n > 0)
        BIO_write(b, p, (int)n);
}

/* put_obj_name writes an object's long name, or its dotted form when
 * OpenSSL has no name for it. */
static void put_obj_name(BIO *b, const ASN1_OBJECT *obj, int as_item)
{
    char buf[128];
    int nid = OBJ_obj2nid(obj);
    const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
    if (ln == NULL) {
        OBJ_obj2txt(buf, sizeof(buf), obj, 1);
        ln = buf;
    }
    if (as_item)
        put_item(b, ln, strlen(ln));
    else
        BIO_puts(b, ln);
}

X509 *tlsgo_conn_cert(SSL *ssl, int local)
{
    X509 *x = local ? SSL_get_certificate(ssl) : SSL_get0_peer_certificate(ssl);
    if (x != NULL && !X509_up_ref(x))
        x = NULL;
    return x;
}

X509 *tlsgo_x509_from_der(const unsigned char *der, int len)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, len);
    ERR_clear_error();
    return x;
}

void tlsgo_x509_free(X509 *x)
{
    X509_free(x);
}

int tlsgo_x509_field(X509 *x, int field, tlsgo_bytes *out)
{
    BIO *b = BIO_new(BIO_s_mem());
    out->p = NULL;
    out->n = 0;
    if (b == NULL)
        return 0;
    ERR_clear_error();
    switch (field) {
    case TLSGO_F_ALL:
        X509_print_ex(b, x, TLSGO_NAME_FLAGS, X509_FLAG_COMPAT);
        break;
    case TLSGO_F_VERSION:
        BIO_printf(b, "%ld", X509_get_version(x) + 1);
        break;
    case TLSGO_F_SERIAL:
        i2a_ASN1_INTEGER(b, X509_get0_serialNumber(x));
        break;
    case TLSGO_F_SIGNATURE: {
        int nid = X509_get_signature_nid(x);
        const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
        BIO_puts(b, ln != NULL ? ln : "");
        break;
    }
    case TLSGO_F_ISSUER:
        X509_NAME_print_ex(b, X509_get_issuer_name(x), 0, TLSGO_NAME_FLAGS);
        break;
    case TLSGO_F_SUBJECT:
        X509_NAME_print_ex(b, X509_get_subject_name(x), 0, TLSGO_NAME_FLAGS);
        break;
    case TLSGO_F_NOT_BEFORE:
        ASN1_TIME_print(b, X509_get0_notBefore(x));
        break;
    case TLSGO_F_NOT_AFTER:
        ASN1_TIME_print(b, X509_get0_notAfter(x));
        break;
    case TLSGO_F_ISSUER_UID:
    case TLSGO_F_SUBJECT_UID: {
        const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
        X509_get0_uids(x, &iuid, &suid);
        const ASN1_BIT_STRING *u = field == TLSGO_F_ISSUER_UID ? iuid : suid;
        if (u != NULL)
            BIO_write(b, ASN1_STRING_get0_data(u), ASN1_STRING_length(u));
        break;
    }
    case TLSGO_F_NUM_EXTENSIONS:
        BIO_printf(b, "%d", X509_get_ext_count(x));
        break;
    case TLSGO_F_EXTENSIONS:
        for (int i = 0; i < X509_get_ext_count(x); i++)
            put_obj_name(b, X509_EXTENSION_get_object(X509_get_ext(x, i)), 1);
        break;
    case TLSGO_F_AKI:
    case TLSGO_F_SKI: {
        const ASN1_OCTET_STRING *id = field == TLSGO_F_AKI ? X509_get0_authority_key_id(x)
                                                           : X509_get0_subject_key_id(x);
        if (id != NULL)
            BIO_write(b, ASN1_STRING_get0_data(id), ASN1_STRING_length(id));
        break;
    }
    case TLSGO_F_SAN: {
        GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
        for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
            const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
            unsigned char item[1 + 256];
            const ASN1_STRING *s = NULL;
            if (g->type == GEN_DNS) {
                item[0] = 'D';
                s = g->d.dNSName;
            } else if (g->type == GEN_IPADD) {
                item[0] = 'I';
                s = g->d.iPAddress;
            }
            if (s == NULL || ASN1_STRING_length(s) < 0 || ASN1_STRING_length(s) > 255)
                continue;
            memcpy(item + 1, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
            put_item(b, item, 1 + (size_t)ASN1_STRING_length(s));
        }
        GENERAL_NAMES_free(names);
        break;
    }
    case TLSGO_F_OCSP: {
        STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(x);
        for (int i = 0; urls != NULL && i < sk_OPENSSL_STRING_num(urls); i++) {
            const char *u = sk_OPENSSL_STRING_value(urls, i);
            put_item(b, u, strlen(u));
        }
        X509_email_free(urls);
        break;
    }
    case TLSGO_F_PEM:
        PEM_write_bio_X509(b, x);
        break;
    case TLSGO_F_SIG_ALGORITHM:
    case TLSGO_F_SIG_VALUE: {
        const ASN1_BIT_STRING *sig = NULL;
        const X509_ALGOR *alg = NULL;
        X509_get0_signature(&sig, &alg, x);
        if (field == TLSGO_F_SIG_VALUE) {
            if (sig != NULL)
                BIO_write(b, ASN1_STRING_get0_data(sig), ASN1_STRING_length(sig));
        } else if (alg != NULL) {
            const ASN1_OBJECT *obj = NULL;
            X509_ALGOR_get0(&obj, NULL, NULL, alg);
            if (obj != NULL)
                put_obj_name(b, obj, 0);
        }
        break;
    }
    case TLSGO_F_SIG_DIGEST:
    case TLSGO_F_SIG_BITS: {
        int mdnid = NID_undef, secbits = -1;
        if (X509_get_signature_info(x, &mdnid, NULL, &secbits, NULL)) {
            if (field == TLSGO_F_SIG_BITS) {
                BIO_printf(b, "%d", secbits);
            } else if (mdnid != NID_undef && OBJ_nid2ln(mdnid) != NULL) {
                BIO_puts(b, OBJ_nid2ln(mdnid));
            }
        }
        break;
    }
    case TLSGO_F_PKEY_ALGORITHM: {
        ASN1_OBJECT *obj = NULL;
        if (X509_PUBKEY_get0_param(&obj, NULL, NULL, NULL, X509_get_X509_PUBKEY(x)) && obj != NULL)
            put_obj_name(b, obj, 0);
        break;
    }
    case TLSGO_F_PKEY: {
        const ASN1_BIT_STRING *k = X509_get0_pubkey_bitstr(x);
        if (k != NULL)
            BIO_write(b, ASN1_STRING_get0_data(k), ASN1_STRING_length(k));
        break;
    }
    case TLSGO_F_SELF_SIGNED:
        BIO_puts(b, X509_check_issued(x, x) == X509_V_OK ? "1" : "0");
        break;
    case TLSGO_F_SHA1:
    case TLSGO_F_SHA256: {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if (X509_digest(x, field == TLSGO_F_SHA1 ? EVP_sha1() : EVP_sha256(), md, &n))
            BIO_write(b, md, (int)n);
        break;
    }
    case TLSGO_F_DER: {
        unsigned char *der = NULL;
        int n = i2d_X509(x, &der);
        if (n > 0)
            BIO_write(b, der, n);
        OPENSSL_free(der);
        break;
    }
    default:
        BIO_free(b);
        return 0;
    }
    ERR_clear_error();
    return bytes_take(b, out);
}

const char *tlsgo_state_string(SSL *ssl)
{
    return SSL_state_string_long(ssl);
}

int tlsgo_secure_renegotiation(SSL *ssl)
{
    return SSL_get_secure_renegotiation_support(ssl) ? 1 : 0;
}

int tlsgo_security_level(SSL *ssl)
{
    return SSL_get_security_level(ssl);
}

int tlsgo_session_reused(SSL *ssl)
{
    return SSL_session_reused(ssl) ? 1 : 0;
}

int tlsgo_version_number(SSL *ssl)
{
    return SSL_version(ssl);
}

int tlsgo_cipher_details(SSL *ssl, tlsgo_cipher_info *out)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    memset(out, 0, sizeof(*out));
    if (c == NULL)
        return 0;
    out->name = SSL_CIPHER_get_name(c);
    out->std_name = SSL_CIPHER_standard_name(c);
    out->version = SSL_CIPHER_get_version(c);
    out->bits = SSL_CIPHER_get_bits(c, &out->alg_bits);
    out->id = (unsigned long)SSL_CIPHER_get_id(c);
    if (SSL_CIPHER_description(c, out->description, sizeof(out->description)) == NULL)
        out->description[0] = '\0';
    return 1;
}

int tlsgo_session_details(SSL *ssl, tlsgo_session_info *out)
{
    const SSL_SESSION *s = SSL_get_session(ssl);
    memset(out, 0, sizeof(*out));
    if (s == NULL)
        return 0;
    SSL_SESSION_get0_alpn_selected(s, &out->alpn, &out->alpn_len);
    out->resumable = SSL_SESSION_is_resumable(s);
    out->start_time = (long long)SSL_SESSION_get_time(s);
    out->timeout = (long long)SSL_SESSION_get_timeout(s);
    out->lifetime = SSL_SESSION_get_ticket_lifetime_hint(s);
    out->id = SSL_SESSION_get_id(s, &out->id_len);
    SSL_SESSION_get0_ticket(s, &out->ticket, &out->ticket_len);
    void *data = NULL;
    size_t len = 0;
    /* get0_ticket_appdata takes a non-const session but does not change it. */
    if (SSL_SESSION_get0_ticket_appdata((SSL_SESSION *)s, &data, &len)) {
        out->app_data = data;
        out->app_data_len = len;
    }
    out->master_len = SSL_SESSION_get_master_key(s, out->master, sizeof(out->master));
    ERR_clear_error();
    return 1;
}

const char *tlsgo_compression_name(SSL *ssl, int expansion)
{
    const COMP_METHOD *m = expansion ? SSL_get_current_expansion(ssl)
                                     : SSL_get_current_compression(ssl);
    const char *name = m != NULL ? SSL_COMP_get_name(m) : NULL;
    return name != NULL ? name : "NONE";
}

long tlsgo_session_cache_mode(SSL *ssl)
{
    return SSL_CTX_get_session_cache_mode(SSL_get_SSL_CTX(ssl));
}

static const char *nid_name(int ok, int nid)
{
    const char *ln = ok && nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
    return ln != NULL ? ln : "";
}

const char *tlsgo_signature_hash(SSL *ssl, int local)
{
    int nid = NID_undef;
    int ok = local ? SSL_get_signature_nid(ssl, &nid) : SSL_get_peer_signature_nid(ssl, &nid);
    return nid_name(ok, nid);
}

const char *tlsgo_signature_type(SSL *ssl, int local)
{
    int nid = NID_undef;
    int ok = local ? SSL_get_signature_type_nid(ssl, &nid)
                   : SSL_get_peer_signature_type_nid(ssl, &nid);
    return nid_name(ok, nid);
}

int tlsgo_ca_names(SSL *ssl, tlsgo_bytes *out)
{
    STACK_OF(X509_NAME) *names = SSL_get_client_CA_list(ssl);
    BIO *b = BIO_new(BIO_s_mem());
    BIO *one = BIO_new(BIO_s_mem());
    out->p = NULL;
    out->n = 0;
    if (b == NULL || one == NULL) {
        BIO_free(b);
        BIO_free(one);
        return 0;
    }
    for (int i = 0; names != NULL && i < sk_X509_NAME_num(names); i++) {
        char *data = NULL;
        (void)BIO_reset(one);
        X509_NAME_print_ex(one, sk_X509_NAME_value(names, i), 0, TLSGO_NAME_FLAGS);
        long n = BIO_get_mem_data(one, &data);
        put_item(b, data, n > 0 ? (size_t)n : 0);
    }
    BIO_free(one);
    ERR_clear_error();
    return bytes_take(b, out);
}

tlsgo_result tlsgo_cipher_catalogue(int version, int supported, int verbose, tlsgo_bytes *out)
{
    out->p = NULL;
    out->n = 0;
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (ctx == NULL)
        return ok_or_drain(0);
    SSL *ssl = NULL;
    STACK_OF(SSL_CIPHER) *own = NULL;
    BIO *b = NULL;
    if (!SSL_CTX_set_min_proto_version(ctx, version) || !SSL_CTX_set_max_proto_version(ctx, version))
        goto fail;
    if ((ssl = SSL_new(ctx)) == NULL || (b = BIO_new(BIO_s_mem())) == NULL)
        goto fail;
    STACK_OF(SSL_CIPHER) *list;
    if (supported) {
        list = own = SSL_get1_supported_ciphers(ssl);
    } else {
        list = SSL_get_ciphers(ssl);
    }
    for (int i = 0; list != NULL && i < sk_SSL_CIPHER_num(list); i++) {
        const SSL_CIPHER *c = sk_SSL_CIPHER_value(list, i);
        char buf[256];
        const char *s = verbose ? SSL_CIPHER_description(c, buf, sizeof(buf)) : SSL_CIPHER_get_name(c);
        if (s != NULL)
            put_item(b, s, strlen(s));
    }
    sk_SSL_CIPHER_free(own);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    if (!bytes_take(b, out))
        return ok_or_drain(0);
    return ok_or_drain(1);
fail:
    BIO_free(b);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return ok_or_drain(0);
}

/* New client sessions: see tlsgo_new_session_cb with the hooks below. */
static int tlsgo_new_session_cb(SSL *ssl, SSL_SESSION *sess);

int tlsgo_session_init(void)
{
    tlsgo_ssl_session_key_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, free_str_ex);
    ERR_clear_error();
    return tlsgo_ssl_session_key_idx >= 0;
}

void tlsgo_ctx_set_session_mode(SSL_CTX *ctx, int server)
{
    /* A session id context, so that servers that ask for client
     * certificates cache sessions and resume them (OpenSSL refuses both
     * without one); -session_id overrides it per connection. */
    static const unsigned char sid_ctx[] = "tls";
    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
    if (server) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    } else {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, tlsgo_new_session_cb);
    }
    ERR_clear_error();
}

/* tlsgo_conn_ctx_peek returns the SSL_CTX of ssl without a reference. */
SSL_CTX *tlsgo_conn_ctx_peek(SSL *ssl)
{
    return SSL_get_SSL_CTX(ssl);
}

tlsgo_result tlsgo_conn_set_session_key(SSL *ssl, const char *key, int len)
{
    ERR_clear_error();
    int *block = malloc(sizeof(int) + (size_t)len);
    if (block == NULL) {
        ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
        return ok_or_drain(0);
    }
    block[0] = len;
    memcpy(block + 1, key, (size_t)len);
    free(SSL_get_ex_data(ssl, tlsgo_ssl_session_key_idx));
    if (!SSL_set_ex_data(ssl, tlsgo_ssl_session_key_idx, block)) {
        free(block);
        return ok_or_drain(0);
    }
    return ok_or_drain(1);
}

/*
 * A client's new session (TLS 1.2 session or TLS 1.3 ticket) is told to
 * the -command script, then handed to the Go session cache when the
 * connection has a cache key; it returns 1 when Go kept the reference.
 * Client contexts have no internal store, so nothing else keeps it.
 */
static int tlsgo_new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
    if (SSL_is_server(ssl))
        return 0;
    uintptr_t hook = hook_of(ssl);
    if (hook != 0) {
        unsigned int idlen = 0;
        const unsigned char *id = SSL_SESSION_get_id(sess, &idlen);
        const unsigned char *tick = NULL;
        size_t ticklen = 0;
        SSL_SESSION_get0_ticket(sess, &tick, &ticklen);
        tlsgoSessionHook(hook, (unsigned char *)id, (int)idlen, (unsigned char *)tick,
                         (int)ticklen, (long)SSL_SESSION_get_ticket_lifetime_hint(sess));
    }
    const int *key = SSL_get_ex_data(ssl, tlsgo_ssl_session_key_idx);
    if (key == NULL)
        return 0;
    return tlsgoNewSession(SSL_get_SSL_CTX(ssl), (char *)(key + 1), key[0], sess);
}

void tlsgo_ctx_install_hooks(SSL_CTX *ctx)
{
    SSL_CTX_set_client_hello_cb(ctx, tlsgo_client_hello_cb, NULL);
    SSL_CTX_set_tlsext_servername_callback(ctx, tlsgo_servername_cb);
    SSL_CTX_set_alpn_select_cb(ctx, tlsgo_alpn_select_cb, NULL);
}

tlsgo_result tlsgo_conn_use_ctx(SSL *ssl, SSL_CTX *ctx)
{
    ERR_clear_error();
    return ok_or_drain(SSL_set_SSL_CTX(ssl, ctx) == ctx ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* Client session cache (session.go): offering and keeping sessions.  */
/* ------------------------------------------------------------------ */

tlsgo_result tlsgo_conn_set_session(SSL *ssl, SSL_SESSION *sess)
{
    ERR_clear_error();
    return ok_or_drain(SSL_set_session(ssl, sess));
}

int tlsgo_session_usable(SSL_SESSION *sess)
{
    if (!SSL_SESSION_is_resumable(sess))
        return 0;
    long long end = (long long)SSL_SESSION_get_time(sess) + (long long)SSL_SESSION_get_timeout(sess);
    return (long long)time(NULL) < end;
}

int tlsgo_session_protocol(SSL_SESSION *sess)
{
    return SSL_SESSION_get_protocol_version(sess);
}

void tlsgo_session_free(SSL_SESSION *sess)
{
    SSL_SESSION_free(sess);
}
