// DAP-09 wire helpers used by the fixture generator and its self-check:
// HpkeConfigList encoding, Report / PlaintextInputShare decoding, HPKE
// info and AAD construction, and access to the client's own HPKE library.

import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import crypto from "node:crypto";

export const ROLE = Object.freeze({ collector: 0, client: 1, leader: 2, helper: 3 });
export const INPUT_SHARE_LABEL = "dap-09 input share";
export const MEDIA_TYPE = Object.freeze({
  hpkeConfigList: "application/dap-hpke-config-list",
  report: "application/dap-report",
});

// RFC 9180 identifiers of the suite served by the fake aggregators.
export const KEM_X25519_HKDF_SHA256 = 0x0020;
export const KDF_HKDF_SHA256 = 0x0001;
export const AEAD_AES_128_GCM = 0x0001;

// ---------------------------------------------------------------- Prio3 cases

const isUint = (m, bound) => Number.isInteger(m) && m >= 0 && m < bound;

/**
 * The Prio3 variants the client supports, keyed by the client's `type`: the
 * VDAF-08 name and algorithm id, the snake_case parameters that a client spec
 * stands for, and the aggregate of a list of measurements (which also checks
 * that every measurement is valid for the spec).
 */
export const PRIO3_TYPES = Object.freeze({
  count: {
    name: "Prio3Count",
    algorithmId: 0x00000000,
    parameters: () => ({}),
    aggregate: (spec, ms) => {
      for (const m of ms) if (typeof m !== "boolean") throw new Error(`count measurement ${JSON.stringify(m)}`);
      return ms.filter(Boolean).length;
    },
  },
  sum: {
    name: "Prio3Sum",
    algorithmId: 0x00000001,
    parameters: (s) => ({ bits: s.bits }),
    aggregate: (spec, ms) => {
      for (const m of ms) if (!isUint(m, 2 ** spec.bits)) throw new Error(`sum measurement ${JSON.stringify(m)}`);
      return ms.reduce((a, b) => a + b, 0);
    },
  },
  sumVec: {
    name: "Prio3SumVec",
    algorithmId: 0x00000002,
    parameters: (s) => ({ length: s.length, bits: s.bits, chunk_length: s.chunkLength }),
    aggregate: (spec, ms) => {
      for (const m of ms) {
        if (!Array.isArray(m) || m.length !== spec.length || !m.every((x) => isUint(x, 2 ** spec.bits))) {
          throw new Error(`sumVec measurement ${JSON.stringify(m)}`);
        }
      }
      return ms.reduce((acc, m) => acc.map((x, i) => x + m[i]), new Array(spec.length).fill(0));
    },
  },
  histogram: {
    name: "Prio3Histogram",
    algorithmId: 0x00000003,
    parameters: (s) => ({ length: s.length, chunk_length: s.chunkLength }),
    aggregate: (spec, ms) => {
      for (const m of ms) if (!isUint(m, spec.length)) throw new Error(`histogram measurement ${JSON.stringify(m)}`);
      return ms.reduce((acc, m) => acc.map((x, i) => x + (i === m ? 1 : 0)), new Array(spec.length).fill(0));
    },
  },
});

// ---------------------------------------------------------------- encoding

const u8 = (n) => Buffer.of(n);
const u16 = (n) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const opaque16 = (bytes) => Buffer.concat([u16(bytes.length), bytes]);
const opaque32 = (bytes) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(bytes.length);
  return Buffer.concat([b, bytes]);
};

/** HpkeConfig = u8 id, u16 kem_id, u16 kdf_id, u16 aead_id, opaque public_key<1..2^16-1> */
export function encodeHpkeConfig({ id, kemId, kdfId, aeadId, publicKey }) {
  return Buffer.concat([u8(id), u16(kemId), u16(kdfId), u16(aeadId), opaque16(publicKey)]);
}

/** HpkeConfigList = HpkeConfig configs<1..2^16-1> */
export function encodeHpkeConfigList(configs) {
  return opaque16(Buffer.concat(configs.map(encodeHpkeConfig)));
}

/** info = "dap-09 input share" || 0x01 (client) || server_role */
export function inputShareInfo(serverRole) {
  return Buffer.concat([Buffer.from(INPUT_SHARE_LABEL, "ascii"), Buffer.of(ROLE.client, serverRole)]);
}

/** InputShareAad = TaskID task_id[32] || ReportMetadata (24 bytes) || opaque public_share<0..2^32-1> */
export function inputShareAad(taskId, reportMetadata, publicShare) {
  return Buffer.concat([taskId, reportMetadata, opaque32(publicShare)]);
}

// ---------------------------------------------------------------- decoding

/** Bounds-checked big-endian reader over a Buffer. */
export class Reader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }
  take(n, what) {
    if (this.pos + n > this.buf.length) {
      throw new Error(`${what}: need ${n} bytes at offset ${this.pos}, only ${this.buf.length - this.pos} left`);
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(what) {
    return this.take(1, what)[0];
  }
  u16(what) {
    return this.take(2, what).readUInt16BE();
  }
  u32(what) {
    return this.take(4, what).readUInt32BE();
  }
  u64(what) {
    return this.take(8, what).readBigUInt64BE();
  }
  opaque16(what) {
    return this.take(this.u16(`${what} length`), what);
  }
  opaque32(what) {
    return this.take(this.u32(`${what} length`), what);
  }
  end(what) {
    if (this.pos !== this.buf.length) {
      throw new Error(`${what}: ${this.buf.length - this.pos} trailing bytes`);
    }
  }
}

function readHpkeCiphertext(r, what) {
  const configId = r.u8(`${what}.config_id`);
  const enc = r.opaque16(`${what}.enc`);
  const payload = r.opaque32(`${what}.payload`);
  return { configId, enc, payload };
}

/** Report = ReportMetadata || opaque public_share<0..2^32-1> || HpkeCiphertext leader || HpkeCiphertext helper */
export function decodeReport(buf) {
  const r = new Reader(buf);
  const metadata = Buffer.from(buf.subarray(0, 24));
  const reportId = r.take(16, "report_id");
  const time = r.u64("time");
  const publicShare = r.opaque32("public_share");
  const leader = readHpkeCiphertext(r, "leader_encrypted_input_share");
  const helper = readHpkeCiphertext(r, "helper_encrypted_input_share");
  r.end("Report");
  return { metadata, reportId, time, publicShare, leader, helper };
}

/** PlaintextInputShare = Extension extensions<0..2^16-1> || opaque payload<0..2^32-1> */
export function decodePlaintextInputShare(buf) {
  const r = new Reader(buf);
  const extBytes = r.opaque16("extensions");
  const payload = r.opaque32("payload");
  r.end("PlaintextInputShare");
  // Extension = u16 extension_type || opaque extension_data<0..2^16-1>
  const er = new Reader(extBytes);
  const extensions = [];
  while (er.pos < extBytes.length) {
    const type = er.u16("extension_type");
    const data = er.opaque16("extension_data");
    extensions.push({ type, data });
  }
  return { extensions, payload };
}

// ---------------------------------------------------------------- keys

// PKCS#8 DER prefix of an X25519 private key (RFC 8410); the raw 32-byte key follows.
const X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/** X25519 key pair from a raw 32-byte private key, using node's crypto. */
export function x25519FromPrivate(rawPrivate) {
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, rawPrivate]),
    format: "der",
    type: "pkcs8",
  });
  const jwk = crypto.createPublicKey(privateKey).export({ format: "jwk" });
  return { privateKey: Buffer.from(rawPrivate), publicKey: Buffer.from(jwk.x, "base64url") };
}

/** Fresh random X25519 key pair, raw bytes. */
export function x25519Random() {
  const { privateKey } = crypto.generateKeyPairSync("x25519");
  const jwk = privateKey.export({ format: "jwk" });
  return { privateKey: Buffer.from(jwk.d, "base64url"), publicKey: Buffer.from(jwk.x, "base64url") };
}

// ---------------------------------------------------------------- client internals

const here = dirname(new URL(import.meta.url).pathname);

/** Directory of the installed @divviup/dap package. */
export function dapPackageDir() {
  // Its exports map hides package.json, so walk node's lookup paths instead.
  const require = createRequire(join(here, "package.json"));
  for (const base of require.resolve.paths("@divviup/dap") ?? []) {
    const dir = join(base, "@divviup", "dap");
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  throw new Error("@divviup/dap is not installed (run npm ci)");
}

/** Version string of the installed @divviup/dap package. */
export function dapPackageVersion() {
  return JSON.parse(readFileSync(join(dapPackageDir(), "package.json"), "utf8")).version;
}

/**
 * Loads the ESM entry of the HPKE library exactly as @divviup/dap resolves it
 * (same file, so the same module instance the client encrypts with).
 */
export async function loadClientHpke() {
  const require = createRequire(join(dapPackageDir(), "package.json"));
  const pkgJson = require.resolve("hpke-js/package.json");
  const pkg = JSON.parse(readFileSync(pkgJson, "utf8"));
  const entry = pkg.exports["."].import;
  return { version: pkg.version, module: await import(pathToFileURL(join(dirname(pkgJson), entry)).href) };
}

/** Imports one of the client's own compiled modules (bypasses its exports map). */
export async function importClientModule(file) {
  return import(pathToFileURL(join(dapPackageDir(), "dist", file)).href);
}

/** HPKE open (base mode) with the client's HPKE library. */
export async function hpkeOpen(hpke, { kemId, kdfId, aeadId, privateKey }, { enc, payload }, info, aad) {
  const suite = new hpke.CipherSuite({ kem: kemId, kdf: kdfId, aead: aeadId });
  const recipientKey = await suite.kem.importKey("raw", privateKey, false);
  const pt = await suite.open({ recipientKey, enc, info }, payload, aad);
  return Buffer.from(pt);
}

// ---------------------------------------------------------------- independent HPKE

const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();

function hkdfExpand(prk, info, length) {
  const blocks = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    t = hmac(prk, Buffer.concat([t, info, Buffer.of(i)]));
    blocks.push(t);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/**
 * RFC 9180 base-mode open for DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 /
 * AES-128-GCM written directly on node:crypto, as a second implementation
 * next to the client's HPKE library.
 */
export function rfc9180OpenX25519Aes128(privateKey, { enc, payload }, info, aad) {
  const v1 = Buffer.from("HPKE-v1");
  const extract = (suite, salt, label, ikm) => hmac(salt, Buffer.concat([v1, suite, Buffer.from(label), ikm]));
  const expand = (suite, prk, label, ctx, len) =>
    hkdfExpand(prk, Buffer.concat([u16(len), v1, suite, Buffer.from(label), ctx]), len);

  const skR = crypto.createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, privateKey]),
    format: "der",
    type: "pkcs8",
  });
  const pkR = Buffer.from(crypto.createPublicKey(skR).export({ format: "jwk" }).x, "base64url");
  const pkE = crypto.createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: Buffer.from(enc).toString("base64url") },
    format: "jwk",
  });
  const dh = crypto.diffieHellman({ privateKey: skR, publicKey: pkE });

  const kemSuite = Buffer.concat([Buffer.from("KEM"), u16(KEM_X25519_HKDF_SHA256)]);
  const eaePrk = extract(kemSuite, Buffer.alloc(0), "eae_prk", dh);
  const sharedSecret = expand(kemSuite, eaePrk, "shared_secret", Buffer.concat([enc, pkR]), 32);

  const suite = Buffer.concat([
    Buffer.from("HPKE"),
    u16(KEM_X25519_HKDF_SHA256),
    u16(KDF_HKDF_SHA256),
    u16(AEAD_AES_128_GCM),
  ]);
  const pskIdHash = extract(suite, Buffer.alloc(0), "psk_id_hash", Buffer.alloc(0));
  const infoHash = extract(suite, Buffer.alloc(0), "info_hash", info);
  const context = Buffer.concat([Buffer.of(0x00), pskIdHash, infoHash]); // mode_base
  const secret = extract(suite, sharedSecret, "secret", Buffer.alloc(0));
  const key = expand(suite, secret, "key", context, 16);
  const nonce = expand(suite, secret, "base_nonce", context, 12); // sequence number 0

  const decipher = crypto.createDecipheriv("aes-128-gcm", key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(payload.subarray(payload.length - 16));
  return Buffer.concat([decipher.update(payload.subarray(0, payload.length - 16)), decipher.final()]);
}
