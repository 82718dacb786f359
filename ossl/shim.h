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

#include "bufbio.h"

#define TLSGO_ERR_MAX 8     /* error queue entries kept per failure */
#define TLSGO_ERR_LINE 256  /* bytes per kept entry, NUL included */

/*
 * tlsgo_err is a drained error queue, unformatted: the packed code of
 * each entry (ERR_GET_LIB and ERR_GET_REASON take it apart) and its data
 * text. It is allocated with malloc by the shim that failed and released
 * by the caller with tlsgo_err_free.
 */
typedef struct tlsgo_err {
    int ssl_error;      /* SSL_get_error code, 0 when not applicable */
    int sys_errno;      /* errno right after the call */
    long verify_result; /* SSL_get_verify_result at failure, X509_V_OK if none */
    int n;              /* entries kept in codes and data */
    int dropped;        /* entries beyond TLSGO_ERR_MAX that were discarded */
    unsigned long codes[TLSGO_ERR_MAX];
    char data[TLSGO_ERR_MAX][TLSGO_ERR_LINE]; /* ERR_TXT_STRING data, "" if none */
} tlsgo_err;

/*
 * tlsgo_result is what every fallible shim returns by value: ret is the
 * OpenSSL return value (or a byte count), ssl_error the SSL_get_error code
 * (SSL_ERROR_NONE on success) and err the drained queue, NULL unless the
 * call failed with something other than a plain retry. kind says what the
 * result of an I/O call (tlsgo_read, tlsgo_write, tlsgo_handshake) means:
 * the one classification of OpenSSL's results, which the C data path
 * (stream.c) and Go (conn.go) both go by; other shims leave it 0.
 */
typedef struct tlsgo_result {
    long ret;
    tlsgo_err *err;
    int ssl_error;
    int kind;
} tlsgo_result;

enum {
    TLSGO_IO_DONE = 0,       /* the call did all it was asked */
    TLSGO_IO_WANT_READ = 1,  /* a plain retry: more ciphertext is needed */
    TLSGO_IO_WANT_WRITE = 2, /* a plain retry: output must go out first */
    TLSGO_IO_END = 3,        /* a read met the end of the stream: a
                              * close_notify, or the input ended with
                              * nothing queued to say why */
    TLSGO_IO_FAILED = 4      /* anything else: err says what */
};

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
tlsgo_result tlsgo_ctx_load_verify_store(SSL_CTX *ctx, const char *uri, int *found);
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

/* Data paths. The ciphertext itself goes through the connection's
 * buffer BIOs (bufbio.h), SSL_get_rbio and SSL_get_wbio. */
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
SSL_CTX *tlsgo_conn_ctx_peek(SSL *ssl);

/* ------------------------------------------------------------------ */
/* Connection hooks (hooks.c, for hooks.go): script callbacks and     */
/* ALPN selection. The Go side is reached through the cgo.Handle      */
/* stored with tlsgo_conn_set_hook; each does nothing without one.    */
/* ------------------------------------------------------------------ */
int tlsgo_hooks_init(void);
void tlsgo_ctx_install_hooks(SSL_CTX *ctx);
int tlsgo_hook_verify(uintptr_t hook, int preverify, X509_STORE_CTX *xs);
void tlsgo_conn_set_info(SSL *ssl, int on);
void tlsgo_conn_set_msg(SSL *ssl, int on);
tlsgo_result tlsgo_conn_set_server_alpn(SSL *ssl, const unsigned char *wire, unsigned int len);
tlsgo_result tlsgo_conn_use_ctx(SSL *ssl, SSL_CTX *ctx);

/* ------------------------------------------------------------------ */
/* Certificates, cipher catalogues and connection details (x509.c,   */
/* for certinfo.go, ciphers.go, details.go) and the client session    */
/* cache (hooks.c, for session.go).                                   */
/* ------------------------------------------------------------------ */

/* tlsgo_bytes is a malloc'd byte string; the caller frees p with free().
 * List values are encoded as items, each a 4-byte big-endian length
 * followed by that many bytes. */
typedef struct tlsgo_bytes {
    unsigned char *p;
    int n;
} tlsgo_bytes;

/* Certificate fields read by tlsgo_x509_field. */
enum {
    TLSGO_F_ALL = 1,       /* X509_print_ex dump */
    TLSGO_F_VERSION,       /* decimal, 1-based */
    TLSGO_F_SERIAL,        /* i2a_ASN1_INTEGER */
    TLSGO_F_SIGNATURE,     /* long name of the signature nid */
    TLSGO_F_ISSUER,        /* RFC 2253, UTF-8 */
    TLSGO_F_SUBJECT,
    TLSGO_F_NOT_BEFORE,    /* ASN1_TIME_print */
    TLSGO_F_NOT_AFTER,
    TLSGO_F_ISSUER_UID,    /* raw bytes */
    TLSGO_F_SUBJECT_UID,
    TLSGO_F_NUM_EXTENSIONS,/* decimal */
    TLSGO_F_EXTENSIONS,    /* list of long names */
    TLSGO_F_AKI,           /* raw bytes */
    TLSGO_F_SKI,
    TLSGO_F_SAN,           /* list: 'D' + DNS name or 'I' + 4/16 address bytes */
    TLSGO_F_OCSP,          /* list of URLs */
    TLSGO_F_PEM,
    TLSGO_F_SIG_ALGORITHM, /* long name of the signature AlgorithmIdentifier */
    TLSGO_F_SIG_VALUE,     /* raw bytes */
    TLSGO_F_SIG_DIGEST,    /* long name of the digest, "" if unknown */
    TLSGO_F_PKEY_ALGORITHM,/* long name */
    TLSGO_F_PKEY,          /* raw bytes of the SubjectPublicKeyInfo BIT STRING */
    TLSGO_F_SIG_BITS,      /* decimal security bits of the signature, "" if unknown */
    TLSGO_F_SELF_SIGNED,   /* 0/1 */
    TLSGO_F_SHA1,          /* raw digest of the DER */
    TLSGO_F_SHA256,
    TLSGO_F_DER
};

X509 *tlsgo_conn_cert(SSL *ssl, int local);
X509 *tlsgo_x509_from_der(const unsigned char *der, int len);
void tlsgo_x509_free(X509 *x);
int tlsgo_x509_field(X509 *x, int field, tlsgo_bytes *out);

/* Connection details for tls::status and tls::connection. */
typedef struct tlsgo_cipher_info {
    const char *name, *std_name, *version;
    int bits, alg_bits;
    unsigned long id;
    char description[256];
} tlsgo_cipher_info;

typedef struct tlsgo_session_info {
    const unsigned char *alpn, *id, *ticket;
    size_t alpn_len, ticket_len, app_data_len, master_len;
    unsigned int id_len;
    const void *app_data;
    int resumable;
    long long start_time, timeout;
    unsigned long lifetime;
    unsigned char master[256];
} tlsgo_session_info;

const char *tlsgo_state_string(SSL *ssl);
int tlsgo_secure_renegotiation(SSL *ssl);
int tlsgo_security_level(SSL *ssl);
int tlsgo_session_reused(SSL *ssl);
int tlsgo_cipher_details(SSL *ssl, tlsgo_cipher_info *out);
int tlsgo_session_details(SSL *ssl, tlsgo_session_info *out);
const char *tlsgo_compression_name(SSL *ssl, int expansion);
long tlsgo_session_cache_mode(SSL *ssl);
const char *tlsgo_signature_hash(SSL *ssl, int local);
const char *tlsgo_signature_type(SSL *ssl, int local);
int tlsgo_ca_names(SSL *ssl, tlsgo_bytes *out);
int tlsgo_version_number(SSL *ssl);

/* Cipher catalogue of one protocol version: names, or description lines
 * when verbose; SSL_get1_supported_ciphers when supported. */
tlsgo_result tlsgo_cipher_catalogue(int version, int supported, int verbose, tlsgo_bytes *out);

/* A new RSA key and a certificate for it signed by itself (tls::misc). */
tlsgo_result tlsgo_selfsigned(int bits, long days, int64_t serial, const unsigned char *names,
                              int names_len, tlsgo_bytes *key, tlsgo_bytes *cert);

/* Session cache. */
int tlsgo_session_init(void);
void tlsgo_ctx_set_session_mode(SSL_CTX *ctx, int server);
tlsgo_result tlsgo_conn_set_session_key(SSL *ssl, const char *key, int len);
tlsgo_result tlsgo_conn_set_session(SSL *ssl, SSL_SESSION *sess);
int tlsgo_session_usable(SSL_SESSION *sess);
int tlsgo_session_protocol(SSL_SESSION *sess);
void tlsgo_session_free(SSL_SESSION *sess);

#endif /* TLSGO_SHIM_H */
