// Generates DAP-09 upload fixtures with the unmodified @divviup/dap client.
//
// A local HTTP server on 127.0.0.1 plays both aggregators: it serves an
// HpkeConfigList for each (GET {aggregator}/hpke_config?task_id=...) and
// captures every report upload (PUT {leader}/tasks/{task-id}/reports),
// answering 201 Created. The client is pointed at it through its normal
// public API; each captured request is written to <out>/<case>.json together
// with the task parameters and the (test-only) HPKE private keys.
//
// Usage: node gen-fixtures.mjs [out-dir] [--seed S | --random] [--time T | --now]
//                              [--time-precision P] [--reports N]

import http from "node:http";
import crypto from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Task } from "@divviup/dap";
import {
  AEAD_AES_128_GCM,
  KDF_HKDF_SHA256,
  KEM_X25519_HKDF_SHA256,
  MEDIA_TYPE,
  ROLE,
  decodePlaintextInputShare,
  decodeReport,
  dapPackageVersion,
  encodeHpkeConfigList,
  hpkeOpen,
  inputShareAad,
  inputShareInfo,
  loadClientHpke,
  x25519FromPrivate,
  x25519Random,
} from "./dap09.mjs";
import { verifyDir } from "./verify.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const hex = (b) => Buffer.from(b).toString("hex");

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = {
    out: join(here, "../fixtures/dap09-ts"),
    seed: "pando-dap09-ts-v1",
    random: false,
    time: 1719878400, // 2024-07-02T00:00:00Z; report i is sent at time + 1234 + 977 * i
    now: false,
    timePrecision: 3600,
    reports: 5,
  };
  const args = [...argv];
  const value = (flag) => {
    if (args.length === 0) throw new Error(`${flag} needs a value`);
    return args.shift();
  };
  while (args.length) {
    const a = args.shift();
    if (a === "--seed") opts.seed = value(a);
    else if (a === "--random") opts.random = true;
    else if (a === "--time") opts.time = Number(value(a));
    else if (a === "--now") opts.now = true;
    else if (a === "--time-precision") opts.timePrecision = Number(value(a));
    else if (a === "--reports") opts.reports = Number(value(a));
    else if (a === "-h" || a === "--help") {
      console.log(
        "usage: node gen-fixtures.mjs [out-dir] [--seed S | --random] [--time T | --now] [--time-precision P] [--reports N]",
      );
      process.exit(0);
    } else if (a.startsWith("-")) throw new Error(`unknown option ${a}`);
    else opts.out = resolve(a);
  }
  for (const k of ["time", "timePrecision", "reports"]) {
    if (!Number.isInteger(opts[k]) || opts[k] <= 0) throw new Error(`--${k} must be a positive integer`);
  }
  return opts;
}

// ---------------------------------------------------------------- cases

// Measurements cycle if more reports than listed are requested.
const CASES = [
  {
    name: "prio3count",
    vdaf: "Prio3Count",
    algorithmId: 0x00000000,
    spec: { type: "count" },
    parameters: {},
    measurements: [true, false, true, true, false],
    aggregate: (ms) => ms.filter(Boolean).length,
  },
  {
    name: "prio3sum",
    vdaf: "Prio3Sum",
    algorithmId: 0x00000001,
    spec: { type: "sum", bits: 8 },
    parameters: { bits: 8 },
    measurements: [0, 1, 42, 200, 255],
    aggregate: (ms) => ms.reduce((a, b) => a + b, 0),
  },
  {
    name: "prio3sumvec",
    vdaf: "Prio3SumVec",
    algorithmId: 0x00000002,
    spec: { type: "sumVec", length: 4, bits: 2, chunkLength: 2 },
    parameters: { length: 4, bits: 2, chunk_length: 2 },
    measurements: [
      [0, 1, 2, 3],
      [3, 3, 3, 3],
      [0, 0, 0, 0],
      [1, 0, 2, 1],
      [2, 2, 1, 0],
    ],
    aggregate: (ms) => ms.reduce((acc, m) => acc.map((x, i) => x + m[i]), [0, 0, 0, 0]),
  },
  {
    name: "prio3histogram",
    vdaf: "Prio3Histogram",
    algorithmId: 0x00000003,
    spec: { type: "histogram", length: 4, chunkLength: 2 },
    parameters: { length: 4, chunk_length: 2 },
    measurements: [0, 1, 3, 3, 2],
    aggregate: (ms) => ms.reduce((acc, m) => acc.map((x, i) => x + (i === m ? 1 : 0)), [0, 0, 0, 0]),
  },
];

// ---------------------------------------------------------------- keys and ids

function derive(seed, label) {
  return crypto.createHash("sha256").update(`${seed}|${label}`).digest();
}

/** X25519 private keys are stored clamped (RFC 7748 §5) so every library reads the same scalar. */
function clamp(k) {
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
  return k;
}

function makeTaskMaterial(opts, caseName) {
  const taskId = opts.random ? crypto.randomBytes(32) : derive(opts.seed, `${caseName}|task-id`);
  const aggregators = {};
  for (const [role, id] of [
    ["leader", 1],
    ["helper", 2],
  ]) {
    const kp = opts.random
      ? x25519Random()
      : x25519FromPrivate(clamp(derive(opts.seed, `${caseName}|${role}|hpke-private-key`)));
    const config = {
      id,
      kemId: KEM_X25519_HKDF_SHA256,
      kdfId: KDF_HKDF_SHA256,
      aeadId: AEAD_AES_128_GCM,
      publicKey: kp.publicKey,
      privateKey: kp.privateKey,
    };
    aggregators[role] = { configs: [config], configList: encodeHpkeConfigList([config]) };
  }
  return { taskId, aggregators };
}

// ---------------------------------------------------------------- fake aggregators

/** One HTTP server playing leader (/leader/) and helper (/helper/) for any registered task. */
async function startAggregators() {
  const tasks = new Map(); // task id (base64url) -> { aggregators, uploads, configRequests }

  const problem = (res, status, type, detail, taskid) => {
    res.writeHead(status, { "Content-Type": "application/problem+json" });
    res.end(JSON.stringify({ type: `urn:ietf:params:ppm:dap:error:${type}`, title: type, status, detail, taskid }));
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url, "http://127.0.0.1");
      let m;
      if ((m = /^\/(leader|helper)\/hpke_config$/.exec(url.pathname))) {
        const role = m[1];
        const taskIdParam = url.searchParams.get("task_id");
        const task = tasks.get(taskIdParam);
        if (req.method !== "GET") return problem(res, 405, "invalidMessage", "method not allowed");
        if (!taskIdParam) return problem(res, 400, "missingTaskID", "task_id query parameter required");
        if (!task) return problem(res, 400, "unrecognizedTask", "unknown task", taskIdParam);
        task.configRequests.push({
          role,
          method: req.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          accept: req.headers.accept ?? null,
        });
        res.writeHead(200, {
          "Content-Type": MEDIA_TYPE.hpkeConfigList,
          "Cache-Control": "max-age=86400",
        });
        return res.end(task.aggregators[role].configList);
      }
      if ((m = /^\/leader\/tasks\/([A-Za-z0-9_-]+)\/reports$/.exec(url.pathname))) {
        const task = tasks.get(m[1]);
        if (req.method !== "PUT") return problem(res, 405, "invalidMessage", "method not allowed");
        if (!task) return problem(res, 400, "unrecognizedTask", "unknown task", m[1]);
        const { host: _host, ...headers } = req.headers; // host carries the random port
        task.uploads.push({
          method: req.method,
          path: url.pathname + url.search,
          content_type: req.headers["content-type"] ?? null,
          headers,
          body,
        });
        res.writeHead(201);
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
  });

  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", ok);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    register(taskIdB64, aggregators) {
      const t = { aggregators, uploads: [], configRequests: [] };
      tasks.set(taskIdB64, t);
      return t;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}

// ---------------------------------------------------------------- one case

async function runCase(c, opts, srv, hpke) {
  const { taskId, aggregators } = makeTaskMaterial(opts, c.name);
  const taskIdB64 = taskId.toString("base64url");
  const state = srv.register(taskIdB64, aggregators);
  const leaderUrl = `${srv.base}/leader/`;
  const helperUrl = `${srv.base}/helper/`;

  const task = new Task({
    ...c.spec,
    id: taskIdB64,
    leader: leaderUrl,
    helper: helperUrl,
    timePrecisionSeconds: opts.timePrecision,
  });

  const reports = [];
  for (let i = 0; i < opts.reports; i++) {
    const measurement = c.measurements[i % c.measurements.length];
    const clientTimestamp = opts.now ? null : opts.time + 1234 + 977 * i;
    const before = state.uploads.length;
    if (clientTimestamp === null) await task.sendMeasurement(measurement);
    else await task.sendMeasurement(measurement, { timestamp: new Date(clientTimestamp * 1000) });
    if (state.uploads.length !== before + 1) throw new Error(`${c.name}: expected exactly one upload for report ${i}`);
    const up = state.uploads[before];
    reports.push({
      measurement,
      client_timestamp: clientTimestamp,
      request: {
        method: up.method,
        path: up.path,
        content_type: up.content_type,
        headers: up.headers,
        body_hex: hex(up.body),
      },
      response_status: 201,
      decoded: await decodeForFixture(up.body, taskId, aggregators, hpke),
    });
  }

  const measurements = reports.map((r) => r.measurement);
  return {
    format: "pando-dap09-ts-fixture/1",
    case: c.name,
    generator: {
      client_package: "@divviup/dap",
      client_version: dapPackageVersion(),
      hpke_package: "hpke-js",
      hpke_version: opts.hpkeVersion,
      node_version: process.version,
      dap_version: "dap-09",
      vdaf_version: "vdaf-08",
      key_source: opts.random ? "random" : `sha256 of seed ${JSON.stringify(opts.seed)}`,
    },
    task_id: { base64url: taskIdB64, hex: hex(taskId) },
    vdaf: {
      name: c.vdaf,
      algorithm_id: c.algorithmId,
      parameters: c.parameters,
      client_spec: c.spec,
      shares: 2,
    },
    time_precision_seconds: opts.timePrecision,
    leader: aggregatorJson(leaderUrl, aggregators.leader),
    helper: aggregatorJson(helperUrl, aggregators.helper),
    // Both GETs run in parallel; sort so the order does not depend on timing.
    hpke_config_requests: [...state.configRequests].sort((a, b) => a.role.localeCompare(b.role)),
    reports,
    expected_aggregate_result: c.aggregate(measurements),
  };
}

function aggregatorJson(url, agg) {
  return {
    url,
    hpke_configs: agg.configs.map((c) => ({
      id: c.id,
      kem_id: c.kemId,
      kdf_id: c.kdfId,
      aead_id: c.aeadId,
      public_key_hex: hex(c.publicKey),
      private_key_hex: hex(c.privateKey),
    })),
    hpke_config_list_hex: hex(agg.configList),
  };
}

/** Parsed and decrypted view of a captured Report, for readers of the fixture. */
async function decodeForFixture(body, taskId, aggregators, hpke) {
  const r = decodeReport(body);
  const aad = inputShareAad(taskId, r.metadata, r.publicShare);
  const out = {
    report_id_hex: hex(r.reportId),
    time: Number(r.time),
    public_share_hex: hex(r.publicShare),
    leader_encrypted_input_share: {
      config_id: r.leader.configId,
      enc_hex: hex(r.leader.enc),
      payload_hex: hex(r.leader.payload),
    },
    helper_encrypted_input_share: {
      config_id: r.helper.configId,
      enc_hex: hex(r.helper.enc),
      payload_hex: hex(r.helper.payload),
    },
    input_share_aad_hex: hex(aad),
    leader_input_share_info_hex: hex(inputShareInfo(ROLE.leader)),
    helper_input_share_info_hex: hex(inputShareInfo(ROLE.helper)),
  };
  const shares = {};
  for (const role of ["leader", "helper"]) {
    const cfg = aggregators[role].configs.find((c) => c.id === r[role].configId);
    if (!cfg) throw new Error(`${role} ciphertext uses unknown config id ${r[role].configId}`);
    const pt = await hpkeOpen(hpke, cfg, r[role], inputShareInfo(ROLE[role]), aad);
    shares[role] = { pt, payload: decodePlaintextInputShare(pt).payload };
  }
  out.leader_plaintext_input_share_hex = hex(shares.leader.pt);
  out.helper_plaintext_input_share_hex = hex(shares.helper.pt);
  out.leader_input_share_hex = hex(shares.leader.payload);
  out.helper_input_share_hex = hex(shares.helper.payload);
  return out;
}

// ---------------------------------------------------------------- README

function readme(fixtures, opts, summary) {
  const f0 = fixtures[0];
  const caseRows = fixtures
    .map((fx) => {
      const ms = fx.reports.map((r) => JSON.stringify(r.measurement)).join(", ");
      return `| \`${fx.case}.json\` | ${fx.vdaf.name} (id ${fx.vdaf.algorithm_id}) | \`${JSON.stringify(fx.vdaf.client_spec)}\` | ${ms} | \`${JSON.stringify(fx.expected_aggregate_result)}\` |`;
    })
    .join("\n");
  const sizeRows = summary
    .map(
      (s) =>
        `| ${s.case} | ${[...new Set(s.bodyBytes)].join(" / ")} | ${s.publicShare} | ${s.leaderShare} | ${s.helperShare} |`,
    )
    .join("\n");
  return `# DAP-09 upload fixtures from \`@divviup/dap\` ${f0.generator.client_version}

Real report uploads produced by the published TypeScript DAP client
\`@divviup/dap\` ${f0.generator.client_version} (DAP draft 09, VDAF draft 08), used unchanged,
with HPKE from \`hpke-js\` ${f0.generator.hpke_version} (the version its lock file resolves).
They let Pando's tests decode, decrypt and prepare reports that came from an
independent implementation.

**All keys in these files are throwaway test keys** generated by the script
(X25519 private keys included on purpose). Never use them anywhere else.

Regenerate (needs Node.js 20 and the npm registry):

\`\`\`
interop/dap-ts/run.sh            # writes interop/fixtures/dap09-ts/
node interop/dap-ts/verify.mjs   # re-checks the committed files (after run.sh or npm ci)
\`\`\`

\`run.sh\` runs \`npm ci\` when needed (\`install.sh\`), then \`gen-fixtures.mjs\`, which serves both
aggregators from one local HTTP server on 127.0.0.1 (random port), drives the
client through its public API (\`new Task({...})\`, \`task.sendMeasurement(m, { timestamp })\`),
captures each upload, writes one JSON file per case plus this README, and then
runs the self-check in \`verify.mjs\` over the written files.
Options: \`[out-dir] [--seed S | --random] [--time T | --now] [--time-precision P] [--reports N]\`.

## Determinism

Fixed across runs (with the default seed): task ids, HPKE key pairs (SHA-256 of
\`seed|case|role|hpke-private-key\`, clamped), config ids, measurements, the
timestamps passed to the client (\`${opts.time} + 1234 + 977·i\` by default) and
hence the report times, and the time precision (${f0.time_precision_seconds} s).
**Not** reproducible byte-for-byte: report ids, VDAF sharding randomness and
HPKE ephemeral keys come from the client's CSPRNG and cannot be injected
through its API, so every run produces different report bodies. Likewise the
server port (only in \`url\` fields and not part of any encrypted data).

## Cases

| file | VDAF | client spec | measurements (in upload order) | expected aggregate |
| --- | --- | --- | --- | --- |
${caseRows}

Prio3 with 2 shares, one proof, XOF TurboSHAKE128; Count uses Field64, the
others Field128. Any VDAF verify key works for preparation (the client does
not use one).

## File format

Each \`<case>.json\`:

- \`format\`: \`pando-dap09-ts-fixture/1\`; \`case\`: the file's name without \`.json\`.
- \`generator\`: client/HPKE package versions, Node version, draft versions, key source.
  Files written by other clients' tests name their maker in \`producer\` instead
  (\`name\`, \`dap_version\`, \`vdaf_version\`, optional \`version\` and extras).
- \`task_id\`: \`base64url\` (unpadded, as in URLs) and \`hex\` (32 bytes).
- \`vdaf\`: \`name\`, \`algorithm_id\` (VDAF-08 Prio3 id), \`parameters\` (snake_case),
  \`client_spec\` (the exact object given to the client), \`shares\`.
- \`time_precision_seconds\`.
- \`leader\` / \`helper\`: \`url\` the client was given, \`hpke_configs\` (\`id\`,
  \`kem_id\`, \`kdf_id\`, \`aead_id\`, \`public_key_hex\`, \`private_key_hex\`: raw 32-byte
  X25519 keys), and \`hpke_config_list_hex\` (the exact HpkeConfigList served).
  Leader config id 1, helper config id 2; suite 0x0020/0x0001/0x0001
  (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM).
- \`hpke_config_requests\`: the GETs the client made (role, path, query, Accept).
- \`reports[]\`: \`measurement\`, \`client_timestamp\` (seconds passed to the client,
  \`null\` with \`--now\`), \`request\` (\`method\`, \`path\`, \`content_type\`, all
  \`headers\` except \`host\`, and \`body_hex\` = the encoded DAP-09 \`Report\`),
  \`response_status\`, and \`decoded\` — the script's own parse of the body:
  report id, time, public share, both \`HpkeCiphertext\`s, the \`InputShareAad\`,
  the two HPKE \`info\` strings, both decrypted \`PlaintextInputShare\`s and their
  VDAF input-share payloads. Tests should derive these themselves from
  \`body_hex\` and the keys, and may compare against \`decoded\`.
- \`expected_aggregate_result\`: the aggregate of all measurements.

Report body sizes (bytes) and VDAF message sizes seen:

| case | Report body | public_share | leader input share | helper input share |
| --- | --- | --- | --- | --- |
${sizeRows}

## What the client does (read from its shipped sources)

- **API** (\`dist/task.js\`): \`new Task({ id, leader, helper, timePrecisionSeconds, type, ...vdafParams })\`
  with \`id\` a base64url string (or 32-byte Buffer / \`TaskId\`), \`type\` one of
  \`count\`, \`sum\` (\`bits\`), \`sumVec\` (\`length\`, \`bits\`, \`chunkLength\`),
  \`histogram\` (\`length\`, \`chunkLength\`); \`task.sendMeasurement(m, { timestamp: Date })\`
  = \`generateReport\` + \`sendReport\`.
- **HPKE config fetch** (\`fetchKeyConfiguration\`): once per \`Task\`, both aggregators
  in parallel, \`GET {aggregator}hpke_config?task_id={base64url}\` with
  \`Accept: application/dap-hpke-config-list\`. Aggregator URLs get a trailing \`/\`
  appended if missing; resources are resolved relative to them. Any 2xx is
  accepted, but the response media type must be exactly
  \`application/dap-hpke-config-list\` (\`Blob.type === ...\`: letter case is
  normalised, but any parameter such as \`; charset=utf-8\` makes the client abort —
  checked against the client). The body is parsed as
  \`HpkeConfig configs<0..2^16-1>\` (\`dist/hpkeConfig.js\`), and the **first** config
  whose KEM/KDF/AEAD ids \`hpke-js\` accepts is used; an empty list or no usable
  config aborts. The list is cached in the \`Task\` (HTTP caching headers are not
  consulted) until an \`outdatedConfig\` error.
- **Report** (\`generateReport\`, \`dist/report.js\`): report id = 16 bytes from
  WebCrypto \`getRandomValues\` (\`dist/reportId.js\`), also used as the VDAF nonce;
  VDAF \`rand\` = \`randSize\` random bytes; \`time = floor(t / time_precision) * time_precision\`
  with \`t\` = \`options.timestamp\` or \`Date.now()\`, in seconds. The first VDAF input
  share goes to the leader, the second to the helper.
- **Extensions**: always empty, so every \`PlaintextInputShare\` starts with \`00 00\`
  (the client's \`Extension.encode()\` only throws and is never reached).
- **HPKE** (\`dist/aggregator.js\` \`seal\`, \`dist/hpkeConfig.js\` \`HpkeConfig.seal\`):
  \`hpke-js\` \`CipherSuite.seal\`, base mode, with
  \`info = "dap-09 input share" || 0x01 || server_role\` (leader 0x02, helper 0x03;
  class \`InputShareInfo\` in \`dist/report.js\`, label built from \`DAP_VERSION\` in
  \`dist/constants.js\`) and
  \`aad = task_id (32) || report_id (16) || time (u64) || u32 length || public_share\`
  (class \`InputShareAad\`). \`HpkeCiphertext.config_id\` = the selected config's id.
- **Upload** (\`sendReport\`): \`PUT {leader}tasks/{base64url task id}/reports\`,
  \`Content-Type: application/dap-report\`, body = encoded \`Report\`. Any 2xx counts
  as success. On a non-2xx answer with \`application/problem+json\` whose \`type\`
  ends in \`outdatedConfig\`, the client drops its cached configs and retries once,
  with a fresh report but without the caller's \`timestamp\` option. The client
  builds its error from the problem document's \`taskid\` member, so a problem
  document without a valid \`taskid\` makes its error handling throw a different
  error.

## Differences from the draft text (the Java side must accept the client's form)

The encodings of \`Report\`, \`ReportMetadata\`, \`HpkeCiphertext\`,
\`PlaintextInputShare\`, \`InputShareAad\` and the HPKE \`info\` string match
draft-ietf-ppm-dap-09 §4.4 byte for byte. Behavioural differences:

- \`ReportMetadata.time\` is written as four zero bytes followed by a big-endian
  u32 (\`buffer.writeUInt32BE(time, 20)\`): the same bytes as the draft's u64 for
  times below 2^32 (year 2106); the client cannot encode later times.
- Upload success is any 2xx; the draft specifies 201 Created (the server here
  answers 201). The HPKE config GET likewise accepts any 2xx (draft: 200 OK).
- The HpkeConfigList response must carry the bare media type (no parameters);
  the draft does not forbid parameters. Pando's \`hpke_config\` endpoint must send
  \`Content-Type: application/dap-hpke-config-list\` exactly.
- Error documents should include \`taskid\` (the draft says SHOULD when the task
  is known); without it the client's \`outdatedConfig\` retry cannot work.
- HTTP caching of the HPKE config (draft: Clients SHOULD follow it) is not
  implemented; the config is cached for the life of the \`Task\` object.
- Config selection checks ids against \`hpke-js\` ${f0.generator.hpke_version}'s tables, which go beyond
  what it can build: KDF ids 0x0004–0x0013 (SHA-3/SHAKE/TurboSHAKE) pass and are
  then built as HKDF-SHA512, and AEAD 0xFFFF (export-only) passes but cannot seal.
  KEM ids it cannot build are skipped correctly. Aggregators should advertise
  RFC 9180 suites only (the fixtures use 0x0020/0x0001/0x0001).

## Verified by \`verify.mjs\` (run at the end of every generation)

For every report: request method/path/content type and the 201 answer; the
body decodes per DAP-09 §4.4.2 with every length prefix consumed exactly (no
trailing bytes); time bytes 16..19 are zero, time is a multiple of the
precision and equals the rounded \`client_timestamp\`; config ids 1/2; the HPKE
\`info\` and \`InputShareAad\` built independently equal the bytes from the client's
own \`InputShareInfo\` / \`InputShareAad\` classes; both shares open with
\`hpke-js\` (the client's copy) and the stored private keys; \`enc\` is 32 bytes and
each payload is plaintext + 16; each \`PlaintextInputShare\` has an empty extension
list and a VDAF payload of the expected Prio3 size; the leader share does not
open under the helper's \`info\` (role byte is bound); the stored \`decoded\` view
matches; and Prio3 preparation (random verify key, nonce = report id) plus
aggregation with the client's own Prio3 code yields \`expected_aggregate_result\`.
The client's own \`Report\`, \`HpkeCiphertext\` and \`PlaintextInputShare\` encoders
must reproduce each body and both plaintexts byte for byte from their fields;
the \`content-type\` header must match and \`content-length\` (when sent) equal the
body size. Per file: the VDAF name, id and parameters must match \`client_spec\`,
\`expected_aggregate_result\` must equal the aggregate computed here from the
recorded measurements (each checked to be valid for the spec), each served
\`HpkeConfigList\` must parse with the client's own \`HpkeConfigList\` class,
re-encode to the same bytes and make the client select the recorded config,
and every config request must be \`GET {aggregator}hpke_config?task_id=...\`
with the \`Accept\` media type.
Each input share is also decrypted a second time by a small RFC 9180 base-mode
implementation on \`node:crypto\` (X25519, HKDF-SHA256, AES-128-GCM) in
\`dap09.mjs\`, and both plaintexts must be equal. Each served public key is
checked against its private key. \`node interop/dap-ts/verify.mjs [dir]\` repeats
all of this on committed files without regenerating them.

The same verifier also checks Pando's Java upload client:
\`TypeScriptAcceptsJavaReportsTest\` (module \`client\`) uploads these four cases with
\`io.pando.client.DapClient\` to a loopback fake leader/helper, writes the captured
requests in this format (with \`producer\` instead of \`generator\`, random keys and
task ids) to a temporary directory, and requires \`verify.mjs\` to pass every report
there and to fail on a copy with one body byte changed. The test is skipped when
\`node\` is not on the PATH and runs \`interop/dap-ts/install.sh\` first.
`;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { version: hpkeVersion, module: hpke } = await loadClientHpke();
  opts.hpkeVersion = hpkeVersion;

  mkdirSync(opts.out, { recursive: true });
  for (const f of readdirSync(opts.out)) {
    if (f.endsWith(".json")) rmSync(join(opts.out, f));
  }

  const srv = await startAggregators();
  const fixtures = [];
  try {
    for (const c of CASES) fixtures.push(await runCase(c, opts, srv, hpke));
  } finally {
    await srv.close();
  }

  for (const fx of fixtures) {
    writeFileSync(join(opts.out, `${fx.case}.json`), JSON.stringify(fx, null, 2) + "\n");
  }
  console.log(`wrote ${fixtures.length} fixture files to ${opts.out}`);

  const summary = await verifyDir(opts.out);
  writeFileSync(join(opts.out, "README.md"), readme(fixtures, opts, summary));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
