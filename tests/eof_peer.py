"""A TLS server that ends its stream in one of several ways, for eof.test.

Usage: python3 eof_peer.py MODE CERTFILE KEYFILE

It listens on 127.0.0.1, prints "port N", serves one client: handshake,
then the records of "first\\n" and "second\\n", of which MODE says how
much is sent and how the connection ends:

    boundary-fin   both records, then a FIN without close_notify
    boundary-rst   both records, then a reset
    mid-fin        the first record and half of the second, then a FIN
    mid-rst        the first record and half of the second, then a reset

Before ending, it waits until the client's system has acknowledged every
byte, so that a reset cannot destroy data still in flight.
"""

import fcntl
import socket
import ssl
import struct
import sys
import termios
import time


def drained(s, limit=10.0):
    """Waits until the send queue of s is empty (all bytes acknowledged)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        left = struct.unpack("i", fcntl.ioctl(s, termios.TIOCOUTQ, b"\0\0\0\0"))[0]
        if left == 0:
            return
        time.sleep(0.005)


def main():
    mode, certfile, keyfile = sys.argv[1:4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certfile, keyfile)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(20)
    print("port %d" % listener.getsockname()[1], flush=True)
    s, _ = listener.accept()
    s.settimeout(20)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_side=True)
    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            data = outgoing.read()
            if data:
                s.sendall(data)
            data = s.recv(65536)
            if not data:
                print("client left", flush=True)
                return
            incoming.write(data)
    data = outgoing.read()
    if data:
        s.sendall(data)
    tls.write(b"first\n")
    first = outgoing.read()
    tls.write(b"second\n")
    second = outgoing.read()
    if mode.startswith("mid"):
        second = second[: len(second) // 2]
    s.sendall(first + second)
    drained(s)
    if mode.endswith("rst"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main()
