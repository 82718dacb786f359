"""Misbehaving TLS peers for hostile.test.

Usage: python3 hostile_peer.py MODE HOST PORT CAFILE

Each mode connects to a TLS server, misbehaves in one way, prints what
happened on standard output (one line per event) and exits by itself
within a few seconds.
"""

import socket
import ssl
import struct
import sys
import time


def connect(host, port):
    s = socket.create_connection((host, port), timeout=10)
    return s


def client_hello(cafile):
    """Returns the bytes of a real ClientHello, made with memory BIOs."""
    ctx = ssl.create_default_context(cafile=cafile)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def reset(s):
    """Closes with a TCP reset instead of a FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def read_until_closed(s, limit=10.0):
    s.settimeout(limit)
    total = 0
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return "closed after %d bytes" % total
            total += len(d)
    except socket.timeout:
        return "still open"
    except OSError as e:
        return "reset (%s)" % e.__class__.__name__


def tls_client(host, port, cafile, **kw):
    ctx = ssl.create_default_context(cafile=cafile)
    for k, v in kw.items():
        setattr(ctx, k, v)
    return ctx.wrap_socket(connect(host, port), server_hostname="localhost")


def main():
    mode, host, port, cafile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    out = lambda *a: print(*a, flush=True)
    if mode == "garbage":
        s = connect(host, port)
        s.sendall(b"GET / HTTP/1.0\r\n\r\n" * 20)
        out("sent")
        out(read_until_closed(s))
    elif mode == "truncated":
        s = connect(host, port)
        s.sendall(client_hello(cafile)[:60])
        out("sent")
        time.sleep(6)
        out("done")
    elif mode == "reset-handshake":
        s = connect(host, port)
        s.sendall(client_hello(cafile)[:60])
        time.sleep(0.2)
        reset(s)
        out("reset")
    elif mode == "reset-transfer":
        t = tls_client(host, port, cafile)
        out("connected " + t.version())
        t.sendall(b"line\n" * 2000)
        time.sleep(0.2)
        reset(t)
        out("reset")
    elif mode == "oversized":
        s = connect(host, port)
        s.sendall(b"\x16\x03\x01\xff\xff" + b"\x00" * 65535)
        out("sent")
        out(read_until_closed(s))
    elif mode == "oldproto":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cafile)
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            t = ctx.wrap_socket(connect(host, port), server_hostname="localhost")
            out("connected " + t.version())
        except (ssl.SSLError, OSError) as e:
            out("refused: %s" % e)
    elif mode == "badcipher":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cafile)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers("ECDHE-RSA-AES128-SHA")
        try:
            t = ctx.wrap_socket(connect(host, port), server_hostname="localhost")
            out("connected " + t.cipher()[0])
        except (ssl.SSLError, OSError) as e:
            out("refused: %s" % e)
    elif mode == "flood":
        t = tls_client(host, port, cafile)
        out("connected " + t.version())
        t.settimeout(3)
        sent = 0
        chunk = b"x" * 1023 + b"\n"
        try:
            while sent < 8 * 1024 * 1024:
                t.sendall(chunk * 64)
                sent += len(chunk) * 64
        except (socket.timeout, OSError):
            pass
        out("flooded %d" % sent)
        time.sleep(30)
        out("done")
    else:
        out("unknown mode " + mode)
        sys.exit(2)


if __name__ == "__main__":
    main()
