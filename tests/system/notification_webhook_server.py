#!/usr/bin/env python3
"""A webhook receiver for the notification tests, on 127.0.0.1.

Every POST is appended as a JSON line (path, headers X-Cchc-Timestamp / X-Cchc-Signature, body as text) to
--out before answering. The answer depends on the path: /ok → 200; /flaky → 500 for the first --failures
posts to that path, then 200; /bad → 400. Prints "ready <port>" once listening.
"""
import argparse
import http.server
import json
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--failures", type=int, default=2)
args = parser.parse_args()
lock = threading.Lock()
seen = {}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen[self.path] = seen.get(self.path, 0) + 1
            count = seen[self.path]
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps({
                    "path": self.path,
                    "timestamp": self.headers.get("X-Cchc-Timestamp", ""),
                    "signature": self.headers.get("X-Cchc-Signature", ""),
                    "body": body.decode("utf-8"),
                }, ensure_ascii=False) + "\n")
        status = 200
        if self.path == "/bad":
            status = 400
        elif self.path == "/flaky" and count <= args.failures:
            status = 500
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
print("ready", args.port, flush=True)
server.serve_forever()
