/*
 * x509.c: certificates, cipher catalogues and connection details for
 * tls::status and tls::connection, read from OpenSSL as raw values or
 * OpenSSL's own printed forms; certinfo.go and details.go build the
 * lists the commands return.
 */
#include "shim.h"
#include "shim_internal.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

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

/* Certificate fields for tlsgo_x509_field: each writes one field of x
 * to b, as OpenSSL prints it or as raw bytes. */

static void f_all(BIO *b, X509 *x)
{
    X509_print_ex(b, x, TLSGO_NAME_FLAGS, X509_FLAG_COMPAT);
}

static void f_version(BIO *b, X509 *x)
{
    BIO_printf(b, "%ld", X509_get_version(x) + 1);
}

static void f_serial(BIO *b, X509 *x)
{
    i2a_ASN1_INTEGER(b, X509_get0_serialNumber(x));
}

static void f_signature(BIO *b, X509 *x)
{
    int nid = X509_get_signature_nid(x);
    const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
    BIO_puts(b, ln != NULL ? ln : "");
}

static void f_issuer(BIO *b, X509 *x)
{
    X509_NAME_print_ex(b, X509_get_issuer_name(x), 0, TLSGO_NAME_FLAGS);
}

static void f_subject(BIO *b, X509 *x)
{
    X509_NAME_print_ex(b, X509_get_subject_name(x), 0, TLSGO_NAME_FLAGS);
}

static void f_not_before(BIO *b, X509 *x)
{
    ASN1_TIME_print(b, X509_get0_notBefore(x));
}

static void f_not_after(BIO *b, X509 *x)
{
    ASN1_TIME_print(b, X509_get0_notAfter(x));
}

static void put_string(BIO *b, const ASN1_STRING *s)
{
    if (s != NULL)
        BIO_write(b, ASN1_STRING_get0_data(s), ASN1_STRING_length(s));
}

static void f_issuer_uid(BIO *b, X509 *x)
{
    const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
    X509_get0_uids(x, &iuid, &suid);
    put_string(b, iuid);
}

static void f_subject_uid(BIO *b, X509 *x)
{
    const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
    X509_get0_uids(x, &iuid, &suid);
    put_string(b, suid);
}

static void f_num_extensions(BIO *b, X509 *x)
{
    BIO_printf(b, "%d", X509_get_ext_count(x));
}

static void f_extensions(BIO *b, X509 *x)
{
    for (int i = 0; i < X509_get_ext_count(x); i++)
        put_obj_name(b, X509_EXTENSION_get_object(X509_get_ext(x, i)), 1);
}

static void f_aki(BIO *b, X509 *x)
{
    put_string(b, X509_get0_authority_key_id(x));
}

static void f_ski(BIO *b, X509 *x)
{
    put_string(b, X509_get0_subject_key_id(x));
}

/* Each DNS name or IP address as an item: 'D' + name or 'I' + bytes. */
static void f_san(BIO *b, X509 *x)
{
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
}

static void f_ocsp(BIO *b, X509 *x)
{
    STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(x);
    for (int i = 0; urls != NULL && i < sk_OPENSSL_STRING_num(urls); i++) {
        const char *u = sk_OPENSSL_STRING_value(urls, i);
        put_item(b, u, strlen(u));
    }
    X509_email_free(urls);
}

static void f_pem(BIO *b, X509 *x)
{
    PEM_write_bio_X509(b, x);
}

static void f_sig_algorithm(BIO *b, X509 *x)
{
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *alg = NULL;
    const ASN1_OBJECT *obj = NULL;
    X509_get0_signature(&sig, &alg, x);
    if (alg != NULL)
        X509_ALGOR_get0(&obj, NULL, NULL, alg);
    if (obj != NULL)
        put_obj_name(b, obj, 0);
}

static void f_sig_value(BIO *b, X509 *x)
{
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *alg = NULL;
    X509_get0_signature(&sig, &alg, x);
    put_string(b, sig);
}

static void f_sig_digest(BIO *b, X509 *x)
{
    int mdnid = NID_undef;
    if (X509_get_signature_info(x, &mdnid, NULL, NULL, NULL)
            && mdnid != NID_undef && OBJ_nid2ln(mdnid) != NULL)
        BIO_puts(b, OBJ_nid2ln(mdnid));
}

static void f_sig_bits(BIO *b, X509 *x)
{
    int secbits = -1;
    if (X509_get_signature_info(x, NULL, NULL, &secbits, NULL))
        BIO_printf(b, "%d", secbits);
}

static void f_pkey_algorithm(BIO *b, X509 *x)
{
    ASN1_OBJECT *obj = NULL;
    if (X509_PUBKEY_get0_param(&obj, NULL, NULL, NULL, X509_get_X509_PUBKEY(x)) && obj != NULL)
        put_obj_name(b, obj, 0);
}

static void f_pkey(BIO *b, X509 *x)
{
    put_string(b, X509_get0_pubkey_bitstr(x));
}

static void f_self_signed(BIO *b, X509 *x)
{
    BIO_puts(b, X509_check_issued(x, x) == X509_V_OK ? "1" : "0");
}

static void put_digest(BIO *b, X509 *x, const EVP_MD *md)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(x, md, out, &n))
        BIO_write(b, out, (int)n);
}

static void f_sha1(BIO *b, X509 *x)
{
    put_digest(b, x, EVP_sha1());
}

static void f_sha256(BIO *b, X509 *x)
{
    put_digest(b, x, EVP_sha256());
}

static void f_der(BIO *b, X509 *x)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    if (n > 0)
        BIO_write(b, der, n);
    OPENSSL_free(der);
}

static void (*const fields[])(BIO *, X509 *) = {
    [TLSGO_F_ALL] = f_all,
    [TLSGO_F_VERSION] = f_version,
    [TLSGO_F_SERIAL] = f_serial,
    [TLSGO_F_SIGNATURE] = f_signature,
    [TLSGO_F_ISSUER] = f_issuer,
    [TLSGO_F_SUBJECT] = f_subject,
    [TLSGO_F_NOT_BEFORE] = f_not_before,
    [TLSGO_F_NOT_AFTER] = f_not_after,
    [TLSGO_F_ISSUER_UID] = f_issuer_uid,
    [TLSGO_F_SUBJECT_UID] = f_subject_uid,
    [TLSGO_F_NUM_EXTENSIONS] = f_num_extensions,
    [TLSGO_F_EXTENSIONS] = f_extensions,
    [TLSGO_F_AKI] = f_aki,
    [TLSGO_F_SKI] = f_ski,
    [TLSGO_F_SAN] = f_san,
    [TLSGO_F_OCSP] = f_ocsp,
    [TLSGO_F_PEM] = f_pem,
    [TLSGO_F_SIG_ALGORITHM] = f_sig_algorithm,
    [TLSGO_F_SIG_VALUE] = f_sig_value,
    [TLSGO_F_SIG_DIGEST] = f_sig_digest,
    [TLSGO_F_PKEY_ALGORITHM] = f_pkey_algorithm,
    [TLSGO_F_PKEY] = f_pkey,
    [TLSGO_F_SIG_BITS] = f_sig_bits,
    [TLSGO_F_SELF_SIGNED] = f_self_signed,
    [TLSGO_F_SHA1] = f_sha1,
    [TLSGO_F_SHA256] = f_sha256,
    [TLSGO_F_DER] = f_der,
};

int tlsgo_x509_field(X509 *x, int field, tlsgo_bytes *out)
{
    out->p = NULL;
    out->n = 0;
    if (field <= 0 || (size_t)field >= sizeof(fields) / sizeof(fields[0]) || fields[field] == NULL)
        return 0;
    BIO *b = BIO_new(BIO_s_mem());
    if (b == NULL)
        return 0;
    ERR_clear_error();
    fields[field](b, x);
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


/* next_item reads one length-prefixed item (see put_item) at *p, of the
 * *left bytes there; 0 when the input is malformed or used up. */
static int next_item(const unsigned char **p, int *left, const unsigned char **item, int *n)
{
    if (*left < 4)
        return 0;
    const unsigned char *q = *p;
    unsigned long len = ((unsigned long)q[0] << 24) | ((unsigned long)q[1] << 16) |
                        ((unsigned long)q[2] << 8) | q[3];
    if (len > (unsigned long)(*left - 4))
        return 0;
    *item = q + 4;
    *n = (int)len;
    *p = q + 4 + len;
    *left -= 4 + (int)len;
    return 1;
}

/*
 * tlsgo_selfsigned makes an RSA key of bits bits and a version 3
 * certificate for it, signed by itself with SHA-256: the given serial
 * number, valid from now for days days, its subject (and issuer) made of
 * names, items alternating a field name (C, ST, L, O, OU, CN, Email) and
 * its UTF-8 value. The key (unencrypted PKCS#8) and the certificate come
 * back in PEM.
 */
tlsgo_result tlsgo_selfsigned(int bits, long days, int64_t serial, const unsigned char *names,
                              int names_len, tlsgo_bytes *key, tlsgo_bytes *cert)
{
    key->p = cert->p = NULL;
    key->n = cert->n = 0;
    ERR_clear_error();
    EVP_PKEY *pkey = EVP_RSA_gen((unsigned int)bits);
    X509 *x = NULL;
    BIO *kb = NULL, *cb = NULL;
    if (pkey == NULL || (x = X509_new()) == NULL)
        goto fail;
    X509_NAME *name = X509_get_subject_name(x);
    const unsigned char *p = names;
    int left = names_len;
    const unsigned char *field, *value;
    int fn, vn;
    while (next_item(&p, &left, &field, &fn) && next_item(&p, &left, &value, &vn)) {
        char f[16];
        if (fn <= 0 || fn >= (int)sizeof(f))
            goto fail;
        memcpy(f, field, (size_t)fn);
        f[fn] = 0;
        if (!X509_NAME_add_entry_by_txt(name, f, MBSTRING_UTF8, value, vn, -1, 0))
            goto fail;
    }
    if (!X509_set_version(x, X509_VERSION_3) ||
        !ASN1_INTEGER_set_int64(X509_get_serialNumber(x), serial) ||
        X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, NULL) == NULL ||
        X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, NULL) == NULL ||
        !X509_set_issuer_name(x, name) || !X509_set_pubkey(x, pkey) ||
        !X509_sign(x, pkey, EVP_sha256()))
        goto fail;
    if ((kb = BIO_new(BIO_s_mem())) == NULL || (cb = BIO_new(BIO_s_mem())) == NULL ||
        !PEM_write_bio_PrivateKey(kb, pkey, NULL, NULL, 0, NULL, NULL) ||
        !PEM_write_bio_X509(cb, x))
        goto fail;
    X509_free(x);
    EVP_PKEY_free(pkey);
    int ok = bytes_take(kb, key);
    ok = bytes_take(cb, cert) && ok;
    if (!ok) {
        free(key->p);
        free(cert->p);
        key->p = cert->p = NULL;
        ERR_raise(ERR_LIB_SSL, ERR_R_MALLOC_FAILURE);
        return ok_or_drain(0);
    }
    return ok_or_drain(1);
fail:
    BIO_free(kb);
    BIO_free(cb);
    X509_free(x);
    EVP_PKEY_free(pkey);
    return ok_or_drain(0);
}
