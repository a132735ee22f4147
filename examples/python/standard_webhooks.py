"""Standard Webhooks 1.0 signatures (https://www.standardwebhooks.com), with the standard library alone.

A delivery carries `webhook-id`, `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`, a
space-separated list of `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{raw body}">` entries; the HMAC key is the
base64-decoding of the secret after its `whsec_` prefix. verify() accepts a delivery when its timestamp is within
`tolerance` seconds of now and any v1 entry matches (compared in constant time); other versions are ignored.
"""
import base64
import binascii
import hashlib
import hmac
import time

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60
MAX_SIGNATURE_HEADER = 4096  # bytes of webhook-signature read at most: a few keys during a rotation


class VerificationError(ValueError):
    """The delivery is not authentic or not fresh; the message says which check failed."""


def signing_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret; VerificationError when the secret is not one."""
    if not secret.startswith(SECRET_PREFIX):
        raise VerificationError("secret: expected whsec_<base64>")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError("secret: the part after whsec_ is not base64") from None
    if not key:
        raise VerificationError("secret: empty key")
    return key


def _digest(key: bytes, msg_id: str, timestamp: str, body: bytes) -> bytes:
    return hmac.new(key, msg_id.encode() + b"." + timestamp.encode() + b"." + body, hashlib.sha256).digest()


def sign(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """The `v1,<base64>` entry a sender puts in webhook-signature."""
    return "v1," + base64.b64encode(_digest(signing_key(secret), msg_id, timestamp, body)).decode()


def verify(secret: str, msg_id: str, timestamp: str, signature_header: str, body: bytes,
           now: float = None, tolerance: int = TOLERANCE_SECONDS) -> None:
    """Returns when the delivery is authentic and fresh; raises VerificationError naming the failed check."""
    if not msg_id or "." in msg_id:
        raise VerificationError("webhook-id: missing or contains '.'")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise VerificationError("webhook-timestamp: not Unix seconds")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        raise VerificationError("webhook-timestamp: more than %d s from now" % tolerance)
    if len(signature_header) > MAX_SIGNATURE_HEADER:
        raise VerificationError("webhook-signature: longer than %d bytes" % MAX_SIGNATURE_HEADER)
    expected = _digest(signing_key(secret), msg_id, timestamp, body)
    for entry in signature_header.split(" "):
        version, _, value = entry.partition(",")
        if version != "v1":
            continue  # another scheme (v1a, a future one): not ours to judge
        try:
            given = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            continue
        if hmac.compare_digest(expected, given):
            return
    raise VerificationError("webhook-signature: no v1 signature matches")
