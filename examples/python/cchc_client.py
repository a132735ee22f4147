#!/usr/bin/python3
"""cchc_client: a short Python client of cchc, on stubs generated from proto/ at build time.

  sidebar            the portal's sidebar: published documents of a field (lĩnh vực), newest first
  search WORDS…      documents matching the words, accents and case ignored ("cai cach" finds "Cải cách")
  watch SUBSCRIBER   an inbox (hộp thư) live: ends after --max notifications or --timeout seconds
  verify-webhook     checks a webhook's Standard Webhooks 1.0 signature (standard library only)

Run it with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf) after building the stubs
(`tools/build python_stubs`). Calls carry `authorization: Bearer <token>` as cchcctl's do; the token comes from
--token, --token-file or CCHC_TOKEN, never from a file by default. Exit codes as cchcctl's: 0, 64 + the gRPC
status code of a failed call, 1 for a local error or a signature that does not verify, 2 for a usage error.

  examples/python/cchc_client.py sidebar --date 2018-06-19
  examples/python/cchc_client.py search cai cach hanh chinh
  examples/python/cchc_client.py --token-file .cchc/tccb.token watch TCCB --max 5 --timeout 60
  examples/python/cchc_client.py verify-webhook --secret whsec_… --id msg_… --timestamp 1614265330 \\
      --signature 'v1,…' --body-file body.json
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import standard_webhooks  # noqa: E402

DEFAULT_STUBS = os.path.join(HERE, "..", "..", "build", "examples", "python", "stubs")
SIDEBAR_FIELD = "Cải cách hành chính"
MAX_PAGE = 100  # the services' largest page
MAX_BODY = 1 << 20  # bytes of a webhook body verify-webhook reads at most


def bounded(low, high):
    """An argparse type: an integer in [low, high]."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("%r is not an integer" % text) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError("%d is not in %d..%d" % (value, low, high))
        return value
    return parse


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--document-address", default=os.environ.get("CCHC_DOCUMENT_ADDRESS", "127.0.0.1:50061"),
                   help="host:port of the document service (CCHC_DOCUMENT_ADDRESS)")
    p.add_argument("--notification-address",
                   default=os.environ.get("CCHC_NOTIFICATION_ADDRESS", "127.0.0.1:50064"),
                   help="host:port of the notification service (CCHC_NOTIFICATION_ADDRESS)")
    token = p.add_mutually_exclusive_group()
    token.add_argument("--token", help="bearer token (default: $CCHC_TOKEN)")
    token.add_argument("--token-file", help="read the bearer token from this file, e.g. .cchc/tccb.token")
    p.add_argument("--tls-ca", default=os.environ.get("CCHC_TLS_CA"),
                   help="PEM CA the services' certificates chain to; turns TLS on (CCHC_TLS_CA)")
    p.add_argument("--tls-cert", default=os.environ.get("CCHC_TLS_CERT"),
                   help="PEM client certificate for mTLS, with --tls-key (CCHC_TLS_CERT)")
    p.add_argument("--tls-key", default=os.environ.get("CCHC_TLS_KEY"), help="its PEM private key (CCHC_TLS_KEY)")
    p.add_argument("--call-timeout", type=float, default=10, help="deadline of each unary call, seconds")
    p.add_argument("--stubs", default=os.environ.get("CCHC_PYTHON_STUBS", DEFAULT_STUBS),
                   help="folder of the generated stubs (CCHC_PYTHON_STUBS; default build/examples/python/stubs)")
    p.add_argument("--json", action="store_true",
                   help="one JSON object (proto field names, as cchcctl's) per line instead of text")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sidebar", help="published documents of a field, newest first")
    s.add_argument("--field", default=SIDEBAR_FIELD, help="lĩnh vực (default: %(default)s)")
    s.add_argument("--date", help="issued on or before this day, yyyy-mm-dd")
    s.add_argument("--limit", type=bounded(1, 1000), default=30,
                   help="at most this many, 1..1000 (default 30)")

    s = sub.add_parser("search", help="documents matching words, accents and case ignored")
    s.add_argument("words", nargs="+")
    s.add_argument("--limit", type=bounded(1, MAX_PAGE), default=20, help="at most this many (default 20)")

    s = sub.add_parser("watch", help="an inbox live, for at most --max notifications or --timeout seconds")
    s.add_argument("subscriber", help="TCCB or subscribers/TCCB")
    s.add_argument("--max", type=bounded(1, 10000), default=10,
                   help="stop after this many notifications, 1..10000 (default 10)")
    s.add_argument("--timeout", type=float, default=60, help="stop after this many seconds (default 60)")
    s.add_argument("--after", type=int, default=0, help="resume after this cursor (0: the whole inbox first)")

    s = sub.add_parser("verify-webhook", help="check a Standard Webhooks 1.0 signature")
    s.add_argument("--secret", default=os.environ.get("CCHC_WEBHOOK_SECRET"), help="whsec_… (CCHC_WEBHOOK_SECRET)")
    s.add_argument("--id", required=True, help="the webhook-id header")
    s.add_argument("--timestamp", required=True, help="the webhook-timestamp header")
    s.add_argument("--signature", required=True, help="the webhook-signature header")
    s.add_argument("--body-file", help="the raw body (default: standard input)")
    s.add_argument("--now", type=int, help="Unix seconds to judge the timestamp by (default: the clock)")
    s.add_argument("--tolerance", type=int, default=standard_webhooks.TOLERANCE_SECONDS, help="seconds")
    args = p.parse_args(argv)
    if args.command == "verify-webhook" and not args.secret:
        p.error("verify-webhook: --secret (or CCHC_WEBHOOK_SECRET) is required")
    if args.command == "watch" and not 0 < args.timeout <= 86400:
        p.error("watch: --timeout must be in (0, 86400] seconds")
    return args


class Client:
    """Channels (plain text, or TLS/mTLS as cchcctl's with --tls-*), stubs imported from args.stubs, and each
    call's metadata."""

    def __init__(self, args):
        self.args = args
        self._token = None
        sys.path.insert(0, os.path.abspath(args.stubs))
        try:
            import grpc
            from cchc.document.v1 import document_pb2, document_pb2_grpc
            from cchc.notification.v1 import notification_pb2, notification_pb2_grpc
        except ImportError as e:
            raise LocalError("cannot import the stubs from %s (%s): run tools/build python_stubs" % (args.stubs, e))
        self.grpc, self.dpb, self.npb = grpc, document_pb2, notification_pb2
        credentials = channel_credentials(grpc, args)
        self.documents = document_pb2_grpc.DocumentServiceStub(open_channel(grpc, args.document_address, credentials))
        self.notifications = notification_pb2_grpc.NotificationServiceStub(
            open_channel(grpc, args.notification_address, credentials))

    def metadata(self):
        if self._token is None:
            self._token = read_token(self.args)
        return [("authorization", "Bearer " + self._token)] if self._token else []


class LocalError(Exception):
    pass


MAX_PEM_BYTES = 1 << 20


def read_pem(flag, path):
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_PEM_BYTES + 1)
    except OSError as e:
        raise LocalError("%s: cannot read %s: %s" % (flag, path, e.strerror))
    if len(data) > MAX_PEM_BYTES or b"-----BEGIN " not in data:
        raise LocalError("%s: %s is not a PEM file of at most 1 MiB" % (flag, path))
    return data


def channel_credentials(grpc, args):
    """None for plain text; TLS when --tls-ca is given; mTLS with --tls-cert and --tls-key as well."""
    if bool(args.tls_cert) != bool(args.tls_key):
        raise LocalError("--tls-cert/--tls-key: give both or neither")
    if not args.tls_ca:
        if args.tls_cert:
            raise LocalError("--tls-cert: needs --tls-ca")
        return None
    return grpc.ssl_channel_credentials(
        root_certificates=read_pem("--tls-ca", args.tls_ca),
        private_key=read_pem("--tls-key", args.tls_key) if args.tls_key else None,
        certificate_chain=read_pem("--tls-cert", args.tls_cert) if args.tls_cert else None)


def open_channel(grpc, address, credentials):
    return grpc.secure_channel(address, credentials) if credentials else grpc.insecure_channel(address)


def read_token(args):
    if args.token:
        return args.token
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as f:
                token = f.read(4096).strip()
        except OSError as e:
            raise LocalError("--token-file: cannot read %s: %s" % (args.token_file, e.strerror))
        if not token:
            raise LocalError("--token-file: %s is empty" % args.token_file)
        return token
    return os.environ.get("CCHC_TOKEN", "")


def to_json(message):
    from google.protobuf import json_format
    return json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=True), ensure_ascii=False, separators=(",", ":"))


def print_documents(args, documents):
    for d in documents:
        if args.json:
            print(to_json(d))
        else:
            day = "/".join(reversed(d.issue_date.split("-")))
            print("%s | %s | %s" % (d.code, day, d.subject))


def run_sidebar(c, args):
    req = c.dpb.ListDocumentsRequest()
    req.filter.field = args.field
    req.filter.status = c.dpb.PUBLISHED
    if args.date:
        req.filter.issue_date_to = args.date
    out = []
    while len(out) < args.limit:
        req.page_size = min(MAX_PAGE, args.limit - len(out))
        page = c.documents.ListDocuments(req, metadata=c.metadata(), timeout=args.call_timeout)
        out.extend(page.documents)
        if not page.next_page_token:
            break
        req.page_token = page.next_page_token
    print_documents(args, out[:args.limit])


def run_search(c, args):
    req = c.dpb.SearchDocumentsRequest(query=" ".join(args.words), page_size=args.limit)
    page = c.documents.SearchDocuments(req, metadata=c.metadata(), timeout=args.call_timeout)
    print_documents(args, page.documents)


def run_watch(c, args):
    """Reconnects when a stream ends (OK, UNAVAILABLE or CANCELLED: the server ends streams at their maximum age
    and on shutdown) from the last cursor printed, as `cchcctl notify inbox watch` does: at once after a stream
    that lived a second or more, else after a second; until --max notifications or --timeout."""
    parent = args.subscriber if args.subscriber.startswith("subscribers/") else "subscribers/" + args.subscriber
    deadline = time.monotonic() + args.timeout
    last, seen = args.after, 0
    while seen < args.max:
        opened = time.monotonic()
        left = deadline - opened
        if left <= 0:
            break
        stream = c.notifications.WatchNotifications(c.npb.WatchNotificationsRequest(parent=parent, after_cursor=last),
                                                    metadata=c.metadata(), timeout=left)
        try:
            for n in stream:
                print(to_json(n) if args.json else "#%d %s %s" % (n.cursor, n.event_type, n.title), flush=True)
                last, seen = n.cursor, seen + 1
                if seen >= args.max:
                    stream.cancel()
                    break
        except c.grpc.RpcError as e:
            code = e.code()
            if code == c.grpc.StatusCode.DEADLINE_EXCEEDED:
                break
            if code not in (c.grpc.StatusCode.UNAVAILABLE, c.grpc.StatusCode.CANCELLED):
                raise
        if seen < args.max and time.monotonic() - opened < 1.0:
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
    ended = "max" if seen >= args.max else "timeout"
    print("watch: %d notification(s), ended by %s, last cursor %d" % (seen, ended, last), file=sys.stderr)


def run_verify(args):
    try:
        if args.body_file:
            with open(args.body_file, "rb") as f:
                body = f.read(MAX_BODY + 1)
        else:
            body = sys.stdin.buffer.read(MAX_BODY + 1)
    except OSError as e:
        raise LocalError("--body-file: cannot read %s: %s" % (args.body_file, e.strerror))
    if len(body) > MAX_BODY:
        raise LocalError("body: larger than %d bytes" % MAX_BODY)
    try:
        standard_webhooks.verify(args.secret, args.id, args.timestamp, args.signature, body, now=args.now,
                                 tolerance=args.tolerance)
    except standard_webhooks.VerificationError as e:
        print("verify-webhook: rejected: %s" % e, file=sys.stderr)
        return 1
    print("verified")
    return 0


def main(argv):
    args = parse_args(argv)
    try:
        if args.command == "verify-webhook":
            return run_verify(args)
        client = Client(args)
        try:
            {"sidebar": run_sidebar, "search": run_search, "watch": run_watch}[args.command](client, args)
        except client.grpc.RpcError as e:
            print("error: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            return 64 + e.code().value[0]
    except LocalError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
