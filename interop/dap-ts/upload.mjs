// Uploads measurements to real aggregators with the unmodified @divviup/dap client.
//
// Usage: node upload.mjs <plan.json>
// plan.json: {"tasks": [{"id": "<base64url task id>", "leader": URL, "helper": URL,
//   "timePrecisionSeconds": N, "spec": {"type": "count" | "sum" | "sumVec" | "histogram",
//   ...parameters as the client names them (bits, length, chunkLength)},
//   "timestamp": <seconds since the epoch>, "measurements": [...]}]}
// Prints one line per task with the number of reports sent; exits non-zero on any failure.

import { readFileSync } from "node:fs";
import { Task } from "@divviup/dap";
import { dapPackageVersion } from "./dap09.mjs";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
console.log(`@divviup/dap ${dapPackageVersion()}`);
for (const t of plan.tasks) {
  const task = new Task({
    ...t.spec,
    id: t.id,
    leader: t.leader,
    helper: t.helper,
    timePrecisionSeconds: t.timePrecisionSeconds,
  });
  for (const m of t.measurements) {
    await task.sendMeasurement(m, { timestamp: new Date(t.timestamp * 1000) });
  }
  console.log(`${t.spec.type} ${t.id}: ${t.measurements.length} reports sent`);
}
