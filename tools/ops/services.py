"""The four cchc services as operations sees them: ports, schema, topics, whom they call, what they consume,
their extra settings. One table read by gen-k8s (Kubernetes manifests), check-k8s, check-compose and the local
Prometheus config."""

# news and scoring reach document through its headless Service: DNS answers with every ready pod, and the gRPC
# client balances its calls over them (a ClusterIP would pin one long-lived HTTP/2 connection to one pod).
DOCUMENT_ADDRESS = "dns:///document-service-headless:50061"

SERVICES = [
    {
        "name": "document",
        "grpc_port": 50061,
        "metrics_port": 9461,
        "calls": [],
        "internet": False,
        # The outgoing register (sổ văn bản đi): a reserved number unused this many days is cancelled; the audit
        # trail's retention (nhật ký; its only deletion).
        "env": {"CCHC_RESERVATION_EXPIRY_DAYS": "7", "CCHC_AUDIT_RETENTION_DAYS": "3650"},
        "secret_env": {},
    },
    {
        "name": "news",
        "grpc_port": 50062,
        "metrics_port": 9462,
        "calls": ["document"],
        "internet": False,
        "env": {"CCHC_DOCUMENT_SERVICE_ADDRESS": DOCUMENT_ADDRESS, "CCHC_DOCUMENT_SERVICE_TIMEOUT_MS": "2000"},
        "secret_env": {"CCHC_DOCUMENT_SERVICE_TOKEN": "document-service-token"},
    },
    {
        "name": "scoring",
        "grpc_port": 50063,
        "metrics_port": 9463,
        "calls": ["document"],
        "internet": False,
        "env": {"CCHC_DOCUMENT_SERVICE_ADDRESS": DOCUMENT_ADDRESS, "CCHC_DOCUMENT_SERVICE_TIMEOUT_MS": "2000"},
        "secret_env": {"CCHC_DOCUMENT_SERVICE_TOKEN": "document-service-token"},
    },
    {
        "name": "notification",
        "grpc_port": 50064,
        "metrics_port": 9464,
        "calls": [],
        "internet": True,  # webhooks (HTTPS) and SMTP
        # Kafka: the topics it reads, in its consumer group (--group-id); it writes its dead-letter topic.
        "consumes": ["cchc.document.v1", "cchc.news.v1", "cchc.scoring.v1"],
        "group": "cchc-notification",
        # Apache Kafka answers a fetch as soon as an event arrives: the fetch wait only paces an idle consumer.
        "env": {"CCHC_SMTP_FROM": "cchc@sgddt.example.vn", "CCHC_CONSUMER_FETCH_WAIT_MS": "500"},
        "secret_env": {"CCHC_SMTP_URL": "smtp-url"},
        # Secret keys mounted as files beside the tokens: key → the variable that names the file.
        "secret_files": {"smtp-credentials": "CCHC_SMTP_CREDENTIALS_FILE"},  # user:password (SMTP AUTH)
    },
]

# Kafka topics: name → producer (the dead-letter topic is the notification consumer's).
TOPICS = {
    "cchc.document.v1": "document",
    "cchc.news.v1": "news",
    "cchc.scoring.v1": "scoring",
    "cchc.notification.dlq.v1": "notification",
}

# The portal (cổng thông tin): HTTP for browsers, no database, no Kafka; it calls the four services with its own
# token (roles reader and portal). Its Secret holds the token and the CSRF secret every replica shares.
PORTAL = {
    "name": "portal",
    "http_port": 8080,
    "metrics_port": 9465,
    "calls": ["document", "news", "scoring", "notification"],
    "env": {
        "CCHC_HTTP_ADDRESS": "0.0.0.0:8080",
        "CCHC_METRICS_ADDRESS": "0.0.0.0:9465",
        "CCHC_DOCUMENT_SERVICE_ADDRESS": DOCUMENT_ADDRESS,
        "CCHC_NEWS_SERVICE_ADDRESS": "dns:///news-service-headless:50062",
        "CCHC_SCORING_SERVICE_ADDRESS": "dns:///scoring-service-headless:50063",
        "CCHC_NOTIFICATION_SERVICE_ADDRESS": "dns:///notification-service-headless:50064",
        "CCHC_PORTAL_TOKEN_FILE": "/etc/cchc/portal/token",
        "CCHC_CSRF_SECRET_FILE": "/etc/cchc/portal/csrf-secret",
        "CCHC_TRUST_FORWARDED_FOR": "true",  # behind the ingress: the client is X-Forwarded-For's last entry
        "CCHC_LOG_LEVEL": "info",
        "CCHC_UNREADY_SECONDS": "5",
        "CCHC_DRAIN_SECONDS": "15",
    },
}
