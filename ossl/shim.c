/*
 * shim.c: contexts, connections and their I/O, one small function per
 * OpenSSL operation; see shim.h for the error-handling contract. The
 * buffer BIO is in bufbio.c, the callbacks into Go in hooks.c, the
 * certificate and connection details in x509.c.
 */
#include "shim.h"
#include "shim_internal.h"
#include "bufbio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/store.h>

int tlsgo_ctx_keylog_idx = -1;
int tlsgo_ssl_hook_idx = -1;

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

/*
 * drain empties the calling thread's error queue into a fresh tlsgo_err:
 * the packed codes and the data text of each entry, nothing formatted
 * (errors.go does that). ssl may be NULL; when given, the verify result
 * is recorded too.
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
    e->verify_result = ssl != NULL ? SSL_get_verify_result(ssl) : X509_V_OK;
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
        if (data != NULL && (flags & ERR_TXT_STRING)) {
            size_t n = strlen(data);
            if (n >= TLSGO_ERR_LINE)
                n = TLSGO_ERR_LINE - 1;
            memcpy(e->data[e->n], data, n);
        }
        e->codes[e->n] = code;
        e->n++;
    }
    return e;
}

tlsgo_result tlsgo_ok_or_drain(long ret)
{
    tlsgo_result r = {.ret = ret, .ssl_error = SSL_ERROR_NONE};
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

void tlsgo_free_ex(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
                   long argl, void *argp)
{
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    free(ptr);
}

int tlsgo_init(void)
{
    if (!OPENSSL_init_ssl(0, NULL))
        return 0;
    tlsgo_ctx_keylog_idx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, tlsgo_free_ex);
    tlsgo_ssl_hook_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    int hooks = tlsgo_hooks_init();
    int bufs = tlsgo_bio_init();
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
    /* No SSL_MODE_RELEASE_BUFFERS: it frees and allocates the record
     * buffers for every record. tlsgo_read and tlsgo_handshake release
     * them instead when the connection has nothing left to process. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
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

/*
 * store_certificates counts the certificates the OpenSSL store at uri
 * holds; a directory's entries are opened in turn (depth 1), as
 * X509_LOOKUP_store searches them. -1 if uri cannot be opened.
 */
static int store_certificates(const char *uri, int depth)
{
    OSSL_STORE_CTX *sc = OSSL_STORE_open(uri, NULL, NULL, NULL, NULL);
    if (sc == NULL)
        return -1;
    int n = 0;
    while (!OSSL_STORE_eof(sc)) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(sc);
        if (info == NULL) {
            if (OSSL_STORE_error(sc))
                break;
            continue;
        }
        switch (OSSL_STORE_INFO_get_type(info)) {
        case OSSL_STORE_INFO_CERT:
            n++;
            break;
        case OSSL_STORE_INFO_NAME:
            if (depth > 0) {
                int m = store_certificates(OSSL_STORE_INFO_get0_NAME(info), depth - 1);
                if (m > 0)
                    n += m;
            }
            break;
        }
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(sc);
    return n;
}

/*
 * tlsgo_ctx_load_verify_store makes ctx trust the certificates of the
 * OpenSSL store at uri (a file, a directory, or any URI a provider
 * opens), and sets *found to how many it holds: a store that opens but
 * holds no certificate trusts nothing, which the caller refuses. OpenSSL
 * searches the store when it verifies; it is read here once to count.
 */
tlsgo_result tlsgo_ctx_load_verify_store(SSL_CTX *ctx, const char *uri, int *found)
{
    ERR_clear_error();
    *found = store_certificates(uri, 1);
    if (*found < 0) {
        *found = 0;
        return ok_or_drain(0);
    }
    ERR_clear_error(); /* entries that were not certificates */
    if (*found == 0)
        return ok_or_drain(1);
    return ok_or_drain(SSL_CTX_load_verify_store(ctx, uri));
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
/* Connections                                                        */
/* ------------------------------------------------------------------ */

tlsgo_result tlsgo_conn_new(SSL_CTX *ctx, int server, SSL **out)
{
    ERR_clear_error();
    *out = NULL;
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL)
        return ok_or_drain(0);
    BIO *in = tlsgo_bio_new();
    BIO *outb = tlsgo_bio_new();
    if (in == NULL || outb == NULL) {
        tlsgo_bio_free(in);
        tlsgo_bio_free(outb);
        SSL_free(ssl);
        return ok_or_drain(0);
    }
    /* An empty input BIO means "retry later" until tlsgo_bio_set_eof. */
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

size_t tlsgo_pending(SSL *ssl)
{
    int plain = SSL_pending(ssl);
    if (plain < 0)
        plain = 0;
    return (size_t)plain + tlsgo_bio_len(SSL_get_rbio(ssl));
}

/*
 * release_if_idle frees the record buffers of a connection that has
 * nothing left to process: no ciphertext waiting in the input BIO and no
 * plaintext decrypted but unread. SSL_free_buffers itself refuses while a
 * record is partly read or written. A busy connection keeps its buffers;
 * an idle one holds none (they are allocated again for the next record).
 */
static void release_if_idle(SSL *ssl)
{
    if (tlsgo_bio_len(SSL_get_rbio(ssl)) == 0 && SSL_pending(ssl) <= 0)
        (void)SSL_free_buffers(ssl);
}

/*
 * BUSY_INPUT is how much ciphertext must arrive between two moments the
 * input runs out for a read to keep the record buffers: a full record's
 * worth means traffic is flowing and the next record is likely already
 * on its way, so freeing the buffers now would only malloc them again.
 * Less than that (an interactive exchange, the last bytes of a transfer,
 * a read that finds nothing new) and the connection counts as idle: the
 * buffers go, as release_if_idle does.
 */
#define BUSY_INPUT ((size_t)16 * 1024)

/* release_if_input_idle is release_if_idle for a read that ran out of
 * input, unless the connection is busy (BUSY_INPUT). */
static void release_if_input_idle(SSL *ssl)
{
    BIO *in = SSL_get_rbio(ssl);
    if (tlsgo_bio_len(in) == 0 && tlsgo_bio_take_arrived(in) < BUSY_INPUT)
        release_if_idle(ssl);
}

/*
 * io_result classifies the result of an SSL call that did not complete
 * (tlsgo_result.kind: the only place that does): plain retries carry no
 * error; for a read, a close_notify or an input that ended with nothing
 * queued is the end of the stream; anything else is a failure, with the
 * drained queue.
 */
static tlsgo_result io_result(SSL *ssl, long ret, int rc, int with_verify,
                              int reading)
{
    tlsgo_result r = {.ret = ret, .ssl_error = SSL_ERROR_NONE,
                      .kind = TLSGO_IO_DONE};
    int sys = errno;
    r.ssl_error = SSL_get_error(ssl, rc);
    switch (r.ssl_error) {
    case SSL_ERROR_NONE:
        ERR_clear_error();
        return r;
    case SSL_ERROR_WANT_READ:
        ERR_clear_error();
        r.kind = TLSGO_IO_WANT_READ;
        return r;
    case SSL_ERROR_WANT_WRITE:
        ERR_clear_error();
        r.kind = TLSGO_IO_WANT_WRITE;
        return r;
    }
    r.err = drain(r.ssl_error, sys, with_verify ? ssl : NULL);
    r.kind = TLSGO_IO_FAILED;
    if (reading && (r.ssl_error == SSL_ERROR_ZERO_RETURN ||
                    (r.ssl_error == SSL_ERROR_SYSCALL &&
                     (r.err == NULL || r.err->n == 0))))
        r.kind = TLSGO_IO_END;
    return r;
}

tlsgo_result tlsgo_handshake(SSL *ssl)
{
    ERR_clear_error();
    errno = 0;
    int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
        tlsgo_result r = {.ret = 1, .ssl_error = SSL_ERROR_NONE};
        release_if_idle(ssl);
        ERR_clear_error();
        return r;
    }
    return io_result(ssl, rc, rc, 1, 0);
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
        tlsgo_result r = io_result(ssl, (long)total, rc, 0, 1);
        if (r.kind == TLSGO_IO_WANT_READ)
            release_if_input_idle(ssl);
        return r;
    }
    tlsgo_result r = {.ret = (long)total, .ssl_error = SSL_ERROR_NONE};
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
        return io_result(ssl, (long)total, rc, 0, 0);
    }
    tlsgo_result r = {.ret = (long)total, .ssl_error = SSL_ERROR_NONE};
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

