/* require.h -- see require.c. */
#ifndef TLSGO_REQUIRE_H
#define TLSGO_REQUIRE_H

#include <openssl/ssl.h>

int tlsgo_conn_drop_anonymous(SSL *ssl);
int tlsgo_conn_has_peer_certificate(SSL *ssl);

#endif
