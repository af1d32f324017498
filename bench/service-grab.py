#!/usr/bin/env python3
"""Send one probe to a service and print what it answers, as a probe-file escaped string.

Used to write portscan's service probe database from what real services send:
  service-grab.py tcp 127.0.0.1 6379 '*1\\r\\n$4\\r\\nPING\\r\\n'
  service-grab.py udp 127.0.0.1 53 --hex 12340100000100000000000007...
The payload uses the probe file's escapes (\\r \\n \\0 \\xHH); an empty payload waits for a greeting.
--tls wraps the TCP connection in TLS first (certificates are not checked: this only reads banners).
Run it only against services you started yourself, on loopback inside a private namespace.
"""
import argparse, re, socket, ssl, sys, time


def unescape(text: str) -> bytes:
    out, i = bytearray(), 0
    simple = {"r": 13, "n": 10, "t": 9, "0": 0, "a": 7, "f": 12, "v": 11, "\\": 92}
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "x":
                out.append(int(text[i + 2:i + 4], 16)); i += 4; continue
            if n in simple:
                out.append(simple[n]); i += 2; continue
        out += c.encode("latin-1"); i += 1
    return bytes(out)


def escape(data: bytes) -> str:
    """Probe-file escapes; \\0 only where no digit follows (PCRE would read \\01 as octal)."""
    out = []
    for i, b in enumerate(data):
        if b == 13: out.append("\\r")
        elif b == 10: out.append("\\n")
        elif b == 0 and not data[i + 1:i + 2].isdigit(): out.append("\\0")
        elif b == 92: out.append("\\\\")
        elif 32 <= b < 127 and chr(b) not in "|": out.append(chr(b))
        else: out.append("\\x%02x" % b)
    return "".join(out)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("proto", choices=["tcp", "udp"])
    p.add_argument("host"); p.add_argument("port", type=int)
    p.add_argument("payload", nargs="?", default="")
    p.add_argument("--hex", action="store_true", help="payload is hex digits")
    p.add_argument("--tls", action="store_true")
    p.add_argument("--wait", type=float, default=3.0, help="seconds of silence that end the answer")
    a = p.parse_args()
    data = bytes.fromhex(a.payload) if a.hex else unescape(a.payload)
    family = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM if a.proto == "tcp" else socket.SOCK_DGRAM)
    s.settimeout(a.wait)
    s.connect((a.host, a.port))
    if a.tls:
        ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(s)
    if data:
        s.send(data)
    got, deadline = b"", time.time() + 4 * a.wait
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        got += chunk
    print(escape(got))


if __name__ == "__main__":
    main()
