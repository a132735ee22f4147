#!/usr/bin/env python3
"""A minimal SMTP receiver for the notification tests, on 127.0.0.1 (no dependency beyond the standard
library; python3-aiosmtpd is not on every machine). Each message is parsed with the email package and
written to --dir as a JSON file: envelope sender and recipients, the decoded Subject, the decoded text
body and its Content-Type. Prints "ready <port>" once listening.
"""
import argparse
import email
import email.policy
import json
import os
import socketserver

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
args = parser.parse_args()
counter = [0]


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 127.0.0.1 test SMTP")
        sender, rcpts = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                sender, rcpts = cmd.split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if l in (b".\r\n", b".\n", b""):
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    data += l
                msg = email.message_from_bytes(data, policy=email.policy.default)
                counter[0] += 1
                with open(os.path.join(args.dir, "mail-%d.json" % counter[0]), "w", encoding="utf-8") as f:
                    json.dump({
                        "from": sender, "to": rcpts,
                        "raw_subject": data.decode("ascii", "replace").split("Subject: ", 1)[1].split("\r\nDate:")[0],
                        "subject": str(msg.get("Subject", "")),
                        "content_type": msg.get_content_type(),
                        "charset": msg.get_content_charset(),
                        "body": msg.get_content(),
                    }, f, ensure_ascii=False)
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True


server = Server(("127.0.0.1", args.port), Handler)
print("ready", args.port, flush=True)
server.serve_forever()
