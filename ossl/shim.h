/*
 * shim.h declares the small C layer between package ossl and OpenSSL.
 *
 * Every OpenSSL operation the Go code needs has one tlsgo_ function here.
 * A shim that can fail clears the calling thread's error queue, makes the
 * call, reads SSL_get_error where that applies and drains the queue into a
 * tlsgo_err before returning, so an error is never read on another thread
 * nor attributed to the wrong call.
 *
 * This header holds declarations only: it is included by the file that
 * carries //export functions, whose preamble is compiled twice.
 */
#ifndef TLSGO_SHIM_H
#define TLSGO_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define TLSGO_ERR_MAX 8     /* error queue entries kept per failure */
#define TLSGO_ERR_LINE 256  /* bytes per kept entry, NUL included */

/*
 * tlsgo_err is a drained error queue. It is allocated with malloc by the
 * shim that failed and released by the caller with tlsgo_err_free.
 */
typedef struct tlsgo_err {
    int ssl_error;      /* SSL_get_error code, 0 when not applicable */
    int sys_errno;      /* errno right after the call */
    long verify_result; /* SSL_get_verify_result at failure, X509_V_OK if none */
    int n;              /* entries kept in lines and codes */
    int dropped;        /* entries beyond TLSGO_ERR_MAX that were discarded */
    unsigned long codes[TLSGO_ERR_MAX];
    char reason[TLSGO_ERR_LINE];          /* reason text of the first entry */
    char verify[TLSGO_ERR_LINE];          /* text of verify_result when not OK */
    char lines[TLSGO_ERR_MAX][TLSGO_ERR_LINE]; /* ERR_error_string_n lines */
} tlsgo_err;

/*
 * tlsgo_result is what every fallible shim returns by value: ret is the
 * OpenSSL return value (or a byte count), ssl_error the SSL_get_error code
 * (SSL_ERROR_NONE on success) and err the drained queue, NULL unless the
 * call failed with something other than a plain retry.
 */
typedef struct tlsgo_result {
    long ret;
    int ssl_error;
    tlsgo_err *err;
} tlsgo_result;

/* Library set-up and information. */
int tlsgo_init(void);
const char *tlsgo_openssl_version(void);
int tlsgo_has_ssl3(void);
void tlsgo_err_free(tlsgo_err *e);

/* Contexts. */
tlsgo_result tlsgo_ctx_new(SSL_CTX **out);
void tlsgo_ctx_free(SSL_CTX *ctx);
tlsgo_result tlsgo_ctx_set_protocols(SSL_CTX *ctx, int min_version, int max_version, uint64_t no_options);
tlsgo_result tlsgo_ctx_set_cipher_list(SSL_CTX *ctx, const char *list);
tlsgo_result tlsgo_ctx_set_ciphersuites(SSL_CTX *ctx, const char *suites);
void tlsgo_ctx_set_security_level(SSL_CTX *ctx, int level);
void tlsgo_ctx_set_password_handle(SSL_CTX *ctx, uintptr_t handle);
tlsgo_result tlsgo_ctx_use_certificate_chain_file(SSL_CTX *ctx, const char *path);
tlsgo_result tlsgo_ctx_use_certificate_der(SSL_CTX *ctx, const unsigned char *der, int len);
tlsgo_result tlsgo_ctx_use_private_key_file(SSL_CTX *ctx, const char *path);
tlsgo_result tlsgo_ctx_use_private_key_der(SSL_CTX *ctx, const unsigned char *der, int len);
tlsgo_result tlsgo_ctx_check_private_key(SSL_CTX *ctx);
int tlsgo_ctx_has_certificate(SSL_CTX *ctx);
tlsgo_result tlsgo_ctx_load_verify_file(SSL_CTX *ctx, const char *path);
tlsgo_result tlsgo_ctx_load_verify_dir(SSL_CTX *ctx, const char *path);
tlsgo_result tlsgo_ctx_set_client_ca_file(SSL_CTX *ctx, const char *path);
tlsgo_result tlsgo_ctx_set_default_verify_paths(SSL_CTX *ctx);
void tlsgo_ctx_build_chain(SSL_CTX *ctx);
tlsgo_result tlsgo_ctx_set_dh_file(SSL_CTX *ctx, const char *path);
tlsgo_result tlsgo_ctx_set_dh_auto(SSL_CTX *ctx);
tlsgo_result tlsgo_ctx_set_keylog_file(SSL_CTX *ctx, const char *path);

/* Connections. */
tlsgo_result tlsgo_conn_new(SSL_CTX *ctx, int server, SSL **out);
void tlsgo_conn_free(SSL *ssl);
void tlsgo_conn_set_verify(SSL *ssl, int mode);
void tlsgo_conn_set_post_handshake_auth(SSL *ssl);
tlsgo_result tlsgo_conn_set_sni(SSL *ssl, const char *name);
tlsgo_result tlsgo_conn_set_host(SSL *ssl, const char *name);
tlsgo_result tlsgo_conn_set_ip(SSL *ssl, const char *ip);
tlsgo_result tlsgo_conn_set_alpn(SSL *ssl, const unsigned char *wire, unsigned int len);
tlsgo_result tlsgo_conn_set_session_id_context(SSL *ssl, const unsigned char *sid, unsigned int len);
/* Stores a cgo.Handle value (0 = none) in the SSL's ex_data slot read by
 * the verify callback; reserved for the Go hooks to come. */
void tlsgo_conn_set_hook(SSL *ssl, uintptr_t handle);

/* Data paths. */
int tlsgo_feed(SSL *ssl, const void *p, int n);
void tlsgo_feed_eof(SSL *ssl);
size_t tlsgo_outgoing(SSL *ssl);
int tlsgo_take_outgoing(SSL *ssl, void *p, int n);
size_t tlsgo_pending(SSL *ssl);
tlsgo_result tlsgo_handshake(SSL *ssl);
tlsgo_result tlsgo_read(SSL *ssl, void *p, size_t n);
tlsgo_result tlsgo_write(SSL *ssl, const void *p, size_t n);
void tlsgo_shutdown(SSL *ssl);

/* Introspection. */
const char *tlsgo_version(SSL *ssl);
const char *tlsgo_cipher_name(SSL *ssl);
int tlsgo_secret_bits(SSL *ssl);
int tlsgo_alpn_selected(SSL *ssl, const unsigned char **data);
const char *tlsgo_verify_result_string(SSL *ssl);
int tlsgo_peer_certificate_der(SSL *ssl, unsigned char *buf, int len);
const char *tlsgo_servername(SSL *ssl);

/* Trust stores, session id context, context sharing. */
void tlsgo_default_ca_locations(const char **file, const char **dir);
const char *tlsgo_getenv(const char *name);
tlsgo_result tlsgo_store_new_default(X509_STORE **out);
void tlsgo_store_free(X509_STORE *store);
tlsgo_result tlsgo_ctx_use_store_copy(SSL_CTX *ctx, X509_STORE *base);
void tlsgo_ctx_share_store(SSL_CTX *ctx, X509_STORE *store);
tlsgo_result tlsgo_ctx_set_session_id_context(SSL_CTX *ctx, const unsigned char *sid, unsigned int len);
SSL_CTX *tlsgo_conn_ctx(SSL *ssl);

/* ------------------------------------------------------------------ */
/* Connection hooks (hooks.go): script callbacks and ALPN selection.   */
/* The Go side is reached through the cgo.Handle stored with           */
/* tlsgo_conn_set_hook; every callback does nothing without one.       */
/* ------------------------------------------------------------------ */
int tlsgo_hooks_init(void);
void tlsgo_ctx_install_hooks(SSL_CTX *ctx);
int tlsgo_hook_verify(uintptr_t hook, int preverify, X509_STORE_CTX *xs);
void tlsgo_conn_set_info(SSL *ssl, int on);
tlsgo_result tlsgo_conn_set_server_alpn(SSL *ssl, const unsigned char *wire, unsigned int len);
tlsgo_result tlsgo_conn_use_ctx(SSL *ssl, SSL_CTX *ctx);

#endif /* TLSGO_SHIM_H */
