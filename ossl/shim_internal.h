/*
 * shim_internal.h: what the C files of package ossl share among
 * themselves and no Go file needs.
 */
#ifndef TLSGO_SHIM_INTERNAL_H
#define TLSGO_SHIM_INTERNAL_H

#include "shim.h"

/* ex_data slots, created once by tlsgo_init. */
extern int tlsgo_ctx_keylog_idx; /* SSL_CTX: malloc'd key log path */
extern int tlsgo_ssl_hook_idx;   /* SSL: cgo.Handle of the Go Conn hooks, 0 if none */

/* tlsgo_ok_or_drain builds the result of a call that returns 1 on
 * success, draining the error queue on failure and clearing it else. */
tlsgo_result tlsgo_ok_or_drain(long ret);
#define ok_or_drain tlsgo_ok_or_drain

/* An ex_data free function for malloc'd values. */
void tlsgo_free_ex(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
                   long argl, void *argp);

/* OpenSSL callbacks set by shim.c, implemented in hooks.c. */
int tlsgo_verify_cb(int preverify, X509_STORE_CTX *xs);
int tlsgo_password_cb(char *buf, int size, int rwflag, void *userdata);
void tlsgo_keylog_cb(const SSL *ssl, const char *line);

#endif /* TLSGO_SHIM_INTERNAL_H */
