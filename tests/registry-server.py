#!/usr/bin/env python3
# registry-server.py: the tests' own registry server, on 127.0.0.1 only.
#
#   registry-server.py CONTROL STATEDIR [CERT KEY]
#
# Listens on a free port of 127.0.0.1 (HTTPS with CERT and KEY), writes the
# port to STATEDIR/port, and answers every GET as the first line of the file
# CONTROL says at that moment:
#   serve FILE    FILE, with an ETag (its SHA-256) and a Last-Modified (its
#                 mtime); 304 to a request whose If-None-Match or, without
#                 one, If-Modified-Since matches
#   status N      an error page with status N (404, 500)
#   html          an HTML page, with 200
#   stall S       nothing for S seconds
#   big N         N bytes, with their Content-Length
#   bigstream N   N bytes, without a Content-Length (the connection closes)
#   cut FILE      FILE's Content-Length, half of FILE, then the connection closes
# Each request adds a line to STATEDIR/requests: the path, the validators it
# sent, and the status given.
# SPDX-License-Identifier: LGPL-2.1-or-later
import email.utils
import hashlib
import http.server
import os
import ssl
import sys
import threading
import time

control, statedir = sys.argv[1], sys.argv[2]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, status):
        with lock, open(os.path.join(statedir, "requests"), "a") as f:
            f.write("%s inm=%s ims=%s -> %s\n" % (
                self.path, self.headers.get("If-None-Match", "-"),
                self.headers.get("If-Modified-Since", "-"), status))

    # Each request is recorded before its answer goes out: the client may
    # count the requests as soon as it has the answer.
    def send(self, status, body, ctype="application/xml", headers=()):
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(control) as f:
            words = f.readline().split()
        mode, arg = words[0], words[1] if len(words) > 1 else ""
        if mode == "serve":
            with open(arg, "rb") as f:
                body = f.read()
            etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
            mtime = int(os.stat(arg).st_mtime)
            lm = email.utils.formatdate(mtime, usegmt=True)
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            fresh = False
            if inm is not None:
                fresh = etag in [t.strip() for t in inm.split(",")]
            elif ims is not None:
                t = email.utils.parsedate_to_datetime(ims)
                fresh = t is not None and int(t.timestamp()) >= mtime
            if fresh:
                self.record(304)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send(200, body, headers=(("ETag", etag), ("Last-Modified", lm)))
        elif mode == "status":
            self.send(int(arg), b"<html><body>error</body></html>\n", "text/html")
        elif mode == "html":
            self.send(200, b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>"
                           b"<body>Back soon.</body></html>\n", "text/html")
        elif mode == "stall":
            self.record("stall")
            time.sleep(float(arg))
        elif mode == "big":
            n = int(arg)
            self.record("big")
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while n > 0:
                    self.wfile.write(chunk[:n])
                    n -= len(chunk)
            except OSError:
                pass
        elif mode == "bigstream":
            n = int(arg)
            self.record("bigstream")
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<?xml version='1.0'?>\n" + b" " * 65000
            try:
                while n > 0:
                    self.wfile.write(chunk[:n])
                    n -= len(chunk)
            except OSError:
                pass
            self.close_connection = True
        elif mode == "cut":
            with open(arg, "rb") as f:
                body = f.read()
            self.record("cut")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        else:
            self.send(500, b"bad control file\n", "text/plain")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) > 4:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(os.path.join(statedir, "port.tmp"), "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(os.path.join(statedir, "port.tmp"), os.path.join(statedir, "port"))
server.serve_forever()
