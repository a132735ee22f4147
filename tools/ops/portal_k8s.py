"""The portal's Kubernetes objects, for gen-k8s: ServiceAccount, Deployment (HTTP probes /livez and /readyz), a
ClusterIP Service the prod overlay's Ingress points at, PodDisruptionBudget, HPA, NetworkPolicy (HTTP from the
ingress controller's namespace, metrics from monitoring; egress DNS and the four services' gRPC ports only) and
a ServiceMonitor. The portal calls the services through their headless Services (every ready pod)."""
from services import PORTAL, SERVICES

NAME = "portal-service"
LABELS = {"app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "cchc"}
SELECTOR = {"app.kubernetes.io/name": NAME}


def config_map_generator():
    return {"name": NAME, "literals": [f"{k}={v}" for k, v in PORTAL["env"].items()]}


def deployment():
    http = {"httpGet": {"path": "/livez", "port": "http"}}
    ready = {"httpGet": {"path": "/readyz", "port": "http"}}
    container = {
        "name": NAME,
        "image": "cchc",
        "command": [f"/usr/local/bin/{NAME}"],
        "ports": [{"name": "http", "containerPort": PORTAL["http_port"], "protocol": "TCP"},
                  {"name": "metrics", "containerPort": PORTAL["metrics_port"], "protocol": "TCP"}],
        "envFrom": [{"configMapRef": {"name": NAME}}],
        "startupProbe": dict(http, periodSeconds=2, failureThreshold=30),
        "readinessProbe": dict(ready, periodSeconds=5, failureThreshold=2),
        "livenessProbe": dict(http, periodSeconds=10, failureThreshold=3, timeoutSeconds=3),
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                      "limits": {"cpu": "1", "memory": "256Mi"}},
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 10001,
            "runAsGroup": 10001,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [{"name": "portal-secrets", "mountPath": "/etc/cchc/portal", "readOnly": True},
                         {"name": "tmp", "mountPath": "/tmp"}],
    }
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": NAME, "labels": LABELS},
        "spec": {
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": SELECTOR},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": LABELS},
                "spec": {
                    "serviceAccountName": NAME,
                    "automountServiceAccountToken": False,
                    "terminationGracePeriodSeconds": 30,
                    "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
                                        "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [container],
                    "volumes": [
                        {"name": "portal-secrets", "secret": {"secretName": "cchc-portal", "defaultMode": 0o440,
                                                              "items": [{"key": "token", "path": "token"},
                                                                        {"key": "csrf-secret",
                                                                         "path": "csrf-secret"}]}},
                        {"name": "tmp", "emptyDir": {"sizeLimit": "16Mi"}},
                    ],
                    "topologySpreadConstraints": [{
                        "maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                        "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": SELECTOR}}],
                },
            },
        },
    }


def service():
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": NAME, "labels": LABELS},
            "spec": {"selector": SELECTOR, "ports": [
                {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "appProtocol": "http"},
                {"name": "metrics", "port": PORTAL["metrics_port"], "targetPort": "metrics", "protocol": "TCP"}]}}


def network_policy():
    tcp = lambda port: {"protocol": "TCP", "port": port}  # noqa: E731
    egress = [{"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
               "ports": [{"protocol": "UDP", "port": 53}, tcp(53)]}]
    for s in SERVICES:
        if s["name"] in PORTAL["calls"]:
            egress.append({"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": f"{s['name']}-service"}}}],
                           "ports": [tcp(s["grpc_port"])]})
    ingress = [
        {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}],
         "ports": [tcp(PORTAL["http_port"])]},
        {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
         "ports": [tcp(PORTAL["metrics_port"])]},
    ]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": NAME, "labels": LABELS},
            "spec": {"podSelector": {"matchLabels": SELECTOR}, "policyTypes": ["Ingress", "Egress"],
                     "ingress": ingress, "egress": egress}}


def objects():
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": NAME, "labels": LABELS},
         "automountServiceAccountToken": False},
        deployment(),
        service(),
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": NAME, "labels": LABELS},
         "spec": {"minAvailable": 1, "selector": {"matchLabels": SELECTOR}}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
         "metadata": {"name": NAME, "labels": LABELS},
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": NAME},
                  "minReplicas": 2, "maxReplicas": 6,
                  "metrics": [{"type": "Resource", "resource": {
                      "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}},
        network_policy(),
        {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
         "metadata": {"name": NAME, "labels": LABELS},
         "spec": {"selector": {"matchLabels": SELECTOR},
                  "endpoints": [{"port": "metrics", "path": "/metrics", "interval": "30s"}]}},
    ]


def ingress():
    """prod: the public host, TLS from cert-manager, to the portal's Service."""
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": NAME, "labels": LABELS,
                         "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt",
                                         "nginx.ingress.kubernetes.io/proxy-body-size": "64k"}},
            "spec": {"ingressClassName": "nginx",
                     "tls": [{"hosts": ["cchc.sgddt.example.vn"], "secretName": "portal-tls"}],
                     "rules": [{"host": "cchc.sgddt.example.vn", "http": {"paths": [{
                         "path": "/", "pathType": "Prefix",
                         "backend": {"service": {"name": NAME, "port": {"name": "http"}}}}]}}]}}
