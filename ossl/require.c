/*
 * require.c --
 *
 *	-require: a connection that must see the peer's certificate never
 *	negotiates a cipher suite without one.  Kept apart from shim.c.
 */

#include <string.h>
#include <openssl/ssl.h>
#include <openssl/objects.h>
#include <openssl/err.h>

#include "require.h"

/*
 * tlsgo_conn_drop_anonymous removes the TLS 1.2 and earlier cipher suites
 * that authenticate nobody (aNULL) from the connection's own list,
 * keeping the order of the others.  Returns 1 when the list is fine or
 * was changed, 0 when nothing but anonymous suites is left (the list
 * stays as it was; the certificate check after the handshake still
 * fails it).  The error queue is left empty.
 */
int tlsgo_conn_drop_anonymous(SSL *ssl)
{
    STACK_OF(SSL_CIPHER) *sk = SSL_get_ciphers(ssl);
    int n = sk == NULL ? 0 : sk_SSL_CIPHER_num(sk);
    int anonymous = 0, kept = 0;
    size_t need = 1;

    for (int i = 0; i < n; i++) {
	const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
	int auth = SSL_CIPHER_get_auth_nid(c);
	if (auth == NID_auth_any)
	    continue;			/* TLS 1.3: always certificates */
	if (auth == NID_auth_null) {
	    anonymous = 1;
	    continue;
	}
	need += strlen(SSL_CIPHER_get_name(c)) + 1;
	kept++;
    }
    if (!anonymous)
	return 1;
    if (kept == 0)
	return 0;
    char *list = OPENSSL_malloc(need);
    if (list == NULL)
	return 0;
    list[0] = '\0';
    for (int i = 0; i < n; i++) {
	const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
	int auth = SSL_CIPHER_get_auth_nid(c);
	if (auth == NID_auth_any || auth == NID_auth_null)
	    continue;
	if (list[0] != '\0')
	    strcat(list, ":");
	strcat(list, SSL_CIPHER_get_name(c));
    }
    int ok = SSL_set_cipher_list(ssl, list);
    OPENSSL_free(list);
    ERR_clear_error();
    return ok;
}

/* tlsgo_conn_has_peer_certificate reports whether the peer showed one. */
int tlsgo_conn_has_peer_certificate(SSL *ssl)
{
    return SSL_get0_peer_certificate(ssl) != NULL;
}
