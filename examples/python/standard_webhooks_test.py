"""standard_webhooks.verify against the Standard Webhooks 1.0 test vector, and what it must refuse."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import standard_webhooks as sw  # noqa: E402

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = "1614265330"
BODY = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
NOW = 1614265330 + 10


class VerifyTest(unittest.TestCase):
    def refused(self, because, **changes):
        args = dict(secret=SECRET, msg_id=MSG_ID, timestamp=TIMESTAMP, signature_header=SIGNATURE, body=BODY, now=NOW)
        args.update(changes)
        with self.assertRaises(sw.VerificationError) as caught:
            sw.verify(**args)
        self.assertIn(because, str(caught.exception))

    def test_spec_vector(self):
        self.assertEqual(sw.sign(SECRET, MSG_ID, TIMESTAMP, BODY), SIGNATURE)
        sw.verify(SECRET, MSG_ID, TIMESTAMP, SIGNATURE, BODY, now=NOW)

    def test_any_v1_entry_of_a_rotation_matches_and_other_versions_are_ignored(self):
        header = "v1a,bm90IG91cnM= v1,AAAA v1,bm8= " + SIGNATURE
        sw.verify(SECRET, MSG_ID, TIMESTAMP, header, BODY, now=NOW)

    def test_tampered_body_id_or_timestamp(self):
        self.refused("no v1 signature matches", body=b'{"test": 2432232315}')
        self.refused("no v1 signature matches", msg_id="msg_p5jXN8AQM9LWM0D4loKWxJeK")
        self.refused("no v1 signature matches", timestamp="1614265331")
        self.refused("no v1 signature matches", signature_header="v1a," + SIGNATURE[3:])
        self.refused("no v1 signature matches", secret="whsec_" + "A" * 32)

    def test_timestamp_window_is_five_minutes_either_way(self):
        sw.verify(SECRET, MSG_ID, TIMESTAMP, SIGNATURE, BODY, now=1614265330 + 300)
        sw.verify(SECRET, MSG_ID, TIMESTAMP, SIGNATURE, BODY, now=1614265330 - 300)
        self.refused("webhook-timestamp: more than 300 s", now=1614265330 + 301)
        self.refused("webhook-timestamp: more than 300 s", now=1614265330 - 301)
        self.refused("webhook-timestamp: more than 300 s", now=None)  # the real clock: 2021 is long gone
        self.refused("webhook-timestamp: not Unix seconds", timestamp="1614265330.5")

    def test_malformed_inputs(self):
        self.refused("secret: expected whsec_", secret="MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        self.refused("secret: the part after whsec_ is not base64", secret="whsec_%%%")
        self.refused("webhook-id", msg_id="msg.1")
        self.refused("webhook-signature: longer", signature_header=SIGNATURE + " " * 5000)


if __name__ == "__main__":
    unittest.main()
