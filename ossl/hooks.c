/*
 * hooks.c: the OpenSSL callbacks of package ossl. Each one hands what
 * OpenSSL passed it to Go (callbacks.go) through the cgo.Handle stored
 * with tlsgo_conn_set_hook and does nothing without one; decisions and
 * formatting are made in Go, C only translates the answer back.
 */
#include "shim.h"
#include "shim_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Implemented in Go (callbacks.go). */
extern int tlsgoPasswordCallback(uintptr_t handle, char *buf, int size, int rwflag);
extern int tlsgoVerifyHook(uintptr_t hook, int preverify, int depth, int err,
                           char *errstr, unsigned char *der, int derlen);
extern void tlsgoInfoHook(uintptr_t hook, int where, int ret, char *state,
                          char *alert, char *level);
extern int tlsgoHelloHook(uintptr_t hook, unsigned char *ext, int len,
                          unsigned char *sid, int sidlen);
extern void tlsgoMessageHook(uintptr_t hook, int sent, int version, int type,
                             char *text, int len);
extern int tlsgoSNIHook(uintptr_t hook, char *name);
extern int tlsgoALPNHook(uintptr_t hook, char *proto, int len, int match);
extern void tlsgoSessionHook(uintptr_t hook, unsigned char *id, int idlen,
                             unsigned char *ticket, int ticketlen, long lifetime);

static uintptr_t hook_of(const SSL *ssl)
{
    return (uintptr_t)SSL_get_ex_data(ssl, tlsgo_ssl_hook_idx);
}

/* SSL: the server's ALPN list in wire format, a malloc'd tlsgo_alpn. */
static int tlsgo_ssl_alpn_idx = -1;

typedef struct tlsgo_alpn {
    unsigned int len;
    unsigned char wire[];
} tlsgo_alpn;

int tlsgo_hooks_init(void)
{
    tlsgo_ssl_alpn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, tlsgo_free_ex);
    return tlsgo_ssl_alpn_idx >= 0;
}

/*
 * tlsgo_verify_cb is set on every SSL. Without FAIL_IF_NO_PEER_CERT in the
 * verify mode it accepts whatever OpenSSL found: the error is still
 * recorded and SSL_get_verify_result reports it.
 */
int tlsgo_verify_cb(int preverify, X509_STORE_CTX *xs)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
    if (ssl == NULL)
        return preverify;
    uintptr_t hook = hook_of(ssl);
    if (hook != 0) {
        int r = tlsgo_hook_verify(hook, preverify, xs);
        if (r >= 0)
            return r;
    }
    if (SSL_get_verify_mode(ssl) & SSL_VERIFY_FAIL_IF_NO_PEER_CERT)
        return preverify;
    return 1;
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
    if ((r == 0 || r == 2) && err == X509_V_OK)
        X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
    switch (r) {
    case 0:
        return 0;
    case 1:
    case 2:
        return 1;
    }
    return -1;
}

/* tlsgo_password_cb forwards to Go when the context holds a handle and
 * refuses otherwise, so OpenSSL never prompts on the terminal. */
int tlsgo_password_cb(char *buf, int size, int rwflag, void *userdata)
{
    uintptr_t handle = (uintptr_t)userdata;
    if (handle == 0 || buf == NULL || size <= 0)
        return -1;
    return tlsgoPasswordCallback(handle, buf, size, rwflag);
}

/* tlsgo_keylog_cb appends one NSS key log line to the context's file. */
void tlsgo_keylog_cb(const SSL *ssl, const char *line)
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

/* tlsgo_info_cb passes OpenSSL's where and ret bits with the state and
 * alert texts; Go turns them into the words of the -command callback. */
static void tlsgo_info_cb(const SSL *ssl, int where, int ret)
{
    uintptr_t hook = hook_of(ssl);
    if (hook == 0)
        return;
    tlsgoInfoHook(hook, where, ret, (char *)SSL_state_string_long(ssl),
                  (char *)SSL_alert_desc_string_long(ret),
                  (char *)SSL_alert_type_string_long(ret));
}

void tlsgo_conn_set_info(SSL *ssl, int on)
{
    SSL_set_info_callback(ssl, on ? tlsgo_info_cb : NULL);
}

/* tlsgo_msg_cb passes each protocol message sent or received, with
 * OpenSSL's trace of it (SSL_trace), to Go, which names the version and
 * content type. Without trace support in OpenSSL the text is empty. */
static void tlsgo_msg_cb(int write_p, int version, int content_type, const void *buf,
                         size_t len, SSL *ssl, void *arg)
{
    (void)arg;
    uintptr_t hook = hook_of(ssl);
    if (hook == 0)
        return;
    char *text = NULL;
    long n = 0;
    BIO *b = NULL;
    /* The error queue may hold the reason of a failure whose alert this
     * message is: what the trace adds goes, the reason stays. */
    ERR_set_mark();
#ifndef OPENSSL_NO_SSL_TRACE
    b = BIO_new(BIO_s_mem());
    if (b != NULL) {
        SSL_trace(write_p, version, content_type, buf, len, ssl, b);
        n = BIO_get_mem_data(b, &text);
        if (n < 0 || n > INT_MAX)
            n = 0;
    }
#else
    (void)buf;
    (void)len;
#endif
    ERR_pop_to_mark();
    tlsgoMessageHook(hook, write_p, version, content_type, text, (int)n);
    BIO_free(b);
}

void tlsgo_conn_set_msg(SSL *ssl, int on)
{
    SSL_set_msg_callback(ssl, on ? tlsgo_msg_cb : NULL);
}

/* tlsgo_client_hello_cb passes the ClientHello's server_name extension
 * as it came (NULL when absent) to Go, which parses it. */
static int tlsgo_client_hello_cb(SSL *ssl, int *al, void *arg)
{
    (void)arg;
    uintptr_t hook = hook_of(ssl);
    if (hook == 0)
        return SSL_CLIENT_HELLO_SUCCESS;
    const unsigned char *ext = NULL;
    size_t len = 0;
    if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &ext, &len) || len > 65535) {
        ext = NULL;
        len = 0;
    }
    const unsigned char *sid = NULL;
    size_t sidlen = SSL_client_hello_get0_session_id(ssl, &sid);
    if (tlsgoHelloHook(hook, (unsigned char *)ext, (int)len,
                       (unsigned char *)sid, (int)sidlen) == 0) {
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
 * The server's ALPN choice: SSL_select_next_proto gives the first protocol
 * of the server's list that the client offers, or with no overlap the
 * client's first protocol as the candidate. Go may accept the candidate
 * (1), abort (0) or go on without ALPN (2); without a hook, or with no
 * opinion (-1), only an overlap is selected. The selection points into the
 * server's list or the client's, both alive until OpenSSL copies it.
 */
static int tlsgo_alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)arg;
    const tlsgo_alpn *srv = SSL_get_ex_data(ssl, tlsgo_ssl_alpn_idx);
    if (srv == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    unsigned char *sel = NULL;
    unsigned char sellen = 0;
    int match = SSL_select_next_proto(&sel, &sellen, srv->wire, srv->len, in, inlen)
                == OPENSSL_NPN_NEGOTIATED;
    if (sel == NULL || sellen == 0)
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

/* Implemented in Go (callbacks.go). */
extern int tlsgoNewSession(SSL_CTX *ctx, char *key, int keylen, SSL_SESSION *sess);

/* SSL ex_data slot holding the client session cache key: a malloc'd
 * block of an int length followed by the key bytes. */
static int tlsgo_ssl_session_key_idx = -1;

/* New client sessions: see tlsgo_new_session_cb with the hooks below. */
static int tlsgo_new_session_cb(SSL *ssl, SSL_SESSION *sess);

int tlsgo_session_init(void)
{
    tlsgo_ssl_session_key_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, tlsgo_free_ex);
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
