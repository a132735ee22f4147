// Validates Kubernetes objects offline: reads a JSON array of objects on stdin, checks each against the
// Kubernetes 1.27 OpenAPI schemas (npm kubernetes-models), ServiceMonitor/PrometheusRule against the
// prometheus-operator CRD schemas, and Strimzi KafkaTopic against its required fields (below). Prints one line
// per object; exits 1 naming every invalid or unknown object.
import { readFileSync } from "node:fs";

const customChecks = {
  "kafka.strimzi.io/v1beta2/KafkaTopic": (o) => {
    const errors = [];
    const spec = o.spec ?? {};
    if (!o.metadata?.labels?.["strimzi.io/cluster"]) errors.push("metadata.labels['strimzi.io/cluster'] is required");
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata?.name ?? "")) errors.push("metadata.name is not a DNS name");
    if (typeof spec.topicName !== "string" || !/^[a-zA-Z0-9._-]{1,249}$/.test(spec.topicName))
      errors.push("spec.topicName must be a Kafka topic name");
    for (const k of ["partitions", "replicas"])
      if (!Number.isInteger(spec[k]) || spec[k] < 1) errors.push(`spec.${k} must be an integer >= 1`);
    if (spec.config !== undefined && (typeof spec.config !== "object" || Array.isArray(spec.config)))
      errors.push("spec.config must be a map");
    const known = new Set(["topicName", "partitions", "replicas", "config"]);
    for (const k of Object.keys(spec)) if (!known.has(k)) errors.push(`spec.${k} is not a KafkaTopic field`);
    const isr = spec.config?.["min.insync.replicas"];
    if (isr !== undefined && isr > spec.replicas) errors.push("min.insync.replicas exceeds replicas");
    return errors;
  },
};

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  if (group === "monitoring.coreos.com")
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

const objects = JSON.parse(readFileSync(0, "utf8"));
let bad = 0;
for (const o of objects) {
  const id = `${o.kind}/${o.metadata?.name} (${o.apiVersion})`;
  const custom = customChecks[`${o.apiVersion}/${o.kind}`];
  let errors = [];
  if (custom) {
    errors = custom(o);
  } else {
    let Model;
    try {
      Model = (await import(modulePath(o.apiVersion, o.kind)))[o.kind];
    } catch {
      errors = ["unknown apiVersion/kind: no schema"];
    }
    if (Model) {
      try {
        new Model(o).validate();
      } catch (e) {
        errors = [e.message];
      }
    }
  }
  if (errors.length) {
    bad++;
    console.log(`INVALID ${id}: ${errors.join("; ")}`);
  } else {
    console.log(`valid   ${id}`);
  }
}
console.log(`${objects.length - bad} valid, ${bad} invalid`);
process.exit(bad ? 1 : 0);
