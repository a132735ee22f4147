#!/usr/bin/env python3
"""A webhook receiver for the notification tests, on 127.0.0.1.

Every POST is appended as a JSON line (path, the Standard Webhooks headers webhook-id, webhook-timestamp and
webhook-signature as "id", "timestamp" and "signature", the W3C traceparent, body as text) to --out before
answering. The answer depends on the path: /ok → 200; /flaky → 500 for the first --failures posts to that path,
then 200; /bad → 400; /hold/<name> → held until a GET /release/<name> (at most 60 s), then 200, except 500 for
the first post when <name> starts with "fail" (a slow receiver, for the tests of what happens while a delivery
is being sent); /slow/<ms>/<name> → 200 after <ms> milliseconds; /down/<name> → 500 until a GET /up/<name>, then
200; /reply/<status>/<bytes>/<ms>/<name> → <status> after <ms> milliseconds with a body of <bytes> bytes
(REPLY_TEXT's UTF-8 repeated, cut there); /answer/<name>?status=S[&times=N][&retry_after=V][&delivery=V]
[&location=V] → status S with those headers (Retry-After, webhook-delivery, Location) for the first N posts (all
by default), then 200. Each line also has "received_at" (seconds, the receiver's clock) and
"concurrent": the posts to that path in progress when it arrived, itself included. Prints "ready <port>" once
listening.
"""
import argparse
import http.server
import json
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--failures", type=int, default=2)
args = parser.parse_args()
lock = threading.Lock()
seen = {}
in_progress = {}
releases = {}
up = set()
REPLY_TEXT = "Đã nhận thông báo của Sở Giáo dục và Đào tạo; "


def release_of(name):
    with lock:
        return releases.setdefault(name, threading.Event())


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            seen[self.path] = seen.get(self.path, 0) + 1
            count = seen[self.path]
            in_progress[self.path] = in_progress.get(self.path, 0) + 1
            concurrent = in_progress[self.path]
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(json.dumps({
                    "path": self.path,
                    "id": self.headers.get("webhook-id", ""),
                    "timestamp": self.headers.get("webhook-timestamp", ""),
                    "signature": self.headers.get("webhook-signature", ""),
                    "traceparent": self.headers.get("traceparent", ""),
                    "body": body.decode("utf-8"),
                    "received_at": time.time(),
                    "concurrent": concurrent,
                }, ensure_ascii=False) + "\n")
        try:
            self.answer(count)
        finally:
            with lock:
                in_progress[self.path] -= 1

    def answer(self, count):
        status = 200
        if self.path.startswith("/reply/"):
            _, _, code, size, ms, _ = self.path.split("/", 5)
            time.sleep(int(ms) / 1000)
            body = (REPLY_TEXT.encode("utf-8") * (int(size) // len(REPLY_TEXT) + 1))[:int(size)]
            self.send_response(int(code))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass  # the client stopped reading at its limit
            return
        headers = {}
        if self.path.startswith("/answer/"):
            q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            if count <= int(q.get("times", ["1000000"])[0]):
                status = int(q["status"][0])
                for header, key in (("Retry-After", "retry_after"), ("webhook-delivery", "delivery"),
                                    ("Location", "location")):
                    if key in q:
                        headers[header] = q[key][0]
        elif self.path.startswith("/hold/"):
            name = self.path[len("/hold/"):]
            release_of(name).wait(60)
            if name.startswith("fail") and count == 1:
                status = 500
        elif self.path.startswith("/slow/"):
            time.sleep(int(self.path.split("/")[2]) / 1000)
        elif self.path.startswith("/down/"):
            with lock:
                status = 200 if self.path[len("/down/"):] in up else 500
        elif self.path == "/bad":
            status = 400
        elif self.path == "/flaky" and count <= args.failures:
            status = 500
        self.send_response(status)
        for header, value in headers.items():
            self.send_header(header, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path.startswith("/release/"):
            release_of(self.path[len("/release/"):]).set()
            self.send_response(200)
        elif self.path.startswith("/up/"):
            with lock:
                up.add(self.path[len("/up/"):])
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
print("ready", args.port, flush=True)
server.serve_forever()
