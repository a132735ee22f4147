#!/usr/bin/python3
"""The SMTP receiver of the notification tests, on 127.0.0.1, built on Debian's python3-aiosmtpd (run it with
/usr/bin/python3). By default it offers and requires STARTTLS with --cert/--key (no MAIL, RCPT, DATA or AUTH
before it) and, with --credentials, requires AUTH with that "user:password" (offered only after STARTTLS).
With --no-starttls it offers no STARTTLS at all: a client that refuses clear text must stop after EHLO. With
--implicit-tls it speaks TLS from the first byte (smtps://).

Each message is written to --dir as mail-<n>.json: envelope sender and recipients, the raw and decoded
Subject, the decoded text body, its Content-Type and charset, whether it came over TLS and who logged in.
Every command the receiver answered is appended to --dir/commands.log as "<tls|clear> <VERB>", so a test can
see what, if anything, was sent in clear text. Prints "ready <port>" once listening.
"""
import argparse
import email
import email.policy
import json
import os
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--dir", required=True)
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--credentials", help="user:password that AUTH must present")
parser.add_argument("--no-starttls", action="store_true")
parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps://), no STARTTLS")
args = parser.parse_args()
lock = threading.Lock()
counter = [0]


def over_tls(session):
    # aiosmtpd sets session.ssl on STARTTLS only; with --implicit-tls every byte is over TLS.
    return session.ssl is not None or args.implicit_tls


def record(session, verb):
    with lock, open(os.path.join(args.dir, "commands.log"), "a", encoding="utf-8") as f:
        f.write("%s %s\n" % ("tls" if over_tls(session) else "clear", verb))


class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        record(session, "EHLO")
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):
        record(session, "MAIL")
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        record(session, "RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record(session, "DATA")
        data = envelope.original_content or envelope.content
        msg = email.message_from_bytes(data, policy=email.policy.default)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with lock:
            counter[0] += 1
            path = os.path.join(args.dir, "mail-%d.json" % counter[0])
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump({
                "from": "<%s>" % envelope.mail_from, "to": ["<%s>" % r for r in envelope.rcpt_tos],
                "raw_subject": data.decode("ascii", "replace").split("Subject: ", 1)[1].split("\r\nDate:")[0],
                "subject": str(msg.get("Subject", "")),
                "content_type": msg.get_content_type(),
                "charset": msg.get_content_charset(),
                "body": msg.get_content(),
                "tls": over_tls(session),
                "login": login,
            }, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    record(session, "AUTH")
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False)
    given = auth_data.login + b":" + auth_data.password
    return AuthResult(success=given == args.credentials.encode(), handled=False, auth_data=auth_data)


kwargs = {}
if not args.no_starttls:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    if args.implicit_tls:
        kwargs.update(ssl_context=context, auth_require_tls=False)  # it is TLS: aiosmtpd only knows STARTTLS
    else:
        kwargs.update(tls_context=context, require_starttls=True)
if args.credentials:
    kwargs.update(authenticator=authenticator, auth_required=True)
controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, server_hostname="127.0.0.1", **kwargs)
controller.start()
print("ready", args.port, flush=True)
while True:
    time.sleep(3600)
