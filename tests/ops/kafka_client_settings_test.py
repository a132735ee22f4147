#!/usr/bin/env python3
"""The prod overlay's Kafka client settings (k8s/overlays/prod/clients.yaml: SASL_SSL, SCRAM-SHA-512, the cluster
CA) are accepted by the librdkafka the services link: each service's CCHC_KAFKA_PROPERTIES, split on ';' as the
services split it, is set on a producer and a consumer configuration and the client is created (which fails for
an unknown key or value, or a librdkafka built without SSL or SCRAM). No broker is contacted: the embedded test
broker cannot speak SASL; tools/ops/check-k8s checks the structure (user, Secret, CA, listener port).
  tests/ops/kafka_client_settings_test.py"""
import ctypes
import os
import re
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLIENTS = os.path.join(ROOT, "k8s", "overlays", "prod", "clients.yaml")
# A CA bundle to stand in for the mounted cluster CA (librdkafka loads it when the client is created).
CA_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]

lib = ctypes.CDLL("librdkafka.so.1")
lib.rd_kafka_conf_new.restype = ctypes.c_void_p
lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                  ctypes.c_size_t]
lib.rd_kafka_new.restype = ctypes.c_void_p
lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.rd_kafka_destroy.argtypes = [ctypes.c_void_p]
lib.rd_kafka_conf_destroy.argtypes = [ctypes.c_void_p]
lib.rd_kafka_version_str.restype = ctypes.c_char_p
PRODUCER, CONSUMER = 0, 1


def make_client(kind, properties):
    """None when librdkafka creates the client with these properties, else its error."""
    conf = lib.rd_kafka_conf_new()
    err = ctypes.create_string_buffer(512)
    base = {"bootstrap.servers": "127.0.0.1:1", "log_level": "0"}
    if kind == CONSUMER:
        base["group.id"] = "ops-test"
    for k, v in {**base, **properties}.items():
        if lib.rd_kafka_conf_set(conf, k.encode(), v.encode(), err, len(err)) != 0:
            lib.rd_kafka_conf_destroy(conf)
            return f"{k}={v}: {err.value.decode()}"
    rk = lib.rd_kafka_new(kind, conf, err, len(err))  # takes conf
    if not rk:
        return err.value.decode()
    lib.rd_kafka_destroy(rk)
    return None


def main():
    ca = next((p for p in CA_BUNDLES if os.path.exists(p)), None)
    if ca is None:
        print("no CA bundle on this machine (ca-certificates)", file=sys.stderr)
        return 1
    with open(CLIENTS, encoding="utf-8") as f:
        patches = [o for o in yaml.safe_load_all(f) if o and o["kind"] == "Deployment"]
    failures = []
    for d in patches:
        name = d["metadata"]["name"]
        env = {e["name"]: e for e in d["spec"]["template"]["spec"]["containers"][0]["env"]}
        text = env["CCHC_KAFKA_PROPERTIES"]["value"]
        # Kubernetes expands $(VAR) from the Secret; a SCRAM password of Strimzi's has no ';'.
        text = re.sub(r"\$\((\w+)\)", "ops-test-password", text)
        properties = dict(kv.split("=", 1) for kv in text.split(";") if kv)
        if "ssl.ca.location" in properties:
            properties["ssl.ca.location"] = ca
        for kind, what in [(PRODUCER, "producer"), (CONSUMER, "consumer")]:
            error = make_client(kind, properties)
            if error:
                failures.append(f"{name} {what}: {error}")
            else:
                print(f"ok   {name} {what}: {sorted(properties)}")
    # The check has teeth: librdkafka refuses a wrong protocol and a mechanism it does not know.
    for bad in [{"security.protocol": "SASL_TLS"}, {"sasl.mechanism": "SCRAM-SHA-1024"}]:
        if make_client(PRODUCER, {"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
                                  "ssl.ca.location": ca, **bad}) is None:
            failures.append(f"librdkafka accepted {bad}: this test proves nothing")
    if failures:
        print("\n".join("FAIL " + f for f in failures), file=sys.stderr)
        return 1
    print(f"librdkafka {lib.rd_kafka_version_str().decode()} accepts the prod client settings of "
          f"{len(patches)} services")
    return 0


if __name__ == "__main__":
    sys.exit(main())
