package io.pando.core.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pando.codec.DecodeException;
import io.pando.core.compat.ClientFixture.Upload;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.vdaf.pingpong.State;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Uploads captured from the published TypeScript client @divviup/dap 0.9.1 (DAP-09, VDAF-08),
 * in interop/fixtures/dap09-ts: each must decode strictly, decrypt with the aggregators' keys,
 * prepare through both aggregators and aggregate to the result the fixture states.
 */
class DivviupDapClientReportsTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<ClientFixture> fixtures() {
    return ClientFixture.CASES.stream().map(ClientFixture::load);
  }

  private static List<Report> decodeAll(ClientFixture fixture) throws DecodeException {
    List<Report> reports = new ArrayList<>();
    for (Upload upload : fixture.uploads()) {
      reports.add(Report.decode(upload.body()));
    }
    return reports;
  }

  @Test
  void everyFixtureFileIsCovered() throws IOException {
    Set<String> files;
    try (Stream<Path> list = Files.list(ClientFixture.directory())) {
      files = list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(new TreeSet<>(ClientFixture.CASES), files);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void theFixtureDescribesItsVdaf(ClientFixture fixture) {
    Prio3<?, ?> prio3 = fixture.prio3();
    assertEquals(fixture.root.get("vdaf").get("algorithm_id").asInt(), prio3.id());
    assertEquals(fixture.vdafName(), prio3.name());
    assertEquals(2, fixture.root.get("vdaf").get("shares").asInt());
    assertEquals(fixture.root.get("task_id").get("hex").asText(),
        HEX.formatHex(fixture.taskId().bytes()));
    assertEquals(5, fixture.uploads().size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void hpkeConfigListsAndKeys(ClientFixture fixture) throws Exception {
    int expectedId = 1;
    for (String role : List.of("leader", "helper")) {
      HpkeConfigList served =
          HpkeConfigList.decode(ClientFixture.hex(fixture.aggregator(role)
              .get("hpke_config_list_hex")));
      assertEquals(List.of(fixture.config(role)), served.configs(), role);
      assertEquals(Optional.of(fixture.config(role)), Hpke.firstSupported(served), role);
      HpkeKeypair keypair = fixture.keypair(role);
      assertEquals(HpkeConfigId.of(expectedId++), keypair.config().id(), role);
      assertEquals(HpkeSuite.X25519_SHA256_AES128GCM, HpkeSuite.of(keypair.config()), role);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void uploadsArePutsOfDapReportsToTheTaskReportsResource(ClientFixture fixture) {
    String leaderPath = URI.create(fixture.aggregator("leader").get("url").asText()).getPath();
    String expectedPath = leaderPath + "tasks/" + fixture.taskId().toBase64Url() + "/reports";
    assertTrue(expectedPath.endsWith("/tasks/" + fixture.taskId().toBase64Url() + "/reports"));
    for (Upload upload : fixture.uploads()) {
      assertEquals("PUT", upload.method());
      assertEquals(expectedPath, upload.path());
      assertEquals(MediaTypes.REPORT, upload.contentType());
      assertEquals(MediaTypes.REPORT, upload.headers().get("content-type").asText());
      assertEquals(upload.body().length, upload.headers().get("content-length").asInt());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void bodiesDecodeStrictlyAndReencodeToTheSameBytes(ClientFixture fixture)
      throws DecodeException {
    for (Upload upload : fixture.uploads()) {
      Report report = Report.decode(upload.body());
      assertArrayEquals(upload.body(), report.encode());
      JsonNode d = upload.decoded();
      assertEquals(d.get("report_id_hex").asText(),
          HEX.formatHex(report.metadata().reportId().bytes()));
      assertEquals(d.get("time").asLong(), report.metadata().time().seconds());
      assertEquals(0, report.metadata().time().seconds() % fixture.timePrecision());
      assertEquals(d.get("public_share_hex").asText(), HEX.formatHex(report.publicShare()));
      checkCiphertext(d.get("leader_encrypted_input_share"), report.leaderEncryptedInputShare());
      checkCiphertext(d.get("helper_encrypted_input_share"), report.helperEncryptedInputShare());
      assertEquals(HpkeConfigId.of(1), report.leaderEncryptedInputShare().configId());
      assertEquals(HpkeConfigId.of(2), report.helperEncryptedInputShare().configId());
    }
  }

  private static void checkCiphertext(JsonNode expected, HpkeCiphertext actual) {
    assertEquals(expected.get("config_id").asInt(), actual.configId().value());
    assertEquals(expected.get("enc_hex").asText(), HEX.formatHex(actual.encapsulatedKey()));
    assertEquals(expected.get("payload_hex").asText(), HEX.formatHex(actual.payload()));
    assertEquals(32, actual.encapsulatedKey().length);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void inputSharesDecryptWithEachAggregatorsKeyAndRole(ClientFixture fixture) throws Exception {
    TwoAggregators aggregators = fixture.aggregators();
    Prio3<?, ?> prio3 = fixture.prio3();
    for (Upload upload : fixture.uploads()) {
      Report report = Report.decode(upload.body());
      JsonNode d = upload.decoded();
      assertEquals(d.get("input_share_aad_hex").asText(), HEX.formatHex(aggregators.aad(report)));
      assertEquals(d.get("leader_input_share_info_hex").asText(),
          HEX.formatHex(ApplicationInfo.inputShare(Role.LEADER).bytes()));
      assertEquals(d.get("helper_input_share_info_hex").asText(),
          HEX.formatHex(ApplicationInfo.inputShare(Role.HELPER).bytes()));

      TwoAggregators.Opened opened = aggregators.open(report);
      assertEquals(d.get("leader_plaintext_input_share_hex").asText(),
          HEX.formatHex(opened.leader().encode()));
      assertEquals(d.get("helper_plaintext_input_share_hex").asText(),
          HEX.formatHex(opened.helper().encode()));
      assertEquals(d.get("leader_input_share_hex").asText(),
          HEX.formatHex(opened.leader().payload()));
      assertEquals(d.get("helper_input_share_hex").asText(),
          HEX.formatHex(opened.helper().payload()));
      assertEquals(prio3.inputShareLength(0), opened.leader().payload().length);
      assertEquals(prio3.inputShareLength(1), opened.helper().payload().length);
      assertEquals(opened.leader().encode().length + 16,
          report.leaderEncryptedInputShare().payload().length);
      assertEquals(opened.helper().encode().length + 16,
          report.helperEncryptedInputShare().payload().length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachReportPreparesToItsOwnMeasurement(ClientFixture fixture) throws Exception {
    TwoAggregators aggregators = fixture.aggregators();
    Prio3<?, ?> prio3 = aggregators.prio3();
    byte[] verifyKey = aggregators.randomVerifyKey();
    for (Upload upload : fixture.uploads()) {
      Report report = Report.decode(upload.body());
      TwoAggregators.Prepared prepared = aggregators.prepare(report, verifyKey);
      Object result = prio3.unshard(List.of(prio3.aggregate(List.of(prepared.leader())),
          prio3.aggregate(List.of(prepared.helper()))), 1);
      assertEquals(fixture.resultOfOne(upload.measurement()), result,
          "measurement " + upload.measurement());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void allReportsAggregateToTheExpectedResult(ClientFixture fixture) throws Exception {
    List<Report> reports = decodeAll(fixture);
    assertEquals(fixture.root.get("reports").size(), reports.size());
    assertEquals(fixture.expectedAggregate(), fixture.aggregators().aggregate(reports));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void sharesOpenOnlyForTheirOwnAggregatorAndRole(ClientFixture fixture) throws Exception {
    HpkeKeypair leader = fixture.keypair("leader");
    HpkeKeypair helper = fixture.keypair("helper");
    // The helper's key under the leader's config id: only the key differs.
    HpkeKeypair helperKeyAsLeader = HpkeKeypair.of(
        new HpkeConfig(leader.config().id(), helper.config().kemId(),
            helper.config().kdfId(), helper.config().aeadId(), helper.config().publicKey()),
        helper.privateKey());
    TwoAggregators aggregators = fixture.aggregators();
    for (Upload upload : fixture.uploads()) {
      Report report = Report.decode(upload.body());
      byte[] aad = aggregators.aad(report);
      HpkeCiphertext toLeader = report.leaderEncryptedInputShare();
      assertThrows(HpkeException.class,
          () -> leader.open(ApplicationInfo.inputShare(Role.HELPER), toLeader, aad));
      assertThrows(HpkeException.class,
          () -> helper.open(ApplicationInfo.inputShare(Role.LEADER), toLeader, aad));
      assertThrows(HpkeException.class,
          () -> helperKeyAsLeader.open(ApplicationInfo.inputShare(Role.LEADER), toLeader, aad));
      assertThrows(HpkeException.class, () -> leader.open(ApplicationInfo.inputShare(
          Role.LEADER), report.helperEncryptedInputShare(), aad));
      // The AAD binds the task: another task id does not open.
      byte[] otherTask = aad.clone();
      otherTask[0] ^= 1;
      assertThrows(HpkeException.class,
          () -> leader.open(ApplicationInfo.inputShare(Role.LEADER), toLeader, otherTask));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aFlippedPayloadByteDoesNotOpen(ClientFixture fixture) throws Exception {
    TwoAggregators aggregators = fixture.aggregators();
    HpkeKeypair leader = fixture.keypair("leader");
    HpkeKeypair helper = fixture.keypair("helper");
    Report report = Report.decode(fixture.uploads().get(0).body());
    byte[] aad = aggregators.aad(report);
    for (boolean toLeader : new boolean[] {true, false}) {
      HpkeCiphertext ct =
          toLeader ? report.leaderEncryptedInputShare() : report.helperEncryptedInputShare();
      HpkeKeypair keypair = toLeader ? leader : helper;
      ApplicationInfo info = ApplicationInfo.inputShare(toLeader ? Role.LEADER : Role.HELPER);
      byte[] payload = ct.payload();
      for (int i : new int[] {0, 1, payload.length / 2, payload.length - 17, payload.length - 1}) {
        byte[] bad = payload.clone();
        bad[i] ^= 0x01;
        HpkeCiphertext tampered =
            new HpkeCiphertext(ct.configId(), ct.encapsulatedKey(), bad);
        assertThrows(HpkeException.class, () -> keypair.open(info, tampered, aad),
            (toLeader ? "leader" : "helper") + " payload byte " + i);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aTamperedReportMetadataOrPublicShareDoesNotOpen(ClientFixture fixture) throws Exception {
    TwoAggregators aggregators = fixture.aggregators();
    Upload upload = fixture.uploads().get(0);
    byte[] body = upload.body();
    // Report id, time and (when present) the public share are all in the AAD.
    List<Integer> positions = new ArrayList<>(List.of(0, 15, 23));
    Report original = Report.decode(body);
    if (original.publicShare().length > 0) {
      positions.add(28);
    }
    for (int i : positions) {
      byte[] bad = body.clone();
      bad[i] ^= 0x01;
      Report tampered = Report.decode(bad);
      assertThrows(HpkeException.class, () -> aggregators.open(tampered), "byte " + i);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void truncatedOrExtendedBodiesDoNotDecode(ClientFixture fixture) {
    byte[] body = fixture.uploads().get(0).body();
    for (int length = 0; length < body.length; length++) {
      byte[] truncated = Arrays.copyOf(body, length);
      assertThrows(DecodeException.class, () -> Report.decode(truncated), "length " + length);
    }
    byte[] extended = Arrays.copyOf(body, body.length + 1);
    assertThrows(DecodeException.class, () -> Report.decode(extended));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aTamperedLeaderInputShareIsRejectedByPreparation(ClientFixture fixture) throws Exception {
    TwoAggregators aggregators = fixture.aggregators();
    byte[] verifyKey = aggregators.randomVerifyKey();
    for (Upload upload : fixture.uploads()) {
      Report report = Report.decode(upload.body());
      TwoAggregators.Opened opened = aggregators.open(report);
      byte[] leaderShare = opened.leader().payload();
      // The low byte of the first measurement share element (field elements are little-endian).
      leaderShare[0] ^= 0x01;
      TwoAggregators.Outcome outcome =
          aggregators.run(report, verifyKey, leaderShare, opened.helper().payload());
      boolean rejected = outcome.leader() instanceof State.Rejected
          || outcome.helper() instanceof State.Rejected;
      assertTrue(rejected, "leader " + outcome.leader() + ", helper " + outcome.helper());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void plaintextInputSharesHaveNoExtensions(ClientFixture fixture) throws Exception {
    TwoAggregators aggregators = fixture.aggregators();
    for (Upload upload : fixture.uploads()) {
      TwoAggregators.Opened opened = aggregators.open(Report.decode(upload.body()));
      for (PlaintextInputShare share : List.of(opened.leader(), opened.helper())) {
        byte[] encoded = share.encode();
        assertEquals(0, encoded[0]);
        assertEquals(0, encoded[1]);
        assertFalse(share.hasRepeatedExtensionType());
      }
    }
  }
}
