package io.pando.core.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reports built by this code base (Prio3 sharding, PlaintextInputShare without extensions, HPKE
 * sealing to each aggregator's config) go through the same decoding, decryption and preparation
 * as the client's uploads in {@link DivviupDapClientReportsTest}, and lay out their bytes as
 * DAP-09 §4.4.2 says.
 */
class OwnReportsRoundTripTest {
  /** 2024-07-02T00:00:00Z, a multiple of the fixtures' one-hour time precision. */
  private static final Time TIME = Time.ofSeconds(1719878400L);

  /**
   * A VDAF, the measurements the fixture of the same name uploads, their aggregate, and what
   * unshard gives for a batch of one measurement.
   */
  record Case<M>(String fixture, Prio3<M, ?> prio3, List<M> measurements, Object expected,
      Function<M, Object> resultOfOne) {
    @Override
    public String toString() {
      return fixture;
    }
  }

  static Stream<Case<?>> cases() {
    return Stream.of(
        new Case<>("prio3count", Prio3.count(), List.of(true, false, true, true, false), 3L,
            m -> m ? 1L : 0L),
        new Case<>("prio3sum", Prio3.sum(8), List.of(0L, 1L, 42L, 200L, 255L),
            BigInteger.valueOf(498), BigInteger::valueOf),
        new Case<>("prio3sumvec", Prio3.sumVec(4, 2, 2),
            List.of(List.of(0L, 1L, 2L, 3L), List.of(3L, 3L, 3L, 3L), List.of(0L, 0L, 0L, 0L),
                List.of(1L, 0L, 2L, 1L), List.of(2L, 2L, 1L, 0L)),
            bigIntegers(6, 6, 8, 7),
            m -> bigIntegers(m.stream().mapToLong(Long::longValue).toArray())),
        new Case<>("prio3histogram", Prio3.histogram(4, 2), List.of(0, 1, 3, 3, 2),
            List.of(1L, 1L, 1L, 2L), OwnReportsRoundTripTest::oneHot));
  }

  private static List<Long> oneHot(int bucket) {
    List<Long> out = new ArrayList<>(List.of(0L, 0L, 0L, 0L));
    out.set(bucket, 1L);
    return out;
  }

  static Stream<Arguments> casesAndSuites() {
    List<Arguments> out = new ArrayList<>();
    for (Case<?> c : cases().toList()) {
      for (HpkeSuite suite : List.of(HpkeSuite.X25519_SHA256_AES128GCM,
          HpkeSuite.X25519_SHA256_CHACHA20POLY1305, HpkeSuite.P256_SHA256_AES128GCM,
          HpkeSuite.P256_SHA256_CHACHA20POLY1305)) {
        out.add(Arguments.of(c, suite));
      }
    }
    return out.stream();
  }

  private static List<BigInteger> bigIntegers(long... values) {
    List<BigInteger> out = new ArrayList<>();
    for (long v : values) {
      out.add(BigInteger.valueOf(v));
    }
    return out;
  }

  /** A client's upload: shard, wrap each input share, seal it to its aggregator, encode. */
  static <M> byte[] upload(TaskId taskId, Prio3<M, ?> prio3, M measurement, Time time,
      HpkeConfig leader, HpkeConfig helper) throws HpkeException {
    ReportId reportId = ReportId.random();
    Sharded sharded = prio3.shard(measurement, reportId.bytes());
    byte[] publicShare = prio3.encodePublicShare(sharded.publicShare());
    ReportMetadata metadata = new ReportMetadata(reportId, time);
    byte[] aad = new InputShareAad(taskId, metadata, publicShare).encode();
    HpkeCiphertext toLeader = Hpke.sealer(leader).seal(ApplicationInfo.inputShare(Role.LEADER),
        new PlaintextInputShare(List.of(),
            prio3.encodeInputShare(sharded.inputShares().get(0))).encode(),
        aad);
    HpkeCiphertext toHelper = Hpke.sealer(helper).seal(ApplicationInfo.inputShare(Role.HELPER),
        new PlaintextInputShare(List.of(),
            prio3.encodeInputShare(sharded.inputShares().get(1))).encode(),
        aad);
    return new Report(metadata, publicShare, toLeader, toHelper).encode();
  }

  private static <M> List<Report> uploadAll(Case<M> c, TaskId taskId, HpkeConfig leader,
      HpkeConfig helper) throws HpkeException, DecodeException {
    List<Report> reports = new ArrayList<>();
    for (M m : c.measurements()) {
      reports.add(Report.decode(upload(taskId, c.prio3(), m, TIME, leader, helper)));
    }
    return reports;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsToTheFixtureAggregatorsAggregateLikeTheClients(Case<?> c) throws Exception {
    ClientFixture fixture = ClientFixture.load(c.fixture());
    assertEquals(fixture.expectedAggregate(), c.expected());
    TwoAggregators aggregators = fixture.aggregators();
    List<Report> reports =
        uploadAll(c, fixture.taskId(), fixture.config("leader"), fixture.config("helper"));
    assertEquals(c.expected(), aggregators.aggregate(reports));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsHaveTheSizesOfTheClients(Case<?> c) throws Exception {
    ClientFixture fixture = ClientFixture.load(c.fixture());
    TwoAggregators aggregators = fixture.aggregators();
    List<Report> ours =
        uploadAll(c, fixture.taskId(), fixture.config("leader"), fixture.config("helper"));
    for (int i = 0; i < ours.size(); i++) {
      Report theirs = Report.decode(fixture.uploads().get(i).body());
      Report own = ours.get(i);
      assertEquals(theirs.encode().length, own.encode().length);
      assertEquals(theirs.publicShare().length, own.publicShare().length);
      assertEquals(theirs.leaderEncryptedInputShare().payload().length,
          own.leaderEncryptedInputShare().payload().length);
      assertEquals(theirs.helperEncryptedInputShare().payload().length,
          own.helperEncryptedInputShare().payload().length);
      assertEquals(theirs.leaderEncryptedInputShare().configId(),
          own.leaderEncryptedInputShare().configId());
      assertEquals(theirs.helperEncryptedInputShare().configId(),
          own.helperEncryptedInputShare().configId());
      assertEquals(aggregators.aad(theirs).length, aggregators.aad(own).length);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("casesAndSuites")
  void everySuiteAggregatesAndEachReportPreparesToItsMeasurement(Case<?> c, HpkeSuite suite)
      throws Exception {
    checkEachReport(c, suite);
  }

  private static <M> void checkEachReport(Case<M> c, HpkeSuite suite) throws Exception {
    TaskId taskId = TaskId.random();
    HpkeKeypair leader = HpkeKeypair.generate(HpkeConfigId.of(1), suite);
    HpkeKeypair helper = HpkeKeypair.generate(HpkeConfigId.of(2), suite);
    TwoAggregators aggregators = new TwoAggregators(taskId, c.prio3(), leader, helper);
    List<Report> reports = uploadAll(c, taskId, leader.config(), helper.config());
    assertEquals(c.expected(), aggregators.aggregate(reports));
    byte[] verifyKey = aggregators.randomVerifyKey();
    Prio3<M, ?> prio3 = c.prio3();
    for (int i = 0; i < reports.size(); i++) {
      TwoAggregators.Prepared prepared = aggregators.prepare(reports.get(i), verifyKey);
      Object one = prio3.unshard(List.of(prio3.aggregate(List.of(prepared.leader())),
          prio3.aggregate(List.of(prepared.helper()))), 1);
      M measurement = c.measurements().get(i);
      assertEquals(c.resultOfOne().apply(measurement), one, "measurement " + measurement);
    }
  }

  // ---- Byte layout, sliced by hand against DAP-09 §4.4.2 ------------------------------------

  /** A cursor over encoded bytes that reads the TLS-syntax fields by hand. */
  private static final class Slicer {
    private final byte[] bytes;
    private int offset;

    Slicer(byte[] bytes) {
      this.bytes = bytes;
    }

    byte[] take(int n) {
      byte[] out = Arrays.copyOfRange(bytes, offset, offset + n);
      offset += n;
      return out;
    }

    int u8() {
      return take(1)[0] & 0xff;
    }

    int u16() {
      return ByteBuffer.wrap(take(2)).getShort() & 0xffff;
    }

    long u32() {
      return ByteBuffer.wrap(take(4)).getInt() & 0xffffffffL;
    }

    long u64() {
      return ByteBuffer.wrap(take(8)).getLong();
    }

    int offset() {
      return offset;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportBytesFollowTheDraftLayout(Case<?> c) throws Exception {
    ClientFixture fixture = ClientFixture.load(c.fixture());
    TaskId taskId = fixture.taskId();
    HpkeKeypair leader = fixture.keypair("leader");
    HpkeKeypair helper = fixture.keypair("helper");
    Prio3<?, ?> prio3 = c.prio3();
    byte[] body = uploadFirst(c, taskId, leader.config(), helper.config());
    Report report = Report.decode(body);

    // struct { ReportMetadata report_metadata; opaque public_share<0..2^32-1>;
    //          HpkeCiphertext leader_encrypted_input_share;
    //          HpkeCiphertext helper_encrypted_input_share; } Report;
    Slicer s = new Slicer(body);
    // ReportMetadata = ReportID report_id (opaque[16]) || Time time (uint64).
    byte[] reportId = s.take(16);
    assertArrayEquals(report.metadata().reportId().bytes(), reportId);
    byte[] timeBytes = Arrays.copyOfRange(body, 16, 24);
    assertEquals(TIME.seconds(), s.u64());
    // Times before 2^32 seconds have four zero high bytes, as the client writes them.
    assertArrayEquals(new byte[4], Arrays.copyOf(timeBytes, 4));
    assertEquals(24, s.offset());
    // opaque public_share<0..2^32-1>: a four-byte length, then the bytes.
    long publicShareLength = s.u32();
    assertEquals(prio3.usesJointRand() ? 2 * 16 : 0, publicShareLength);
    byte[] publicShare = s.take((int) publicShareLength);
    assertArrayEquals(report.publicShare(), publicShare);

    int[] expectedConfigIds = {1, 2};
    HpkeKeypair[] keys = {leader, helper};
    Role[] roles = {Role.LEADER, Role.HELPER};
    for (int agg = 0; agg < 2; agg++) {
      // HpkeCiphertext = HpkeConfigId config_id (uint8) || opaque enc<1..2^16-1>
      //                  || opaque payload<1..2^32-1>.
      int configId = s.u8();
      assertEquals(expectedConfigIds[agg], configId);
      int encLength = s.u16();
      assertEquals(32, encLength);
      byte[] enc = s.take(encLength);
      long payloadLength = s.u32();
      byte[] payload = s.take((int) payloadLength);
      HpkeCiphertext ct = agg == 0
          ? report.leaderEncryptedInputShare() : report.helperEncryptedInputShare();
      assertArrayEquals(ct.encapsulatedKey(), enc);
      assertArrayEquals(ct.payload(), payload);

      byte[] aad = aadByHand(taskId, reportId, timeBytes, publicShare);
      byte[] plaintext = keys[agg].open(ApplicationInfo.inputShare(roles[agg]),
          new HpkeCiphertext(HpkeConfigId.of(configId), enc, payload), aad);
      // AES-128-GCM appends a 16-byte tag.
      assertEquals(plaintext.length + 16, payload.length);

      // PlaintextInputShare = Extension extensions<0..2^16-1> || opaque payload<0..2^32-1>.
      Slicer p = new Slicer(plaintext);
      assertEquals(0, p.u16());
      long shareLength = p.u32();
      assertEquals(prio3.inputShareLength(agg), shareLength);
      byte[] share = p.take((int) shareLength);
      assertEquals(plaintext.length, p.offset());
      prio3.decodeInputShare(agg, share);
    }
    assertEquals(body.length, s.offset());
  }

  /**
   * InputShareAad = TaskID task_id (opaque[32]) || ReportMetadata report_metadata
   * || opaque public_share&lt;0..2^32-1&gt;, assembled by hand.
   */
  private static byte[] aadByHand(TaskId taskId, byte[] reportId, byte[] time,
      byte[] publicShare) {
    ByteBuffer b = ByteBuffer.allocate(32 + 16 + 8 + 4 + publicShare.length);
    b.put(taskId.bytes()).put(reportId).put(time).putInt(publicShare.length).put(publicShare);
    return b.array();
  }

  private static <M> byte[] uploadFirst(Case<M> c, TaskId taskId, HpkeConfig leader,
      HpkeConfig helper) throws HpkeException {
    return upload(taskId, c.prio3(), c.measurements().get(0), TIME, leader, helper);
  }

  @Test
  void theAadAssembledByHandEqualsInputShareAad() {
    TaskId taskId = TaskId.random();
    ReportId reportId = ReportId.random();
    byte[] publicShare = {1, 2, 3};
    byte[] time = ByteBuffer.allocate(8).putLong(TIME.seconds()).array();
    assertArrayEquals(aadByHand(taskId, reportId.bytes(), time, publicShare),
        new InputShareAad(taskId, new ReportMetadata(reportId, TIME), publicShare).encode());
  }
}
