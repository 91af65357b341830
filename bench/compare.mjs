// Prints the side-by-side table of docs/PERFORMANCE.md from one JMH run (JSON result file) and
// one run of ts/bench.mjs (its JSON output): Java mean, TypeScript mean, ratio, and the published
// libprio-rs anchor where one exists.
//
//   node bench/compare.mjs jmh.json ts.json
import { readFileSync } from "node:fs";

const [jmhFile, tsFile] = process.argv.slice(2);
if (!jmhFile || !tsFile) {
  console.error("usage: node compare.mjs JMH_JSON TS_JSON");
  process.exit(2);
}
const jmh = JSON.parse(readFileSync(jmhFile, "utf8"));
const ts = JSON.parse(readFileSync(tsFile, "utf8"));

// Published libprio-rs figures (µs), see ../shared/reference/vdaf-notes.md "Performance anchors".
// Each is single-aggregator work on an unspecified machine and, for Sum and Count, an older or
// newer draft's circuit: an order-of-magnitude target, noted as such in the table.
const LIBPRIO = {
  "sumvec-10/shard": [93, "PR #695, VDAF-07"],
  "sumvec-100/shard": [256, "PR #695, VDAF-07"],
  "sumvec-1000/shard": [3590, "PR #695, VDAF-07"],
  "sumvec-10/prepare": [65, "PR #695, prepare_init of one aggregator"],
  "sum-8/shard": [31.3, "PR #1290, VDAF-13 Sum (Field64)"],
  "sum-32/shard": [96.6, "PR #1290, VDAF-13 Sum (Field64)"],
  "sum-8/prepare": [18.6, "PR #1290, prepare_init of one aggregator"],
  "count/shard": [8, "PR #127, draft-00 era"],
};

const java = new Map();
for (const r of jmh) {
  const op = r.benchmark.split(".").pop();
  const unit = r.primaryMetric.scoreUnit;
  const scale = unit === "us/op" ? 1 : unit === "ms/op" ? 1000 : unit === "ns/op" ? 0.001 : NaN;
  java.set(`${r.params.vdaf}/${op}`, {
    mean: r.primaryMetric.score * scale,
    error: r.primaryMetric.scoreError * scale,
  });
}
const typescript = new Map();
for (const r of ts.results) {
  if (r.status !== "ok") continue;
  for (const [op, s] of Object.entries(r.ops)) typescript.set(`${r.case}/${op}`, s.meanUs);
}

const fmt = (v) => (v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2));
const cases = [...new Set([...java.keys()].map((k) => k.split("/")[0]))];
const order = ["count", "sum-8", "sum-32", "sumvec-10", "sumvec-100", "sumvec-1000",
  "histogram-10", "histogram-100", "histogram-1000", "histogram-10000", "multihotcountvec"];
cases.sort((a, b) => order.indexOf(a) - order.indexOf(b));

console.log("| case | op | Pando (µs) | @divviup/prio3 0.8.0 (µs) | ratio | libprio-rs published (µs) |");
console.log("| --- | --- | ---: | ---: | ---: | ---: |");
let worst = Infinity;
for (const c of cases) {
  for (const op of ["shard", "prepare", "aggregate"]) {
    const key = `${c}/${op}`;
    const j = java.get(key);
    if (!j) continue;
    const t = typescript.get(key);
    const ratio = t === undefined ? undefined : t / j.mean;
    if (ratio !== undefined) worst = Math.min(worst, ratio);
    const lp = LIBPRIO[key];
    console.log(`| ${c} | ${op} | ${fmt(j.mean)} ± ${fmt(j.error)} | ${fmt(t)} | ` +
      `${ratio === undefined ? "–" : ratio.toFixed(1) + "×"} | ` +
      `${lp ? `${lp[0]} (${lp[1]})` : "–"} |`);
  }
}
console.log("");
console.log(`Smallest speed-up over @divviup/prio3: ${worst.toFixed(1)}×`);
