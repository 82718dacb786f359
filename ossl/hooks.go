package ossl

// #cgo pkg-config: libssl libcrypto
// #include "shim.h"
import "C"

import (
	"errors"
	"runtime/cgo"
	"unsafe"
)

// Decision is a hook's answer about a value met during the handshake.
type Decision int

// Decisions. NoOpinion leaves the choice to the default rules, as if the
// hook were not set.
const (
	Reject    Decision = 0  // refuse and abort the handshake
	Accept    Decision = 1  // accept
	Continue  Decision = 2  // refuse, but go on with the handshake
	NoOpinion Decision = -1 // apply the default rules
)

// InfoEvent is one call of OpenSSL's info callback, in the words of the
// Tcl package: Major is handshake, alert, connect, accept or unknown;
// Minor is start, done, read, write, loop, exit or unknown; Message is the
// state or alert text; Type is "info", or the alert level (warning, fatal,
// unknown).
type InfoEvent struct {
	Major, Minor, Message, Type string
}

// VerifyEvent is one certificate of the peer's chain as OpenSSL checks it.
type VerifyEvent struct {
	Depth int    // 0 for the peer's own certificate
	OK    bool   // OpenSSL's verdict before the hook
	Error string // OpenSSL's verify error text, "ok" when none
	DER   []byte // the certificate
}

// SessionEvent describes a new session or ticket a client received.
type SessionEvent struct {
	ID       []byte // session id, may be empty
	Ticket   []byte // session ticket, may be empty
	Lifetime int    // ticket lifetime hint in seconds
}

// MessageEvent is one protocol message sent or received (OpenSSL's
// message callback), in the words of TclTLS 2.0.1: Version is SSLv3,
// TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, none or unknown; ContentType is
// Header, Inner Content Type, Change Cipher, Alert, Handshake, App Data or
// unknown; Text is OpenSSL's trace of the message (SSL_trace).
type MessageEvent struct {
	Sent        bool
	Version     string
	ContentType string
	Text        string
}

// messageVersion names the protocol version of a message.
func messageVersion(v int) string {
	switch v {
	case C.SSL3_VERSION:
		return "SSLv3"
	case C.TLS1_VERSION:
		return "TLSv1"
	case C.TLS1_1_VERSION:
		return "TLSv1.1"
	case C.TLS1_2_VERSION:
		return "TLSv1.2"
	case C.TLS1_3_VERSION:
		return "TLSv1.3"
	case 0:
		return "none"
	}
	return "unknown"
}

// contentTypeName names the content type of a message, including
// OpenSSL's pseudo types for record headers and TLS 1.3's inner type.
func contentTypeName(t int) string {
	switch t {
	case C.SSL3_RT_HEADER:
		return "Header"
	case C.SSL3_RT_INNER_CONTENT_TYPE:
		return "Inner Content Type"
	case C.SSL3_RT_CHANGE_CIPHER_SPEC:
		return "Change Cipher"
	case C.SSL3_RT_ALERT:
		return "Alert"
	case C.SSL3_RT_HANDSHAKE:
		return "Handshake"
	case C.SSL3_RT_APPLICATION_DATA:
		return "App Data"
	}
	return "unknown"
}

// Hooks are Go functions a connection calls from inside OpenSSL, on the
// thread that drives it. A hook must not call methods of the Conn it
// belongs to, except UseContext from Hello and SNI. Nil fields are not
// called; a hook answering NoOpinion leaves the default rules in force.
type Hooks struct {
	// Info is told about handshake progress and alerts.
	Info func(ev InfoEvent)
	// Verify decides about each certificate of the peer's chain. Reject
	// fails the handshake; Continue accepts the certificate but records
	// a verification failure ("application verification failure" when
	// OpenSSL found none), so that VerifyResult reports it.
	Verify func(ev VerifyEvent) Decision
	// Hello is called by servers for each ClientHello with the SNI name
	// ("" when none was sent) and the hello's session id (TLS 1.3
	// clients send a random one). Reject aborts; anything else
	// continues.
	Hello func(serverName string, sessionID []byte) Decision
	// SNI is called by servers when the client sent a server name.
	// Reject sends a fatal unrecognized_name alert; Continue a warning.
	SNI func(serverName string) Decision
	// ALPN is called by servers with a server ALPN list when the client
	// offers ALPN: protocol is the first of the server's protocols the
	// client offers (matched) or else the client's first one. Accept
	// selects it, Reject aborts with no_application_protocol, Continue
	// goes on without ALPN. Without a hook only a match is selected.
	ALPN func(protocol string, matched bool) Decision
	// NewSession is told about every new session or ticket of a client.
	NewSession func(ev SessionEvent)
	// Message is told about every protocol message sent or received.
	Message func(ev MessageEvent)
}

// SetHooks makes the connection call h's functions; nil removes them.
// The Conn keeps h until Free or the next SetHooks.
func (c *Conn) SetHooks(h *Hooks) {
	if c.ssl == nil {
		return
	}
	c.dropHooks()
	if h == nil {
		C.tlsgo_conn_set_info(c.ssl, 0)
		C.tlsgo_conn_set_msg(c.ssl, 0)
		return
	}
	c.hooks = cgo.NewHandle(h)
	C.tlsgo_conn_set_hook(c.ssl, C.uintptr_t(c.hooks))
	info := C.int(0)
	if h.Info != nil {
		info = 1
	}
	C.tlsgo_conn_set_info(c.ssl, info)
	msg := C.int(0)
	if h.Message != nil {
		msg = 1
	}
	C.tlsgo_conn_set_msg(c.ssl, msg)
}

// dropHooks forgets the hooks, in C and in Go.
func (c *Conn) dropHooks() {
	if c.hooks == 0 {
		return
	}
	if c.ssl != nil {
		C.tlsgo_conn_set_hook(c.ssl, 0)
	}
	c.hooks.Delete()
	c.hooks = 0
}

// setServerALPN gives a server connection the protocols it may select.
func (c *Conn) setServerALPN(wire []byte) error {
	r := C.tlsgo_conn_set_server_alpn(c.ssl, (*C.uchar)(unsafe.Pointer(&wire[0])), C.uint(len(wire)))
	if err := check("SSL_set_ex_data", "", r); err != nil {
		return errors.New("failed to set ALPN protocols")
	}
	return nil
}

// UseContext switches a server connection to another context while its
// Hello or SNI hook runs, so that it presents that context's certificate
// and key. Verification settings of the connection stay as they were.
func (c *Conn) UseContext(ctx *Context) error {
	if c.ssl == nil || ctx == nil || ctx.ctx == nil {
		return errFreed
	}
	if !c.server {
		return errors.New("only a server can change its certificate")
	}
	return check("SSL_set_SSL_CTX", "unable to switch certificate", C.tlsgo_conn_use_ctx(c.ssl, ctx.ctx))
}

// hooksOf returns the Hooks behind a handle from C, nil if none.
func hooksOf(h C.uintptr_t) *Hooks {
	if h == 0 {
		return nil
	}
	hk, _ := cgo.Handle(h).Value().(*Hooks)
	return hk
}

// infoEvent turns the arguments of OpenSSL's info callback (the where
// bits, the state text and, for alerts, the alert's description and
// level) into the words of the Tcl package.
func infoEvent(where int, state, alert, level string) InfoEvent {
	var ev InfoEvent
	switch {
	case where&C.SSL_CB_HANDSHAKE_START != 0:
		ev.Major, ev.Minor = "handshake", "start"
	case where&C.SSL_CB_HANDSHAKE_DONE != 0:
		ev.Major, ev.Minor = "handshake", "done"
	default:
		switch {
		case where&C.SSL_CB_ALERT != 0:
			ev.Major = "alert"
		case where&C.SSL_ST_CONNECT != 0:
			ev.Major = "connect"
		case where&C.SSL_ST_ACCEPT != 0:
			ev.Major = "accept"
		default:
			ev.Major = "unknown"
		}
		switch {
		case where&C.SSL_CB_READ != 0:
			ev.Minor = "read"
		case where&C.SSL_CB_WRITE != 0:
			ev.Minor = "write"
		case where&C.SSL_CB_LOOP != 0:
			ev.Minor = "loop"
		case where&C.SSL_CB_EXIT != 0:
			ev.Minor = "exit"
		default:
			ev.Minor = "unknown"
		}
	}
	if where&C.SSL_CB_ALERT != 0 {
		ev.Message, ev.Type = alert, level
	} else {
		ev.Message, ev.Type = state, "info"
	}
	return ev
}

// serverNameOf returns the host name in the body of a ClientHello's
// server_name extension (RFC 6066: a two-byte list length, then entries
// of a type byte and a two-byte length), "" when there is none or the
// body is malformed. Only the first entry counts, as in OpenSSL.
func serverNameOf(ext []byte) string {
	if len(ext) < 2 {
		return ""
	}
	list := int(ext[0])<<8 | int(ext[1])
	if list < 3 || 2+list > len(ext) {
		return ""
	}
	typ, n := ext[2], int(ext[3])<<8|int(ext[4])
	if typ != C.TLSEXT_NAMETYPE_host_name || n == 0 || n > 255 || 3+n > list {
		return ""
	}
	return string(ext[5 : 5+n])
}
