package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import "unsafe"

// StatusFields returns the connection keys of tls::status, in order:
// peername, sbits, cipher, verification, alpn, protocol,
// signatureHashAlgorithm, signature_type and ca_names. local selects our
// own signature algorithm instead of the peer's.
//
// ca_names lists, as RFC 2253 names, the certificate authorities of the
// certificate request: on a client those the server named, on a server
// those it sends (its -cafile subjects).
func (c *Conn) StatusFields(local bool) []Field {
	if c.ssl == nil {
		return nil
	}
	l := C.int(0)
	if local {
		l = 1
	}
	return []Field{
		{"peername", c.ServerName()},
		{"sbits", c.SecretBits()},
		{"cipher", c.Cipher()},
		{"verification", c.VerifyResult()},
		{"alpn", c.ALPN()},
		{"protocol", c.Version()},
		{"signatureHashAlgorithm", C.GoString(C.tlsgo_signature_hash(c.ssl, l))},
		{"signature_type", C.GoString(C.tlsgo_signature_type(c.ssl, l))},
		{"ca_names", c.CANames()},
	}
}

// CANames returns, as RFC 2253 names, the certificate authorities of the
// certificate request: on a client those the server named, on a server
// those it sends (its -cafile subjects). Never nil.
func (c *Conn) CANames() []string {
	names := []string{}
	if c.ssl == nil {
		return names
	}
	var b C.tlsgo_bytes
	if C.tlsgo_ca_names(c.ssl, &b) != 0 {
		for _, it := range splitItems(C.GoBytes(unsafe.Pointer(b.p), b.n)) {
			names = append(names, string(it))
		}
		C.free(unsafe.Pointer(b.p))
	}
	return names
}

// ConnectionFields returns the keys of tls::connection in order: the
// connection state, then the cipher's details when a cipher is in use,
// then the session's when there is a session, then compression and the
// session cache mode. Binary values (session_id, session_ticket,
// ticket_app_data, master_key) are []byte.
func (c *Conn) ConnectionFields() []Field {
	if c.ssl == nil {
		return nil
	}
	// Secure renegotiation only exists up to TLS 1.2.
	reneg := C.tlsgo_secure_renegotiation(c.ssl) != 0 && C.tlsgo_version_number(c.ssl) < C.TLS1_3_VERSION
	fields := []Field{
		{"state", C.GoString(C.tlsgo_state_string(c.ssl))},
		{"servername", c.ServerName()},
		{"protocol", c.Version()},
		{"renegotiation", boolInt(reneg)},
		{"securitylevel", int(C.tlsgo_security_level(c.ssl))},
		{"session_reused", int(C.tlsgo_session_reused(c.ssl))},
		{"is_server", boolInt(c.server)},
	}
	var ci C.tlsgo_cipher_info
	if C.tlsgo_cipher_details(c.ssl, &ci) != 0 {
		fields = append(fields,
			Field{"cipher", C.GoString(ci.name)},
			Field{"standard_name", C.GoString(ci.std_name)},
			Field{"bits", int(ci.alg_bits)},
			Field{"secret_bits", int(ci.bits)},
			Field{"min_version", C.GoString(ci.version)},
			Field{"id", int(ci.id)},
			Field{"description", C.GoString(&ci.description[0])},
		)
	}
	var si C.tlsgo_session_info
	if C.tlsgo_session_details(c.ssl, &si) != 0 {
		master := int(si.master_len)
		if master > len(si.master) {
			master = len(si.master)
		}
		fields = append(fields,
			Field{"alpn", string(goBytes(unsafe.Pointer(si.alpn), int(si.alpn_len)))},
			Field{"resumable", int(si.resumable)},
			Field{"start_time", int(si.start_time)},
			Field{"timeout", int(si.timeout)},
			Field{"lifetime", int(si.lifetime)},
			Field{"session_id", goBytes(unsafe.Pointer(si.id), int(si.id_len))},
			Field{"session_ticket", goBytes(unsafe.Pointer(si.ticket), int(si.ticket_len))},
			Field{"ticket_app_data", goBytes(si.app_data, int(si.app_data_len))},
			Field{"master_key", C.GoBytes(unsafe.Pointer(&si.master[0]), C.int(master))},
		)
	}
	fields = append(fields,
		Field{"compression", C.GoString(C.tlsgo_compression_name(c.ssl, 0))},
		Field{"expansion", C.GoString(C.tlsgo_compression_name(c.ssl, 1))},
		Field{"session_cache_mode", cacheModeName(int(C.tlsgo_session_cache_mode(c.ssl)))},
	)
	return fields
}

// cacheModeName names an SSL_CTX session cache mode.
func cacheModeName(mode int) string {
	switch mode & C.SSL_SESS_CACHE_BOTH {
	case C.SSL_SESS_CACHE_BOTH:
		return "both"
	case C.SSL_SESS_CACHE_CLIENT:
		return "client"
	case C.SSL_SESS_CACHE_SERVER:
		return "server"
	}
	return "off"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// goBytes copies n bytes of C memory; never nil, so that an absent value
// is an empty byte string.
func goBytes(p unsafe.Pointer, n int) []byte {
	if p == nil || n <= 0 {
		return []byte{}
	}
	return C.GoBytes(p, C.int(n))
}
