// Self-check of DAP-09 upload fixtures: those written by gen-fixtures.mjs
// with the @divviup/dap client, and those written in the same format by other
// clients' tests (named in the fixture's `producer` field).
//
// For every captured upload: decodes the Report with an independent parser,
// checks that the client's own encoders reproduce the body from its fields,
// compares the HPKE info / AAD built here with the bytes the client's own
// classes produce, opens both input shares with the client's HPKE library,
// decodes the PlaintextInputShare, checks VDAF share sizes, and finally runs
// Prio3 preparation + aggregation with the client's own Prio3 implementation
// to confirm the decrypted shares aggregate to the recorded measurements.
//
// Usage: node verify.mjs [fixture-dir]   (default ../fixtures/dap09-ts)

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import crypto from "node:crypto";
import { Task } from "@divviup/dap";
import {
  MEDIA_TYPE,
  PRIO3_TYPES,
  ROLE,
  decodePlaintextInputShare,
  decodeReport,
  hpkeOpen,
  importClientModule,
  inputShareAad,
  inputShareInfo,
  loadClientHpke,
  rfc9180OpenX25519Aes128,
} from "./dap09.mjs";

const here = dirname(fileURLToPath(import.meta.url));

class CheckError extends Error {}
function check(cond, msg) {
  if (!cond) throw new CheckError(msg);
}
const hex = (b) => Buffer.from(b).toString("hex");
const unhex = (s) => Buffer.from(s, "hex");

export const FIXTURE_FORMAT = "pando-dap09-ts-fixture/1";

/** JSON text with object keys sorted, for order-insensitive comparison. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * Who made a fixture: its `producer` ({ name, version?, dap_version,
 * vdaf_version }), or for files from gen-fixtures.mjs its `generator` block.
 */
function producerOf(fx) {
  let p;
  if (fx.producer !== undefined) {
    const { name, version, dap_version, vdaf_version } = fx.producer ?? {};
    check(typeof name === "string" && name.length > 0, "producer.name must be a non-empty string");
    p = { label: version ? `${name} ${version}` : name, dap: dap_version, vdaf: vdaf_version };
  } else {
    const g = fx.generator;
    check(g && typeof g.client_package === "string", "fixture names neither a producer nor a generator");
    p = { label: `${g.client_package} ${g.client_version}`, dap: g.dap_version, vdaf: g.vdaf_version };
  }
  check(p.dap === "dap-09", `${p.label}: dap_version ${p.dap}, want dap-09`);
  check(p.vdaf === "vdaf-08", `${p.label}: vdaf_version ${p.vdaf}, want vdaf-08`);
  return p.label;
}

/** Path part of an aggregator base URL; it must end with "/" so resources resolve below it. */
function basePath(url) {
  const path = new URL(url).pathname;
  check(path.endsWith("/"), `aggregator url ${url} must end with /`);
  return path;
}

/** Converts bigints (as returned by Prio3 unshard) to numbers for comparison. */
function plain(v) {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Builds the client's Prio3 instance for a fixture (via the Task's test accessor). */
function clientVdaf(fx) {
  const task = new Task({
    ...fx.vdaf.client_spec,
    id: fx.task_id.base64url,
    leader: "http://127.0.0.1/leader/",
    helper: "http://127.0.0.1/helper/",
    timePrecisionSeconds: fx.time_precision_seconds,
  });
  return task.vdaf;
}

/** Expected encoded sizes of the Prio3 messages (VDAF-08 §7.2.6). */
function prio3Sizes(vdaf) {
  const { flp, xof, proofs } = vdaf;
  const seed = xof.seedSize;
  const jointRand = flp.jointRandLen > 0;
  const elem = flp.field.encodedSize;
  return {
    jointRand,
    seed,
    publicShare: jointRand ? 2 * seed : 0,
    leaderShare: (flp.measurementLen + flp.proofLen * proofs) * elem + (jointRand ? seed : 0),
    helperShare: 2 * seed + (jointRand ? seed : 0),
  };
}

/** Decodes the leader's Prio3 input share: measurement share ‖ proofs share ‖ [blind]. */
function decodeLeaderShare(vdaf, sizes, bytes) {
  const { flp, proofs } = vdaf;
  const elem = flp.field.encodedSize;
  const mLen = flp.measurementLen * elem;
  const pLen = flp.proofLen * proofs * elem;
  return {
    measurementShare: flp.field.decode(bytes.subarray(0, mLen)),
    proofsShare: flp.field.decode(bytes.subarray(mLen, mLen + pLen)),
    blind: Buffer.from(bytes.subarray(mLen + pLen)),
  };
}

/**
 * Expands the helper's Prio3 input share (seeds) into field vectors. Uses the
 * Prio3 instance's own XOF expansion (usage 1 = measurement share with binder
 * [agg_id], usage 2 = proof share with binder [proofs, agg_id]).
 */
async function decodeHelperShare(vdaf, sizes, bytes) {
  const { flp, proofs } = vdaf;
  const s = sizes.seed;
  const kMeas = Buffer.from(bytes.subarray(0, s));
  const kProof = Buffer.from(bytes.subarray(s, 2 * s));
  const blind = Buffer.from(bytes.subarray(2 * s));
  return {
    measurementShare: await vdaf.pseudorandom(flp.measurementLen, 1, kMeas, Buffer.of(1)),
    proofsShare: await vdaf.pseudorandom(flp.proofLen * proofs, 2, kProof, Buffer.of(proofs, 1)),
    blind,
  };
}

function splitSeeds(bytes, seed) {
  const out = [];
  for (let i = 0; i < bytes.length; i += seed) out.push(Buffer.from(bytes.subarray(i, i + seed)));
  return out;
}

/** Verifies one fixture object; returns a summary row. Throws CheckError on mismatch. */
export async function verifyFixture(fx, { hpke, clientModules }) {
  const { TaskId } = clientModules.taskId;
  const { ReportId } = clientModules.reportId;
  const { InputShareInfo, InputShareAad, PlaintextInputShare, Report, ReportMetadata } = clientModules.report;
  const { HpkeCiphertext } = clientModules.ciphertext;
  const { HpkeConfigList } = clientModules.hpkeConfig;

  const name = fx.case;
  check(fx.format === FIXTURE_FORMAT, `${name}: format ${fx.format}, want ${FIXTURE_FORMAT}`);
  const producer = producerOf(fx);
  const taskId = unhex(fx.task_id.hex);
  check(taskId.length === 32, `${name}: task id must be 32 bytes`);
  check(Buffer.from(fx.task_id.base64url, "base64url").equals(taskId), `${name}: task id hex/base64url disagree`);
  check(!fx.task_id.base64url.includes("="), `${name}: task id must be unpadded`);

  // The VDAF description and the expected aggregate follow from the client spec
  // and the recorded measurements (computed here, not taken from the producer).
  const spec = fx.vdaf.client_spec;
  const type = PRIO3_TYPES[spec?.type];
  check(type, `${name}: unknown client spec type ${spec?.type}`);
  check(fx.vdaf.name === type.name, `${name}: vdaf name ${fx.vdaf.name}, want ${type.name}`);
  check(fx.vdaf.algorithm_id === type.algorithmId, `${name}: algorithm id ${fx.vdaf.algorithm_id}`);
  check(
    canonical(fx.vdaf.parameters) === canonical(type.parameters(spec)),
    `${name}: parameters ${JSON.stringify(fx.vdaf.parameters)} do not match the client spec`,
  );
  check(fx.vdaf.shares === 2, `${name}: ${fx.vdaf.shares} shares`);
  check(Array.isArray(fx.reports) && fx.reports.length > 0, `${name}: no reports`);
  let fromMeasurements;
  try {
    fromMeasurements = type.aggregate(spec, fx.reports.map((r) => r.measurement));
  } catch (err) {
    throw new CheckError(`${name}: invalid ${err.message}`);
  }
  check(
    JSON.stringify(fromMeasurements) === JSON.stringify(fx.expected_aggregate_result),
    `${name}: expected aggregate ${JSON.stringify(fx.expected_aggregate_result)} != ` +
      `${JSON.stringify(fromMeasurements)} computed from the recorded measurements`,
  );

  check(Array.isArray(fx.hpke_config_requests), `${name}: hpke_config_requests missing`);
  const configs = { leader: fx.leader.hpke_configs[0], helper: fx.helper.hpke_configs[0] };
  for (const role of ["leader", "helper"]) {
    const c = configs[role];
    const keys = {
      kemId: c.kem_id,
      kdfId: c.kdf_id,
      aeadId: c.aead_id,
      privateKey: unhex(c.private_key_hex),
    };
    // The served public key must match the private key.
    const suite = new hpke.CipherSuite({ kem: c.kem_id, kdf: c.kdf_id, aead: c.aead_id });
    const pk = await suite.kem.importKey("raw", unhex(c.public_key_hex), true);
    const sk = await suite.kem.importKey("raw", keys.privateKey, false);
    const probe = await suite.seal({ recipientPublicKey: pk }, Buffer.from("probe"));
    const opened = await suite.open({ recipientKey: sk, enc: probe.enc }, probe.ct);
    check(Buffer.from(opened).toString() === "probe", `${name}: ${role} key pair mismatch`);
    configs[role] = { ...c, keys };

    // The served HpkeConfigList, read by the client's own parser, re-encodes to
    // the same bytes and the client selects this config from it.
    const served = unhex(fx[role].hpke_config_list_hex);
    let selected;
    try {
      const list = HpkeConfigList.parse(served);
      check(list.encode().equals(served), `${name}: ${role} HpkeConfigList does not re-encode to the served bytes`);
      selected = list.selectConfig();
    } catch (err) {
      if (err instanceof CheckError) throw err;
      throw new CheckError(`${name}: ${role} HpkeConfigList rejected by the client: ${err.message}`);
    }
    check(
      selected.id === c.id &&
        selected.kemId === c.kem_id &&
        selected.kdfId === c.kdf_id &&
        selected.aeadId === c.aead_id &&
        Buffer.from(selected.publicKey).equals(unhex(c.public_key_hex)),
      `${name}: the client selects ${role} config ${selected.id}, not the recorded one`,
    );

    // The client's config requests: GET {aggregator}hpke_config?task_id=... with the media type.
    const base = basePath(fx[role].url);
    const gets = fx.hpke_config_requests.filter((g) => g.role === role);
    check(gets.length > 0, `${name}: no HPKE config request to the ${role}`);
    for (const g of gets) {
      check(g.method === "GET", `${name}: ${role} config request method ${g.method}`);
      check(g.path === `${base}hpke_config`, `${name}: ${role} config request path ${g.path}`);
      check(
        canonical(g.query) === canonical({ task_id: fx.task_id.base64url }),
        `${name}: ${role} config request query ${JSON.stringify(g.query)}`,
      );
      check(g.accept === MEDIA_TYPE.hpkeConfigList, `${name}: ${role} config request Accept ${g.accept}`);
    }
  }
  check(
    fx.hpke_config_requests.every((g) => g.role === "leader" || g.role === "helper"),
    `${name}: config request to an unknown role`,
  );
  const uploadPath = `${basePath(fx.leader.url)}tasks/${fx.task_id.base64url}/reports`;

  const vdaf = clientVdaf(fx);
  const sizes = prio3Sizes(vdaf);
  const verifyKey = crypto.randomBytes(vdaf.verifyKeySize);
  const outShares = [[], []];
  const precision = fx.time_precision_seconds;
  let wrongRoleRejected = 0;

  for (const [i, rep] of fx.reports.entries()) {
    const where = `${name} report ${i}`;
    try {
      const req = rep.request;
      check(req.method === "PUT", `${where}: method ${req.method}`);
      check(req.path === uploadPath, `${where}: path ${req.path}`);
      check(req.content_type === MEDIA_TYPE.report, `${where}: content-type ${req.content_type}`);
      check(req.headers?.["content-type"] === req.content_type, `${where}: content-type header disagrees`);
      check(rep.response_status === 201, `${where}: response status ${rep.response_status}`);

      const body = unhex(req.body_hex);
      if (req.headers["content-length"] !== undefined) {
        check(Number(req.headers["content-length"]) === body.length, `${where}: content-length is not the body size`);
      }
      const r = decodeReport(body); // throws unless every length prefix parses exactly
      const time = Number(r.time);
      check(r.metadata.subarray(16, 20).equals(Buffer.alloc(4)), `${where}: time high bytes not zero`);
      check(time % precision === 0, `${where}: time ${time} not a multiple of ${precision}`);
      if (rep.client_timestamp != null) {
        check(time === Math.floor(rep.client_timestamp / precision) * precision, `${where}: time not rounded down`);
      }
      check(r.publicShare.length === sizes.publicShare, `${where}: public share ${r.publicShare.length} bytes`);
      check(r.leader.configId === configs.leader.id, `${where}: leader config id ${r.leader.configId}`);
      check(r.helper.configId === configs.helper.id, `${where}: helper config id ${r.helper.configId}`);

      // The client's own encoders produce exactly this body from the decoded fields.
      const clientBody = new Report(
        new ReportMetadata(new ReportId(Buffer.from(r.reportId)), time),
        Buffer.from(r.publicShare),
        new HpkeCiphertext(r.leader.configId, Buffer.from(r.leader.enc), Buffer.from(r.leader.payload)),
        new HpkeCiphertext(r.helper.configId, Buffer.from(r.helper.enc), Buffer.from(r.helper.payload)),
      ).encode();
      check(clientBody.equals(body), `${where}: body differs from the client's Report encoding of its fields`);

      // AAD and info: built here vs. built by the client's own classes.
      const aad = inputShareAad(taskId, r.metadata, r.publicShare);
      const clientAad = new InputShareAad(
        new TaskId(taskId),
        new ReportMetadata(new ReportId(Buffer.from(r.reportId)), time),
        Buffer.from(r.publicShare),
      ).encode();
      check(aad.equals(clientAad), `${where}: AAD differs from the client's InputShareAad`);

      const plaintexts = {};
      for (const role of ["leader", "helper"]) {
        const info = inputShareInfo(ROLE[role]);
        check(
          info.equals(new InputShareInfo(ROLE[role]).encode()),
          `${where}: info differs from the client's InputShareInfo`,
        );
        const ct = r[role];
        check(ct.enc.length === 32, `${where}: ${role} enc is ${ct.enc.length} bytes`);
        const pt = await hpkeOpen(hpke, configs[role].keys, ct, info, aad);
        check(ct.payload.length === pt.length + 16, `${where}: ${role} ciphertext is not plaintext + 16-byte tag`);
        const pt2 = rfc9180OpenX25519Aes128(configs[role].keys.privateKey, ct, info, aad);
        check(pt2.equals(pt), `${where}: ${role} plaintext differs between hpke-js and the node:crypto RFC 9180 open`);
        const share = decodePlaintextInputShare(pt);
        check(share.extensions.length === 0, `${where}: ${role} has ${share.extensions.length} extensions`);
        check(pt.subarray(0, 2).equals(Buffer.alloc(2)), `${where}: ${role} extensions prefix not 0x0000`);
        check(
          new PlaintextInputShare([], Buffer.from(share.payload)).encode().equals(pt),
          `${where}: ${role} plaintext differs from the client's PlaintextInputShare encoding`,
        );
        const want = role === "leader" ? sizes.leaderShare : sizes.helperShare;
        check(
          share.payload.length === want,
          `${where}: ${role} input share ${share.payload.length} bytes, want ${want}`,
        );
        plaintexts[role] = { pt, payload: share.payload, info };
      }

      // The role byte is bound: the leader share must not open under the helper's info.
      try {
        await hpkeOpen(hpke, configs.leader.keys, r.leader, inputShareInfo(ROLE.helper), aad);
      } catch {
        wrongRoleRejected++;
      }

      // Decoded view stored in the fixture must agree with this parse.
      const d = rep.decoded;
      const expectDecoded = {
        report_id_hex: hex(r.reportId),
        time,
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
        leader_input_share_info_hex: hex(plaintexts.leader.info),
        helper_input_share_info_hex: hex(plaintexts.helper.info),
        leader_plaintext_input_share_hex: hex(plaintexts.leader.pt),
        helper_plaintext_input_share_hex: hex(plaintexts.helper.pt),
        leader_input_share_hex: hex(plaintexts.leader.payload),
        helper_input_share_hex: hex(plaintexts.helper.payload),
      };
      check(
        JSON.stringify(d) === JSON.stringify(expectDecoded),
        `${where}: stored decoded view disagrees with the body`,
      );

      // Prio3 preparation with the client's implementation, nonce = report id.
      const nonce = Buffer.from(r.reportId);
      const parts = splitSeeds(r.publicShare, sizes.seed);
      const inputShares = [
        decodeLeaderShare(vdaf, sizes, plaintexts.leader.payload),
        await decodeHelperShare(vdaf, sizes, plaintexts.helper.payload),
      ];
      const prep = [];
      for (const aggId of [0, 1]) {
        prep.push(
          await vdaf.prepareInit(verifyKey, aggId, null, nonce, { jointRandParts: [...parts] }, inputShares[aggId]),
        );
      }
      const msg = await vdaf.unshardPreparationShares(
        null,
        prep.map((p) => p.preparationShare),
      );
      for (const aggId of [0, 1]) {
        const out = vdaf.prepareNext(prep[aggId].preparationState, msg);
        check("outputShare" in out, `${where}: preparation did not finish in one round`);
        outShares[aggId].push(out.outputShare);
      }
    } catch (err) {
      if (err instanceof CheckError) throw err;
      throw new CheckError(`${where}: ${err.name}: ${err.message}`);
    }
  }

  check(wrongRoleRejected === fx.reports.length, `${name}: a leader share opened under the helper's info`);
  const aggShares = outShares.map((shares) => vdaf.aggregate(null, shares));
  const result = plain(vdaf.unshard(null, aggShares, fx.reports.length));
  check(
    JSON.stringify(result) === JSON.stringify(fx.expected_aggregate_result),
    `${name}: aggregate ${JSON.stringify(result)} != expected ${JSON.stringify(fx.expected_aggregate_result)}`,
  );

  return {
    case: name,
    producer,
    vdaf: fx.vdaf.name,
    reports: fx.reports.length,
    bodyBytes: fx.reports.map((r) => r.request.body_hex.length / 2),
    publicShare: sizes.publicShare,
    leaderShare: sizes.leaderShare,
    helperShare: sizes.helperShare,
    aggregate: result,
  };
}

/** Verifies every *.json fixture in a directory and prints a summary. */
export async function verifyDir(dir) {
  const hpke = (await loadClientHpke()).module;
  const clientModules = {
    taskId: await importClientModule("taskId.js"),
    reportId: await importClientModule("reportId.js"),
    report: await importClientModule("report.js"),
    ciphertext: await importClientModule("ciphertext.js"),
    hpkeConfig: await importClientModule("hpkeConfig.js"),
  };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  check(files.length > 0, `no fixtures in ${dir}`);
  const rows = [];
  for (const f of files) {
    const fx = JSON.parse(readFileSync(join(dir, f), "utf8"));
    try {
      rows.push({ file: f, ...(await verifyFixture(fx, { hpke, clientModules })) });
    } catch (err) {
      if (err instanceof CheckError) throw new CheckError(`${f}: ${err.message}`);
      throw new CheckError(`${f}: ${err.name}: ${err.message}`);
    }
  }
  console.log(`verified ${rows.length} fixture files in ${dir}:`);
  for (const r of rows) {
    console.log(
      `  ${r.file.padEnd(22)} ${r.vdaf.padEnd(15)} producer="${r.producer}" reports=${r.reports} body=${[...new Set(r.bodyBytes)].join("/")}B ` +
        `public_share=${r.publicShare}B leader_share=${r.leaderShare}B helper_share=${r.helperShare}B ` +
        `aggregate=${JSON.stringify(r.aggregate)}`,
    );
  }
  const total = rows.reduce((n, r) => n + r.reports, 0);
  console.log(`${total} passed, 0 failed`);
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(here, "../fixtures/dap09-ts"));
  verifyDir(dir).catch((err) => {
    console.error(err instanceof CheckError ? `CHECK FAILED: ${err.message}` : err);
    process.exit(1);
  });
}
