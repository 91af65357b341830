package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.cli.CliRunner;
import io.pando.cli.keys.CollectorKeyFile;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import io.pando.vdaf.poplar1.Poplar1VerifyStep;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pando collect} and {@code pando heavy-hitters} of a Poplar1 task against a loopback leader. */
class Poplar1CollectCommandTest {
  private static final String TOKEN = "collector-Tok3n-do-not-print";
  private static final Interval INTERVAL = Interval.of(1_700_000_000L, 3600);
  private static final Poplar1 VDAF = new Poplar1(4);
  private static final List<Long> MEASUREMENTS =
      List.of(0b0110L, 0b0110L, 0b0110L, 0b0111L, 0b1000L, 0b1000L, 0b0001L);

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

  /** The Collection of a real two-round Poplar1 run over MEASUREMENTS at the parameter. */
  private byte[] collection(byte[] encodedParam) {
    try {
      Poplar1AggParam param = VDAF.decodeAggParam(encodedParam);
      byte[] verifyKey = new byte[16];
      List<Poplar1OutputShare> l = new ArrayList<>();
      List<Poplar1OutputShare> h = new ArrayList<>();
      for (long m : MEASUREMENTS) {
        byte[] nonce = new byte[16];
        nonce[0] = (byte) l.size();
        Poplar1Sharded s = VDAF.shard(BigInteger.valueOf(m), nonce);
        var a = VDAF.verifyInit(verifyKey, 0, param, nonce, s.publicShare(),
            s.inputShares().get(0));
        var b = VDAF.verifyInit(verifyKey, 1, param, nonce, s.publicShare(),
            s.inputShares().get(1));
        var m1 = VDAF.verifierSharesToMessage(param, List.of(a.share(), b.share()));
        var a2 = (Poplar1VerifyStep.Continue) VDAF.verifyNext(a.state(), m1);
        var b2 = (Poplar1VerifyStep.Continue) VDAF.verifyNext(b.state(), m1);
        var m2 = VDAF.verifierSharesToMessage(param, List.of(a2.share(), b2.share()));
        l.add(((Poplar1VerifyStep.Finish) VDAF.verifyNext(a2.state(), m2)).outputShare());
        h.add(((Poplar1VerifyStep.Finish) VDAF.verifyNext(b2.state(), m2)).outputShare());
      }
      byte[] aad = new AggregateShareAad<>(task, encodedParam,
          BatchSelector.timeInterval(INTERVAL)).encode();
      var sealer = Hpke.sealer(key.config());
      return new Collection<>(PartialBatchSelector.timeInterval(), MEASUREMENTS.size(), INTERVAL,
          sealer.seal(ApplicationInfo.aggregateShare(Role.LEADER),
              VDAF.encodeAggregateShare(VDAF.aggregate(param, l)), aad),
          sealer.seal(ApplicationInfo.aggregateShare(Role.HELPER),
              VDAF.encodeAggregateShare(VDAF.aggregate(param, h)), aad)).encode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private CliRunner.Result run(FakeLeader leader, String command, String... extra) {
    List<String> a = new ArrayList<>(List.of(command, "--task-id", task.toBase64Url(),
        "--leader", leader.url(), "--key-file", keyFile.toString(), "--vdaf", "Poplar1",
        "--bits", "4", "--interval-start", "1700000000", "--interval-duration", "3600"));
    a.addAll(Arrays.asList(extra));
    CliRunner.Result r = CliRunner.run(Map.of(CollectCommand.TOKEN_VARIABLE, TOKEN),
        a.toArray(String[]::new));
    assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN), r.toString());
    return r;
  }

  @Test
  void collectPrintsThePrefixCountsOfALevel() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      leader.collectionFor = this::collection;
      CliRunner.Result r = run(leader, "collect", "--level", "1", "--prefixes", "10,00,01");
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals(List.of(
          "VDAF:         Poplar1 (bits=4)",
          "Reports:      7",
          "Interval:     2023-11-14T22:13:20Z/PT1H (start 1700000000 s, duration 3600 s)",
          "Level:        1",
          "  00  1",
          "  01  4",
          "  10  2"), r.outLines());
      assertEquals(1, leader.aggregationParameters.size());
      assertEquals(Poplar1AggParam.of(1, 0, 1, 2),
          VDAF.decodeAggParam(leader.aggregationParameters.get(0)));
    }
  }

  @Test
  void badPoplar1OptionsAreUsageErrorsAndNothingIsSent() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      for (String[] bad : List.of(new String[] {"--level", "1"},
          new String[] {"--level", "1", "--prefixes", "0"},
          new String[] {"--level", "4", "--prefixes", "00000"},
          new String[] {"--level", "0", "--prefixes", "2"},
          new String[] {"--level", "0", "--prefixes", "0", "--json"})) {
        CliRunner.Result r = run(leader, "collect", bad);
        assertEquals(2, r.exitCode(), Arrays.toString(bad) + " " + r);
      }
      CliRunner.Result r = run(leader, "heavy-hitters", "--threshold", "2", "--level", "0");
      assertEquals(2, r.exitCode(), r.toString());
      assertTrue(leader.paths.isEmpty(), leader.paths.toString());
    }
  }

  @Test
  void theHelpSaysWhatTheTaskNeeds() {
    CliRunner.Result hh = CliRunner.run("heavy-hitters", "--help");
    assertEquals(0, hh.exitCode(), hh.toString());
    assertTrue(hh.out().contains("--threshold") && hh.out().contains("max_batch_query_count"),
        hh.out());
    CliRunner.Result collect = CliRunner.run("collect", "--help");
    assertTrue(collect.out().contains("--prefixes") && collect.out().contains("Poplar1"),
        collect.out());
    assertTrue(CliRunner.run("--help").out().contains("heavy-hitters"));
  }

  @Test
  void heavyHittersPrintEachLevelAndTheMeasurementsAtTheThreshold() throws Exception {
    try (FakeLeader leader = new FakeLeader()) {
      leader.notReadyPolls = 0;
      leader.collectionFor = this::collection;
      CliRunner.Result r = run(leader, "heavy-hitters", "--threshold", "2");
      assertEquals(0, r.exitCode(), r.toString());
      assertEquals(List.of(
          "VDAF:         Poplar1 (bits=4)",
          "Threshold:    2",
          "Level:        0", "  0  5", "  1  2",
          "Level:        1", "  00  1", "  01  4", "  10  2", "  11  0",
          "Level:        2", "  010  0", "  011  4", "  100  2", "  101  0",
          "Level:        3", "  0110  3", "  0111  1", "  1000  2", "  1001  0",
          "Heavy hitters: 2", "  0110  3", "  1000  2"), r.outLines());
      assertEquals(4, leader.aggregationParameters.size());
    }
  }
}
