package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.cli.CliRunner;
import io.pando.cli.keys.CollectorKeyFile;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pando collect} against a leader on loopback. */
class CollectCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "collector-Tok3n-do-not-print";
  private static final Interval INTERVAL = Interval.of(1_700_000_000L, 3600);
  private static final String FULL = "\u2588";

  @TempDir
  Path dir;

  private TaskId task;
  private HpkeKeypair key;
  private Path keyFile;

  @BeforeEach
  void setUp() throws Exception {
    task = TaskId.random();
    key = HpkeKeypair.generate(HpkeConfigId.of(3), HpkeSuite.X25519_SHA256_AES128GCM);
    keyFile = dir.resolve("collector.json");
    Files.writeString(keyFile, CollectorKeyFile.toJson(key));
  }

  /** The common options; {@code extra} adds the VDAF, the batch and the rest. */
  private List<String> args(FakeLeader leader, String... extra) {
    List<String> a = new ArrayList<>(List.of("collect", "--task-id", task.toBase64Url(),
        "--leader", leader.url(), "--key-file", keyFile.toString()));
    a.addAll(Arrays.asList(extra));
    return a;
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put(CollectCommand.TOKEN_VARIABLE, TOKEN);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static CliRunner.Result run(Map<String, String> env, List<String> args) {
    CliRunner.Result r = CliRunner.run(env, args.toArray(String[]::new));
    assertFalse(r.out().contains(TOKEN), "token on stdout: " + r);
    assertFalse(r.err().contains(TOKEN), "token on stderr: " + r);
    return r;
  }

  private void serveHistogram(FakeLeader leader) throws Exception {
    Prio3<Integer, List<Long>> vdaf = Prio3.histogram(3, 2);
    leader.collection.set(FakeLeader.collection(vdaf, task, key.config(),
        PartialBatchSelector.timeInterval(), BatchSelector.timeInterval(INTERVAL), INTERVAL, 4,
        FakeLeader.shares(vdaf, 0, 2, 2, 1)));
  }

  @Test
  void histogramAsTextWithBarsAndProgress() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      serveHistogram(leader);
      CliRunner.Result r = run(env("PANDO_STDERR_TTY", "1"), args(leader,
          "--vdaf", "Prio3Histogram", "--length", "3", "--chunk-length", "2",
          "--interval-start", "1700000000", "--interval-duration", "3600"));
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals(List.of(
          "VDAF:         Prio3Histogram (length=3, chunk_length=2)",
          "Reports:      4",
          "Interval:     2023-11-14T22:13:20Z/PT1H (start 1700000000 s, duration 3600 s)",
          "Aggregate:    [1, 1, 2]",
          "",
          "0  1 " + FULL.repeat(25),
          "1  1 " + FULL.repeat(25),
          "2  2 " + FULL.repeat(50)), r.outLines());

      // One line per poll that found the job not ready, then one when it is.
      List<String> progress = r.err().lines().toList();
      assertEquals(2, progress.size(), r.err());
      assertTrue(progress.get(0).matches(
          "collection job \\S+: not ready \\(poll 1\\), next poll in 0s, elapsed \\d+\\.\\ds"),
          progress.get(0));
      assertTrue(progress.get(1).startsWith("collection ready, elapsed "), progress.get(1));

      assertEquals(2, leader.polls.get());
      assertEquals(Query.timeInterval(INTERVAL), leader.lastQuery.get());
      assertEquals(List.of("Bearer " + TOKEN), leader.authorizations.stream().distinct()
          .toList());
      assertTrue(leader.paths.get(0).startsWith("PUT /dap/tasks/" + task.toBase64Url()
          + "/collection_jobs/"), leader.paths.toString());
    }
  }

  @Test
  void barsFollowTheTerminalWidth() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      serveHistogram(leader);
      CliRunner.Result r = run(env("COLUMNS", "40"), args(leader,
          "--vdaf", "histogram", "--length", "3", "--chunk-length", "2",
          "--interval-start", "1700000000", "--interval-duration", "3600"));
      assertEquals(0, r.exitCode(), r.toString());
      // 40 columns less "2  2 " and one spare column leave 34 for the longest bar.
      assertTrue(r.outLines().contains("2  2 " + FULL.repeat(34)), r.out());
      assertTrue(r.outLines().contains("0  1 " + FULL.repeat(17)), r.out());
      assertEquals("", r.err(), "no progress when stderr is not a terminal");
    }
  }

  @Test
  void fixedSizeSumVecAsJson() throws Exception {
    Prio3<List<Long>, List<BigInteger>> vdaf = Prio3.sumVec(3, 8, 2);
    BatchId batch = BatchId.random();
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    try (FakeLeader leader = new FakeLeader()) {
      leader.collection.set(FakeLeader.collection(vdaf, task, key.config(),
          PartialBatchSelector.fixedSize(batch), BatchSelector.fixedSize(batch), INTERVAL, 3,
          FakeLeader.shares(vdaf, List.of(255L, 0L, 7L), List.of(255L, 2L, 3L),
              List.of(1L, 0L, 0L))));
      CliRunner.Result r = run(env("PANDO_STDERR_TTY", "1"), args(leader,
          "--vdaf", "prio3sumvec", "--length", "3", "--bits", "8", "--chunk-length", "2",
          "--batch-id", batch.toBase64Url(), "--token-file", tokenFile.toString(), "--json",
          "--no-progress"));
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals("", r.err(), "--no-progress");

      JsonNode json = JSON.readTree(r.out());
      assertEquals("Prio3SumVec", json.get("vdaf").asText());
      assertEquals(3, json.get("vdaf_parameters").get("length").asInt());
      assertTrue(json.get("report_count").isIntegralNumber());
      assertEquals(3, json.get("report_count").asLong());
      assertEquals(1_700_000_000L, json.get("interval").get("start").asLong());
      assertEquals(3600, json.get("interval").get("duration").asLong());
      assertEquals(batch.toBase64Url(), json.get("batch_id").asText());
      JsonNode aggregate = json.get("aggregate");
      assertEquals(3, aggregate.size());
      List<BigInteger> values = new ArrayList<>();
      for (JsonNode n : aggregate) {
        assertTrue(n.isIntegralNumber(), n.toString());
        values.add(n.bigIntegerValue());
      }
      assertEquals(List.of(BigInteger.valueOf(511), BigInteger.TWO, BigInteger.TEN), values);
      assertEquals(Query.byBatchId(batch), leader.lastQuery.get());
      assertEquals(List.of("Bearer " + TOKEN), leader.authorizations.stream().distinct()
          .toList());
    }
  }

  @Test
  void currentBatchCountAsText() throws Exception {
    Prio3<Boolean, Long> vdaf = Prio3.count();
    BatchId batch = BatchId.random();
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      leader.collection.set(FakeLeader.collection(vdaf, task, key.config(),
          PartialBatchSelector.fixedSize(batch), BatchSelector.fixedSize(batch), INTERVAL, 3,
          FakeLeader.shares(vdaf, true, false, true)));
      CliRunner.Result r = run(Map.of(), args(leader, "--vdaf", "Prio3Count",
          "--current-batch", "--token", TOKEN));
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals(List.of(
          "VDAF:         Prio3Count",
          "Reports:      3",
          "Interval:     2023-11-14T22:13:20Z/PT1H (start 1700000000 s, duration 3600 s)",
          "Batch ID:     " + batch.toBase64Url(),
          "Aggregate:    2"), r.outLines());
      assertEquals(Query.currentBatch(), leader.lastQuery.get());
    }
  }

  /** A histogram whose helper share carries noise -1, -2, +1 (true counts 1, 1, 2). */
  private void serveNoisedHistogram(FakeLeader leader) throws Exception {
    Prio3<Integer, List<Long>> vdaf = Prio3.histogram(3, 2);
    var shares = FakeLeader.shares(vdaf, 0, 2, 2, 1);
    int[] noise = {-1, -2, 1};
    shares[1] = vdaf.addToAggregateShare(shares[1], i -> BigInteger.valueOf(noise[i]));
    leader.collection.set(FakeLeader.collection(vdaf, task, key.config(),
        PartialBatchSelector.timeInterval(), BatchSelector.timeInterval(INTERVAL), INTERVAL, 4,
        shares));
  }

  @Test
  void noisedHistogramSaysSoAndShowsNegativeCounts() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      serveNoisedHistogram(leader);
      CliRunner.Result r = run(env(), args(leader,
          "--vdaf", "Prio3Histogram", "--length", "3", "--chunk-length", "2",
          "--dp-strategy", "pure_dp_discrete_laplace:1/2",
          "--interval-start", "1700000000", "--interval-duration", "3600"));
      assertEquals(0, r.exitCode(), r.toString());
      List<String> lines = r.outLines();
      assertTrue(lines.contains("Noised:       pure DP, epsilon=1/2 per aggregator (discrete"
          + " Laplace, scale 2); entries may be negative"), r.out());
      assertTrue(lines.contains("Aggregate:    [0, -1, 3]"), r.out());
    }
    try (FakeLeader leader = new FakeLeader()) {
      serveNoisedHistogram(leader);
      CliRunner.Result r = run(env(), args(leader,
          "--vdaf", "Prio3Histogram", "--length", "3", "--chunk-length", "2",
          "--dp-strategy", "zcdp_discrete_gaussian:1/10", "--json",
          "--interval-start", "1700000000", "--interval-duration", "3600"));
      assertEquals(0, r.exitCode(), r.toString());
      JsonNode json = JSON.readTree(r.out());
      assertEquals("zcdp_discrete_gaussian", json.get("dp_strategy").get("type").asText());
      assertEquals("1/10", json.get("dp_strategy").get("rho").asText());
      assertEquals("zCDP, rho=1/10 per aggregator (discrete Gaussian, sigma^2 5)",
          json.get("dp_strategy").get("description").asText());
      assertEquals(-1, json.get("aggregate").get(1).asLong());
    }
  }

  @Test
  void aBadDpStrategyIsAUsageError() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      for (String bad : List.of("pure_dp_discrete_laplace:0", "laplace:1",
          "pure_dp_discrete_laplace", "zcdp_discrete_gaussian:0.1")) {
        CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count",
            "--dp-strategy", bad, "--interval-start", "1700000000",
            "--interval-duration", "3600"));
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--dp-strategy"), r.err());
      }
      assertEquals(0, leader.polls.get());
    }
  }

  @Test
  void sumAsJsonNumber() throws Exception {
    Prio3<Long, BigInteger> vdaf = Prio3.sum(32);
    try (FakeLeader leader = new FakeLeader()) {
      leader.collection.set(FakeLeader.collection(vdaf, task, key.config(),
          PartialBatchSelector.timeInterval(), BatchSelector.timeInterval(INTERVAL), INTERVAL, 2,
          FakeLeader.shares(vdaf, 4_000_000_000L, 4_000_000_000L)));
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Sum", "--bits", "32",
          "--interval-start", "1700000000", "--interval-duration", "3600", "--json"));
      assertEquals(0, r.exitCode(), r.toString());
      JsonNode json = JSON.readTree(r.out());
      assertTrue(json.get("aggregate").isIntegralNumber());
      assertEquals(new BigInteger("8000000000"), json.get("aggregate").bigIntegerValue());
      assertTrue(json.get("batch_id").isNull());
      assertTrue(json.get("dp_strategy").isNull());
    }
  }

  @Test
  void aRefusalShowsTheProblemAndExits1() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      leader.refuseWith = DapProblemType.INVALID_BATCH_SIZE;
      leader.refusalDetail = "the batch holds 3 reports, the task needs 10";
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count",
          "--interval-start", "1700000000", "--interval-duration", "3600"));
      assertEquals(1, r.exitCode(), r.toString());
      assertEquals("", r.out());
      assertTrue(r.err().contains("HTTP status:  400"), r.err());
      assertTrue(r.err().contains(
          "problem type: invalidBatchSize (urn:ietf:params:ppm:dap:error:invalidBatchSize)"),
          r.err());
      assertTrue(r.err().contains("detail:       the batch holds 3 reports, the task needs 10"),
          r.err());
    }
  }

  @Test
  void aTokenEchoedByTheLeaderIsMasked() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      leader.refuseWith = DapProblemType.UNAUTHORIZED_REQUEST;
      leader.refusalDetail = "bad token " + TOKEN;
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count", "--current-batch"));
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("detail:       bad token [token]"), r.err());
    }
  }

  @Test
  void anUnauthorizedRequestExits1() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      leader.refuseWith = DapProblemType.UNAUTHORIZED_REQUEST;
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count", "--current-batch"));
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("HTTP status:  403"), r.err());
      assertTrue(r.err().contains("unauthorizedRequest"), r.err());
    }
  }

  @Test
  void aResultForAnotherKeyExits1() throws Exception {
    HpkeKeypair other = HpkeKeypair.generate(HpkeConfigId.of(3),
        HpkeSuite.X25519_SHA256_AES128GCM);
    Prio3<Boolean, Long> vdaf = Prio3.count();
    try (FakeLeader leader = new FakeLeader()) {
      leader.collection.set(FakeLeader.collection(vdaf, task, other.config(),
          PartialBatchSelector.timeInterval(), BatchSelector.timeInterval(INTERVAL), INTERVAL, 1,
          FakeLeader.shares(vdaf, true)));
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count",
          "--interval-start", "1700000000", "--interval-duration", "3600"));
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("does not decrypt"), r.err());
    }
  }

  @Test
  void theTimeoutEndsTheWait() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = Integer.MAX_VALUE;
      leader.retryAfter = "30";
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count", "--current-batch",
          "--timeout", "2s"));
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("not ready after PT2S"), r.err());
    }
  }

  @Test
  void anUnreachableLeaderExits1() throws Exception {
    FakeLeader leader = new FakeLeader();
    leader.close();
    CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count", "--current-batch"));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("start collection failed"), r.err());
  }

  @Test
  void usageErrorsExit2() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      String[] interval = {"--interval-start", "1700000000", "--interval-duration", "3600"};
      // No token anywhere.
      CliRunner.Result noToken = run(Map.of(), args(leader, "--vdaf", "Prio3Count",
          "--current-batch"));
      assertEquals(2, noToken.exitCode(), noToken.toString());
      assertTrue(noToken.err().contains(CollectCommand.TOKEN_VARIABLE), noToken.err());
      // Both token options, with the token as a value: refused without echoing it.
      Path tokenFile = dir.resolve("token");
      Files.writeString(tokenFile, TOKEN);
      assertEquals(2, run(Map.of(), args(leader, "--vdaf", "Prio3Count", "--current-batch",
          "--token", TOKEN, "--token-file", tokenFile.toString())).exitCode());
      // VDAF parameters.
      CliRunner.Result noChunk = run(env(), args(leader, "--vdaf", "Prio3Histogram",
          "--length", "4", "--current-batch"));
      assertEquals(2, noChunk.exitCode());
      assertTrue(noChunk.err().contains("Prio3Histogram needs --chunk-length"), noChunk.err());
      CliRunner.Result extra = run(env(), args(leader, "--vdaf", "count", "--bits", "8",
          "--current-batch"));
      assertEquals(2, extra.exitCode());
      assertTrue(extra.err().contains("Prio3Count takes no --bits"), extra.err());
      assertEquals(2, run(env(), args(leader, "--vdaf", "Poplar1", "--current-batch"))
          .exitCode());
      // The batch: exactly one of the three forms.
      assertEquals(2, run(env(), args(leader, "--vdaf", "Prio3Count")).exitCode());
      assertEquals(2, run(env(), args(leader, "--vdaf", "Prio3Count", "--current-batch",
          "--batch-id", BatchId.random().toBase64Url())).exitCode());
      assertEquals(2, run(env(), args(leader, "--vdaf", "Prio3Count",
          "--interval-start", "1700000000")).exitCode());
      assertEquals(2, run(env(), args(leader, "--vdaf", "Prio3Count", "--batch-id", "short"))
          .exitCode());
      assertEquals(2, run(env(), args(leader, "--vdaf", "Prio3Count", "--interval-start", "0",
          "--interval-duration", "0")).exitCode());
      // Ids, URL, timeout, key file.
      List<String> badTask = args(leader, "--vdaf", "Prio3Count", "--current-batch");
      badTask.set(badTask.indexOf("--task-id") + 1, "not-a-task");
      assertEquals(2, run(env(), badTask).exitCode());
      List<String> badLeader = args(leader, "--vdaf", "Prio3Count", "--current-batch");
      badLeader.set(badLeader.indexOf("--leader") + 1, "ftp://leader/");
      assertEquals(2, run(env(), badLeader).exitCode());
      List<String> timeout = args(leader, "--vdaf", "Prio3Count", "--timeout", "soon");
      timeout.addAll(List.of(interval));
      assertEquals(2, run(env(), timeout).exitCode());
      List<String> noKey = args(leader, "--vdaf", "Prio3Count", "--current-batch");
      noKey.set(noKey.indexOf("--key-file") + 1, dir.resolve("missing.json").toString());
      assertEquals(2, run(env(), noKey).exitCode());
      assertEquals(0, leader.authorizations.size(), "no request was sent");
    }
  }

  @Test
  void aBrokenKeyFileExits1() throws Exception {
    Files.writeString(keyFile, "{\"config\": \"AAAA\"}");
    try (FakeLeader leader = new FakeLeader()) {
      CliRunner.Result r = run(env(), args(leader, "--vdaf", "Prio3Count", "--current-batch"));
      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("collector.json"), r.err());
    }
  }
}
