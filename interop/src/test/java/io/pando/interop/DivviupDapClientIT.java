package io.pando.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.devstack.DirectoryTrees;
import io.pando.local.LocalDeployment;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The published {@code @divviup/dap} 0.9.1 client, installed unchanged from the npm registry as
 * pinned by interop/dap-ts/package-lock.json, uploads Prio3Count, Prio3Sum, Prio3SumVec and
 * Prio3Histogram reports to a Pando leader paired with a Pando helper (separate processes on a
 * real PostgreSQL and Kafka); Pando's collector library collects each task, and the aggregates
 * and report counts must be exactly the expected ones.
 */
class DivviupDapClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIME_PRECISION = LocalDeployment.TIME_PRECISION;

  /** One task: the client's spec, Pando's VDAF, the measurements and their aggregate. */
  record Case(Map<String, Object> clientSpec, VdafInstance vdaf, List<Object> measurements,
      Object expected) {}

  static List<Case> cases() {
    return List.of(
        new Case(Map.of("type", "count"), new VdafInstance.Prio3Count(),
            List.of(true, false, true, true, false, true), 4L),
        new Case(Map.of("type", "sum", "bits", 8), new VdafInstance.Prio3Sum(8),
            List.of(255, 0, 17, 100, 3), BigInteger.valueOf(375)),
        new Case(Map.of("type", "sumVec", "length", 3, "bits", 4, "chunkLength", 2),
            new VdafInstance.Prio3SumVec(3, 4, 2),
            List.of(List.of(1, 2, 3), List.of(15, 0, 7), List.of(0, 0, 1), List.of(4, 4, 4)),
            List.of(BigInteger.valueOf(20), BigInteger.valueOf(6), BigInteger.valueOf(15))),
        new Case(Map.of("type", "histogram", "length", 5, "chunkLength", 2),
            new VdafInstance.Prio3Histogram(5, 2), List.of(0, 4, 4, 2, 4, 1, 0),
            List.of(2L, 1L, 1L, 0L, 3L)));
  }

  @Test
  void divviupDapUploadsArePandoAggregates() throws Exception {
    Path dapTs = Path.of("dap-ts").toAbsolutePath();
    NodeScripts.install(dapTs);
    Path dir = Files.createTempDirectory("pando-divviup-it-");
    try (LocalDeployment d = LocalDeployment.start(dir,
        Path.of(System.getProperty("pando.aggregator.jar")), 0, 0, Map.of())) {
      long now = System.currentTimeMillis() / 1000;
      long start = Math.floorDiv(now, TIME_PRECISION) * TIME_PRECISION;
      List<TaskId> ids = new ArrayList<>();
      List<Map<String, Object>> plan = new ArrayList<>();
      for (Case c : cases()) {
        TaskId id = TaskId.random();
        ids.add(id);
        Map<String, Object> vdaf = new LinkedHashMap<>();
        vdaf.put("type", c.vdaf().type());
        vdaf.putAll(c.vdaf().parameters());
        d.provision(id.toBase64Url(), vdaf, c.measurements().size());
        plan.add(Map.of("id", id.toBase64Url(), "leader", d.leader().uri().toString(),
            "helper", d.helper().uri().toString(), "timePrecisionSeconds", TIME_PRECISION,
            "spec", c.clientSpec(), "timestamp", now, "measurements", c.measurements()));
      }
      Path planFile = dir.resolve("plan.json");
      JSON.writeValue(planFile.toFile(), Map.of("tasks", plan));
      NodeScripts.Run run = NodeScripts.run(dapTs, 300, "node", "upload.mjs",
          planFile.toString());
      assertEquals(0, run.exitCode(), run.output());
      assertTrue(run.output().startsWith("@divviup/dap 0.9.1\n"), run.output());

      for (int i = 0; i < cases().size(); i++) {
        Case c = cases().get(i);
        Collector<?> collector = new Collector<>(ids.get(i), d.leader().uri(),
            d.state().collectorToken(), d.collectorKey(), c.vdaf().prio3());
        CollectionResult<?> r = collector.collect(
            Query.timeInterval(Interval.of(start, TIME_PRECISION)), Duration.ofMinutes(3), null);
        assertEquals(c.expected(), r.aggregate(), c.vdaf().type());
        assertEquals(c.measurements().size(), r.reportCount(), c.vdaf().type());
        assertEquals(Interval.of(start, TIME_PRECISION), r.interval(), c.vdaf().type());
      }
    } finally {
      DirectoryTrees.deleteQuietly(dir);
    }
  }
}
