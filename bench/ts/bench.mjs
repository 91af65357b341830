// Micro-benchmark of the published TypeScript Prio3 (@divviup/prio3, VDAF draft 08).
//
// For every case it times three operations with two aggregators:
//   shard     - one Prio3 shard of a fixed valid measurement (fixed 16-byte nonce)
//   prepare   - one report through both aggregators: prepareInit (leader, helper),
//               unshardPreparationShares (prep shares -> prep message), prepareNext
//               on both, yielding both output shares
//   aggregate - summing 100 output shares of one aggregator into an aggregate share
//
// One JSON document goes to stdout, a readable table to stderr.
// Usage: node bench.mjs [--quick] [--cases name1,name2] [--list]

import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import {
  Prio3Count,
  Prio3Histogram,
  Prio3Sum,
  Prio3SumVec,
} from "@divviup/prio3";

// ---------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { quick: false, cases: null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") opts.quick = true;
    else if (arg === "--list") opts.list = true;
    else if (arg === "--cases") opts.cases = splitNames(argv[++i]);
    else if (arg.startsWith("--cases=")) opts.cases = splitNames(arg.slice(8));
    else if (arg === "--help" || arg === "-h") {
      process.stderr.write(
        "usage: node bench.mjs [--quick] [--cases name1,name2] [--list]\n",
      );
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return opts;
}

function splitNames(value) {
  if (!value) throw new Error("--cases needs a comma-separated list");
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------
// Cases

const SHARES = 2; // leader + one helper
const AGGREGATE_COUNT = 100; // output shares summed by the "aggregate" op

// A 0/1 vector of the given length with a recognisable pattern.
const bitVector = (length) =>
  Array.from({ length }, (_, i) => (i % 3 === 0 ? 1 : 0));

// `distinct` is how many distinct reports are prepared to feed the aggregate
// op; the AGGREGATE_COUNT output shares cycle through them. Summing costs the
// same whatever the values, so the heaviest case uses fewer to keep setup short.
const CASES = [
  {
    name: "count",
    vdaf: () => new Prio3Count({ shares: SHARES }),
    params: {},
    measurement: true,
  },
  {
    name: "sum-8",
    vdaf: () => new Prio3Sum({ shares: SHARES, bits: 8 }),
    params: { bits: 8 },
    measurement: 201,
  },
  {
    name: "sum-32",
    vdaf: () => new Prio3Sum({ shares: SHARES, bits: 32 }),
    params: { bits: 32 },
    measurement: 3_000_000_001,
  },
  ...[
    [10, 3],
    [100, 10],
    [1000, 31],
  ].map(([length, chunkLength]) => ({
    name: `sumvec-${length}`,
    vdaf: () =>
      new Prio3SumVec({ shares: SHARES, length, bits: 1, chunkLength }),
    params: { length, bits: 1, chunkLength },
    measurement: bitVector(length),
  })),
  ...[
    [10, 3],
    [100, 10],
    [1000, 31],
    [10000, 100],
  ].map(([length, chunkLength]) => ({
    name: `histogram-${length}`,
    vdaf: () => new Prio3Histogram({ shares: SHARES, length, chunkLength }),
    params: { length, chunkLength },
    measurement: Math.floor(length / 2) + 1,
    distinct: length >= 10000 ? 10 : undefined,
  })),
  {
    name: "multihotcountvec",
    vdaf: null, // Prio3MultihotCountVec is not part of @divviup/prio3 0.8.0
    params: {},
  },
];

// ---------------------------------------------------------------------------
// Timing

// Default budgets (milliseconds / iterations); --quick shrinks them to a smoke test.
const BUDGETS = {
  full: { warmupMs: 1000, warmupMinIters: 3, measureMs: 2000, measureMinIters: 5, maxDistinctReports: AGGREGATE_COUNT },
  quick: { warmupMs: 20, warmupMinIters: 1, measureMs: 50, measureMinIters: 3, maxDistinctReports: 5 },
};

const nowNs = () => process.hrtime.bigint();

// Warm up, then run `fn` (awaited) until both the time budget and the minimum
// iteration count are reached. Each iteration is timed on its own.
async function measure(fn, budget) {
  const warmupEnd = nowNs() + BigInt(budget.warmupMs) * 1_000_000n;
  let warmupIters = 0;
  while (warmupIters < budget.warmupMinIters || nowNs() < warmupEnd) {
    await fn();
    warmupIters++;
  }

  const samples = []; // nanoseconds per iteration
  const start = nowNs();
  const end = start + BigInt(budget.measureMs) * 1_000_000n;
  let last;
  while (samples.length < budget.measureMinIters || nowNs() < end) {
    const t0 = nowNs();
    last = await fn();
    samples.push(Number(nowNs() - t0));
  }
  const totalNs = Number(nowNs() - start);
  return { stats: summarize(samples, warmupIters, totalNs), last };
}

function summarize(samples, warmupIters, totalNs) {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const variance = sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const pick = (q) => sorted[Math.min(n - 1, Math.floor(q * n))];
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const us = (ns) => Math.round(ns / 10) / 100; // ns -> µs, 2 decimals
  return {
    iterations: n,
    warmupIterations: warmupIters,
    meanUs: us(mean),
    medianUs: us(median),
    minUs: us(sorted[0]),
    p90Us: us(pick(0.9)),
    stddevUs: us(Math.sqrt(variance)),
    opsPerSec: Math.round((1e9 / mean) * 10) / 10,
    measuredMs: Math.round(totalNs / 1e5) / 10,
  };
}

// ---------------------------------------------------------------------------
// Prio3 flow helpers (the API is Promise-based for shard, prepareInit and
// unshardPreparationShares; prepareNext, aggregate and unshard are synchronous)

// prepareInit writes the aggregator's recomputed joint-rand part into
// publicShare.jointRandParts, so each call gets its own copy of the list.
const copyPublicShare = (ps) => ({ jointRandParts: [...ps.jointRandParts] });

async function prepareBoth(vdaf, verifyKey, nonce, publicShare, inputShares) {
  const leader = await vdaf.prepareInit(
    verifyKey, 0, null, nonce, copyPublicShare(publicShare), inputShares[0],
  );
  const helper = await vdaf.prepareInit(
    verifyKey, 1, null, nonce, copyPublicShare(publicShare), inputShares[1],
  );
  const message = await vdaf.unshardPreparationShares(null, [
    leader.preparationShare,
    helper.preparationShare,
  ]);
  const leaderOut = vdaf.prepareNext(leader.preparationState, message);
  const helperOut = vdaf.prepareNext(helper.preparationState, message);
  if (!("outputShare" in leaderOut) || !("outputShare" in helperOut)) {
    throw new Error("Prio3 should finish preparation after one round");
  }
  return [leaderOut.outputShare, helperOut.outputShare];
}

// Normalises aggregate results (number, bigint or arrays of them) for comparison.
const normalise = (value) =>
  Array.isArray(value) ? value.map((v) => BigInt(v)) : [BigInt(value)];

// Expected aggregate of `count` copies of `measurement`.
const expectedAggregate = (measurement, count, vdaf) => {
  if (vdaf instanceof Prio3Histogram) {
    return Array.from({ length: vdaf.length }, (_, i) =>
      i === measurement ? BigInt(count) : 0n,
    );
  }
  return normalise(measurement).map((v) => v * BigInt(count));
};

function assertAggregate(vdaf, aggShares, count, measurement, what) {
  const got = normalise(vdaf.unshard(null, aggShares, count));
  const want = expectedAggregate(measurement, count, vdaf);
  const same = got.length === want.length && got.every((v, i) => v === want[i]);
  if (!same) {
    throw new Error(`${what}: unsharded aggregate does not match the measurements`);
  }
}

// ---------------------------------------------------------------------------
// One case

async function runCase(spec, budget) {
  if (!spec.vdaf) {
    return { case: spec.name, status: "not implemented", params: spec.params };
  }
  const vdaf = spec.vdaf();
  const { measurement } = spec;
  const nonce = Buffer.alloc(vdaf.nonceSize, 0x5a); // fixed 16-byte nonce
  const verifyKey = randomBytes(vdaf.verifyKeySize);
  const rand = randomBytes(vdaf.randSize); // drawn once per case, outside timing
  const ops = {};

  // shard
  {
    const { stats, last } = await measure(
      () => vdaf.shard(measurement, nonce, rand),
      budget,
    );
    // The last sharded report must prepare and unshard back to the measurement.
    const outs = await prepareBoth(vdaf, verifyKey, nonce, last.publicShare, last.inputShares);
    assertAggregate(vdaf, outs.map((o) => vdaf.aggregate(null, [o])), 1, measurement, "shard");
    ops.shard = stats;
  }

  // prepare: shard once, outside the timed region
  {
    const { publicShare, inputShares } = await vdaf.shard(measurement, nonce, rand);
    const { stats, last } = await measure(
      () => prepareBoth(vdaf, verifyKey, nonce, publicShare, inputShares),
      budget,
    );
    assertAggregate(vdaf, last.map((o) => vdaf.aggregate(null, [o])), 1, measurement, "prepare");
    ops.prepare = stats;
  }

  // aggregate: prepare the output shares outside the timed region
  const distinct = Math.min(spec.distinct ?? AGGREGATE_COUNT, budget.maxDistinctReports);
  {
    const leaderOuts = [];
    const helperOuts = [];
    for (let i = 0; i < distinct; i++) {
      const reportNonce = randomBytes(vdaf.nonceSize);
      const { publicShare, inputShares } = await vdaf.shard(
        measurement, reportNonce, randomBytes(vdaf.randSize),
      );
      const [l, h] = await prepareBoth(vdaf, verifyKey, reportNonce, publicShare, inputShares);
      leaderOuts.push(l);
      helperOuts.push(h);
    }
    const pick = (outs) =>
      Array.from({ length: AGGREGATE_COUNT }, (_, i) => outs[i % distinct]);
    const leaderShares = pick(leaderOuts);
    const helperShares = pick(helperOuts);

    const { stats, last } = await measure(
      () => vdaf.aggregate(null, leaderShares),
      budget,
    );
    // Sanity: leader and helper aggregate shares unshard to 100 x measurement.
    const helperAgg = vdaf.aggregate(null, helperShares);
    assertAggregate(vdaf, [last, helperAgg], AGGREGATE_COUNT, measurement, "aggregate");
    ops.aggregate = { ...stats, outputShares: AGGREGATE_COUNT, distinctReports: distinct };
  }

  return {
    case: spec.name,
    status: "ok",
    class: vdaf.constructor.name,
    params: spec.params,
    measurementLength: vdaf.flp.measurementLen,
    outputLength: vdaf.flp.outputLen,
    proofLength: vdaf.flp.proofLen,
    sanity: "passed",
    ops,
  };
}

// ---------------------------------------------------------------------------
// Environment / package metadata

function packageVersions() {
  const require = createRequire(import.meta.url);
  const prio3Pkg = require.resolve("@divviup/prio3/package.json");
  // Resolve @divviup/vdaf as @divviup/prio3 itself would.
  const vdafPkg = createRequire(prio3Pkg).resolve("@divviup/vdaf/package.json");
  const version = (p) => JSON.parse(readFileSync(p, "utf8")).version;
  return {
    "@divviup/prio3": version(prio3Pkg),
    "@divviup/vdaf": version(vdafPkg),
  };
}

// ---------------------------------------------------------------------------
// Output

function printTable(results) {
  const rows = [["case", "op", "mean µs", "median µs", "ops/s", "iters"]];
  for (const r of results) {
    if (r.status !== "ok") {
      rows.push([r.case, "-", r.status, "", "", ""]);
      continue;
    }
    for (const [op, s] of Object.entries(r.ops)) {
      rows.push([
        r.case, op, s.meanUs.toFixed(2), s.medianUs.toFixed(2),
        s.opsPerSec.toFixed(1), String(s.iterations),
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) =>
    r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  process.stderr.write(
    [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)]
      .join("\n") + "\n",
  );
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    process.stdout.write(CASES.map((c) => c.name).join("\n") + "\n");
    return;
  }
  let selected = CASES;
  if (opts.cases) {
    const unknown = opts.cases.filter((n) => !CASES.some((c) => c.name === n));
    if (unknown.length) {
      throw new Error(`unknown case(s): ${unknown.join(", ")} (see --list)`);
    }
    selected = CASES.filter((c) => opts.cases.includes(c.name));
  }
  const budget = opts.quick ? BUDGETS.quick : BUDGETS.full;

  const started = new Date();
  const results = [];
  for (const spec of selected) {
    process.stderr.write(`# ${spec.name} ...\n`);
    results.push(await runCase(spec, budget));
  }
  const wallSeconds = (Date.now() - started.getTime()) / 1000;

  const report = {
    benchmark: "prio3-ts",
    vdaf: "draft-irtf-cfrg-vdaf-08",
    packages: packageVersions(),
    aggregators: SHARES,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpuCount: os.cpus().length,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    startedAt: started.toISOString(),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    mode: opts.quick ? "quick" : "full",
    budget: { ...budget, aggregateOutputShares: AGGREGATE_COUNT },
    method:
      "warm-up until warmupMs and warmupMinIters are both reached, then time each " +
      "iteration with process.hrtime.bigint until measureMs and measureMinIters are " +
      "both reached; async operations are awaited; rand is drawn once per case",
    results,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  printTable(results);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
