package ossl

// #cgo pkg-config: libssl libcrypto
// #include "require.h"
import "C"

// ErrNoPeerCertificate is the handshake failure of a connection with
// Require whose peer showed no certificate, which happens when both ends
// allow an anonymous cipher suite (OpenSSL itself only refuses a client
// without one, and only when it could ask for one).
var ErrNoPeerCertificate = &Error{Op: "SSL_do_handshake", Reason: "peer did not return a certificate"}

// noVerification is VerifyResult's text when the peer showed no
// certificate: nothing was verified, so it is not "ok".
const noVerification = "no peer certificate"

// requireCertificate makes a connection that must see the peer's
// certificate refuse anonymous cipher suites, so that the handshake with
// a peer offering only those fails on the wire for both ends.
func (c *Conn) requireCertificate() {
	c.require = true
	C.tlsgo_conn_drop_anonymous(c.ssl)
}

// checkRequired is run when OpenSSL reports the handshake complete: with
// Require and no peer certificate it is a failure, whatever the cipher
// string allowed.
func (c *Conn) checkRequired() error {
	if !c.require || C.tlsgo_conn_has_peer_certificate(c.ssl) != 0 {
		return nil
	}
	e := *ErrNoPeerCertificate
	return &e
}

// hasPeerCertificate reports whether the peer showed a certificate.
func (c *Conn) hasPeerCertificate() bool {
	return C.tlsgo_conn_has_peer_certificate(c.ssl) != 0
}
