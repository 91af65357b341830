package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.devstack.AggregatorProcess;
import io.pando.devstack.DirectoryTrees;
import io.pando.vdaf.prio3.Prio3;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Several replicas per role on one PostgreSQL and one Kafka: two leader API processes, two
 * leader driver processes and two helper processes, round-robin fronts before the leaders and
 * the helpers. One driver is SIGKILLed while it holds aggregation jobs. The collection must be
 * exact, every job must have been committed by exactly one lease (the fenced step commits the
 * database records), the jobs the dead driver held must have been finished by the other one,
 * and every API replica must have served requests.
 */
class ReplicasIT {
  static final int REPORTS = 1500;

  @Test
  void twoOfEachRoleWithADriverKilledAggregateEveryReportOnce() throws Exception {
    Path dir = Files.createTempDirectory("pando-replicas-");
    Path jar = Path.of("..", "aggregator", "target", "quarkus-app", "quarkus-run.jar")
        .toAbsolutePath().normalize();
    Map<String, String> env = Map.of(
        "PANDO_AGGREGATION_MAX_JOB_SIZE", "25",
        "PANDO_COLLECTION_WAIT_INTERVAL", "PT1S",
        "PANDO_JOBS_CONCURRENCY", "2");
    boolean passed = false;
    try (LocalDeployment d = LocalDeployment.start(dir, jar, 0, 0, env,
        new LocalDeployment.Topology(2, 2, 2))) {
      String id = LocalDeployment.newTaskId();
      d.provision(id, Map.of("type", "Prio3Count"), 1);
      TaskId task = TaskId.fromBase64Url(id);
      Prio3<Boolean, Long> vdaf = Prio3.count();
      DapClient<Boolean> client = new DapClient<>(new DapTask<>(task, d.leaderUri(),
          d.helperUri(), vdaf, Duration.ofSeconds(LocalDeployment.TIME_PRECISION)));
      Instant now = Instant.now();
      List<byte[]> bodies = new ArrayList<>();
      long trues = 0;
      for (int i = 0; i < REPORTS; i++) {
        boolean v = i % 3 == 0;
        trues += v ? 1 : 0;
        bodies.add(client.prepareReport(v, now).encode());
      }
      RawUploader.Result up = new RawUploader(new InetSocketAddress("127.0.0.1",
          d.leaderUri().getPort()), "/tasks/" + id + "/reports").upload(bodies, 8);
      assertEquals(REPORTS, up.created(), "every upload accepted");

      AggregatorProcess victim = d.drivers().get(0);
      AggregatorProcess survivor = d.drivers().get(1);
      String held = "SELECT count(*) FROM aggregation_jobs WHERE lease_holder = '"
          + victim.name() + "' AND state = 'IN_PROGRESS' AND lease_token IS NOT NULL"
          + " AND lease_expiry > now()";
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (count(d, held) == 0) {
        assertTrue(System.nanoTime() < deadline, victim.name() + " never held a job");
        Thread.sleep(10);
      }
      victim.kill();
      // Jobs still IN_PROGRESS under the dead driver's lease: it never committed them.
      List<String> orphaned = strings(d, "SELECT encode(aggregation_job_id, 'hex')"
          + " FROM aggregation_jobs WHERE lease_holder = '" + victim.name()
          + "' AND state = 'IN_PROGRESS'");
      System.out.println(victim.name() + " killed holding " + orphaned.size()
          + " aggregation jobs");
      assertFalse(orphaned.isEmpty(), "the driver died holding jobs");

      long tp = LocalDeployment.TIME_PRECISION;
      Interval interval = Interval.of(Math.floorDiv(now.getEpochSecond(), tp) * tp, tp);
      CollectionResult<Long> r = new Collector<>(task, d.leaderUri(),
          d.state().collectorToken(), d.collectorKey(), vdaf)
          .collect(Query.timeInterval(interval), java.time.Duration.ofMinutes(5), null);
      assertEquals(REPORTS, r.reportCount());
      assertEquals(trues, r.aggregate());

      assertEquals(0, count(d, "SELECT count(*) FROM aggregation_jobs WHERE state <> 'FINISHED'"));
      assertEquals(0, count(d, "SELECT count(*) FROM aggregation_jobs WHERE step_commits <> 1"),
          "every job committed by exactly one lease");
      assertEquals(0, count(d, "SELECT count(*) FROM aggregation_jobs"
          + " WHERE committed_by IS NULL OR committed_by <> lease_holder"),
          "each job's commit came from its last lease holder");
      for (String job : orphaned) {
        assertEquals(1, count(d, "SELECT count(*) FROM aggregation_jobs WHERE"
            + " aggregation_job_id = decode('" + job + "', 'hex') AND committed_by = '"
            + survivor.name() + "' AND lease_attempts >= 2"), "job " + job + " taken over");
      }
      for (AggregatorProcess p : d.leaders()) {
        assertTrue(metric(p, "pando_uploads_total") > 0, p.name() + " took uploads");
      }
      for (AggregatorProcess p : d.helpers()) {
        assertTrue(metric(p, "pando_helper_reports_total") > 0, p.name() + " prepared reports");
      }
      passed = true;
    } finally {
      if (passed) {
        DirectoryTrees.delete(dir);
      } else {
        System.out.println("kept for inspection: " + dir);
      }
    }
  }

  private static long count(LocalDeployment d, String sql) throws SQLException {
    return Long.parseLong(strings(d, sql).get(0));
  }

  private static List<String> strings(LocalDeployment d, String sql) throws SQLException {
    try (Connection c = d.stack().postgres().connect(d.leader().database());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  /** The sum of a counter's samples in the process's Prometheus output. */
  private static double metric(AggregatorProcess p, String name) throws Exception {
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} ([0-9.eE+-]+)$")
        .matcher(p.get("q/metrics"));
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
