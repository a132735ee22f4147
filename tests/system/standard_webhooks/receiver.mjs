// A webhook receiver that checks every POST with the Standard Webhooks authors' own verifier (npm standardwebhooks,
// Webhook.verify: the three headers, the timestamp within 5 minutes, any entry of webhook-signature), never with
// cchc's signing code. For the notification service's system test (../notification_standard_webhooks_test.cc).
//
//   node receiver.mjs --port P --out posts.jsonl --secrets secrets.json --modules <dir holding node_modules>
//
// secrets.json, read again on every POST: {"/path": {"label": "whsec_…", …}, …}. Each POST is appended to --out as
// one JSON line: path, the headers (id, timestamp, signature), the body, and per label whether the secret verified
// it ("verified") or the verifier's error ("errors"). The answer is 200 when some secret verified it, 401 otherwise.
// Prints "ready <port>" once listening on 127.0.0.1.
import { appendFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const name of ["port", "out", "secrets", "modules"])
  if (!args[name]) {
    console.error(`receiver.mjs: --${name} is required`);
    process.exit(2);
  }
const { Webhook } = createRequire(join(args.modules, "package.json"))("standardwebhooks");
const kMaxBody = 1 << 20;

const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on("data", (c) => {
    size += c.length;
    if (size <= kMaxBody) chunks.push(c);
  });
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    let secrets = {};
    try {
      secrets = JSON.parse(readFileSync(args.secrets, "utf8"))[req.url] ?? {};
    } catch (e) {
      console.error(`receiver.mjs: cannot read ${args.secrets}: ${e.message}`);
    }
    const verified = {}, errors = {};
    for (const [label, secret] of Object.entries(secrets)) {
      try {
        new Webhook(secret).verify(body, req.headers);
        verified[label] = true;
      } catch (e) {
        verified[label] = false;
        errors[label] = e.message;
      }
    }
    const line = {
      path: req.url,
      id: req.headers["webhook-id"] ?? "",
      timestamp: req.headers["webhook-timestamp"] ?? "",
      signature: req.headers["webhook-signature"] ?? "",
      body: body.toString("utf8"),
      verified,
      errors,
      received_at: Date.now() / 1000,
    };
    appendFileSync(args.out, JSON.stringify(line) + "\n");
    res.writeHead(Object.values(verified).some((v) => v) ? 200 : 401, { "Content-Length": "0" });
    res.end();
  });
});
server.listen(Number(args.port), "127.0.0.1", () => console.log(`ready ${args.port}`));
