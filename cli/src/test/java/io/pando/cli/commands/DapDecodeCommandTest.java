package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.cli.CliRunner;
import io.pando.cli.decode.MessageType;
import io.pando.cli.decode.MessageTypes;
import io.pando.codec.DecodeException;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pando dap-decode}. */
class DapDecodeCommandTest {
  @TempDir
  Path dir;

  /** A report as a DAP-09 client builds it: a Prio3Count shard sealed to both aggregators. */
  private static Report report(ReportId id) throws Exception {
    TaskId task = TaskId.random();
    HpkeKeypair leader = HpkeKeypair.generate(HpkeConfigId.of(1),
        HpkeSuite.X25519_SHA256_AES128GCM);
    HpkeKeypair helper = HpkeKeypair.generate(HpkeConfigId.of(2),
        HpkeSuite.P256_SHA256_AES128GCM);
    Prio3<Boolean, Long> vdaf = Prio3.count();
    Sharded s = vdaf.shard(true, id.bytes());
    ReportMetadata metadata = new ReportMetadata(id, Time.ofSeconds(1_700_000_000L));
    byte[] publicShare = vdaf.encodePublicShare(s.publicShare());
    byte[] aad = new InputShareAad(task, metadata, publicShare).encode();
    HpkeCiphertext l = Hpke.sealer(leader.config()).seal(ApplicationInfo.inputShare(Role.LEADER),
        new PlaintextInputShare(List.of(), vdaf.encodeInputShare(s.inputShares().get(0)))
            .encode(), aad);
    HpkeCiphertext h = Hpke.sealer(helper.config()).seal(ApplicationInfo.inputShare(Role.HELPER),
        new PlaintextInputShare(List.of(), vdaf.encodeInputShare(s.inputShares().get(1)))
            .encode(), aad);
    return new Report(metadata, publicShare, l, h);
  }

  private static void assertReportPrinted(Report report, int length, String out) {
    List<String> lines = out.lines().toList();
    assertEquals("Report (" + length + " bytes)", lines.get(0), out);
    assertTrue(lines.contains("  metadata: ReportMetadata"), out);
    assertTrue(lines.contains("    reportId: " + report.metadata().reportId().toBase64Url()),
        out);
    assertTrue(lines.contains("    time: 1700000000 (2023-11-14T22:13:20Z)"), out);
    assertTrue(lines.contains("  publicShare: 0 bytes"), out); // Count has no joint randomness
    assertTrue(lines.contains("  leaderEncryptedInputShare: HpkeCiphertext"), out);
    assertTrue(lines.contains("    configId: 1"), out);
    assertTrue(lines.contains("    configId: 2"), out);
    byte[] enc = report.leaderEncryptedInputShare().encapsulatedKey();
    assertTrue(lines.contains("    encapsulatedKey: 32 bytes " + HexFormat.of().formatHex(enc)),
        out);
    byte[] payload = report.leaderEncryptedInputShare().payload();
    assertTrue(lines.contains("    payload: " + payload.length + " bytes "
        + HexFormat.of().formatHex(payload, 0, 16) + "..."), out);
    // The helper's encapsulated key is an uncompressed P-256 point, longer than 32 bytes.
    assertTrue(out.contains("    encapsulatedKey: 65 bytes "), out);
  }

  @Test
  void decodesAReportFromAFile() throws Exception {
    Report report = report(ReportId.random());
    byte[] encoded = report.encode();
    Path file = dir.resolve("report.bin");
    Files.write(file, encoded);
    CliRunner.Result r = CliRunner.run("dap-decode", "--type", "report", file.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("", r.err());
    assertReportPrinted(report, encoded.length, r.out());
  }

  @Test
  void decodesHexAndBase64FromStdin() throws Exception {
    Report report = report(ReportId.random());
    byte[] encoded = report.encode();
    String hex = HexFormat.of().formatHex(encoded).replaceAll("(.{64})", "$1\n");
    CliRunner.Result fromHex = CliRunner.run(Map.of(), hex.getBytes(StandardCharsets.US_ASCII),
        "dap-decode", "--type", "report", "--hex");
    assertEquals(0, fromHex.exitCode(), fromHex.toString());
    assertReportPrinted(report, encoded.length, fromHex.out());

    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
    CliRunner.Result fromBase64 = CliRunner.run(Map.of(), b64.getBytes(StandardCharsets.US_ASCII),
        "dap-decode", "--type", "media:application/dap-report", "--base64", "-");
    assertEquals(0, fromBase64.exitCode(), fromBase64.toString());
    assertEquals(fromHex.out(), fromBase64.out());
  }

  @Test
  void garbageExits1WithTheDecodeError() throws Exception {
    byte[] garbage = {0x01, 0x02, 0x03};
    DecodeException expected = assertThrows(DecodeException.class, () -> Report.decode(garbage));
    CliRunner.Result r = CliRunner.run(Map.of(), garbage, "dap-decode", "--type", "report");
    assertEquals(1, r.exitCode(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().contains("not a valid report: " + expected.getMessage()), r.err());

    // A valid report with a trailing byte.
    byte[] encoded = report(ReportId.random()).encode();
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
    CliRunner.Result trailing = CliRunner.run(Map.of(), longer, "dap-decode", "--type",
        "report");
    assertEquals(1, trailing.exitCode(), trailing.toString());
    assertTrue(trailing.err().contains("trailing"), trailing.err());

    CliRunner.Result badHex = CliRunner.run(Map.of(), "0g".getBytes(StandardCharsets.US_ASCII),
        "dap-decode", "--type", "report", "--hex");
    assertEquals(1, badHex.exitCode(), badHex.toString());
    assertTrue(badHex.err().contains("not hex"), badHex.err());
  }

  @Test
  void decodesACollectionAndACollectionReq() throws Exception {
    BatchId batch = BatchId.random();
    HpkeCiphertext ct = new HpkeCiphertext(HpkeConfigId.of(9), new byte[] {1}, new byte[] {2, 3});
    byte[] collection = new Collection<>(PartialBatchSelector.fixedSize(batch), 12,
        Interval.of(1_700_000_000L, 60), ct, ct).encode();
    CliRunner.Result r = CliRunner.run(Map.of(), collection, "dap-decode", "--type",
        "collection");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("  partialBatchSelector: PartialBatchSelector.FixedSize\n"
        + "    batchId: " + batch.toBase64Url() + "\n"
        + "  reportCount: 12\n"
        + "  interval: Interval\n"
        + "    start: 1700000000 (2023-11-14T22:13:20Z)\n"
        + "    duration: 60s\n"), r.out());
    assertTrue(r.out().contains("    encapsulatedKey: 1 byte 01\n    payload: 2 bytes 0203\n"),
        r.out());

    byte[] req = new CollectionReq<>(Query.currentBatch(), new byte[0]).encode();
    CliRunner.Result q = CliRunner.run(Map.of(), HexFormat.of().formatHex(req)
        .getBytes(StandardCharsets.US_ASCII), "dap-decode", "--type",
        "media:application/dap-collect-req", "--hex");
    assertEquals(0, q.exitCode(), q.toString());
    assertTrue(q.out().contains("fixedSizeQuery: FixedSizeQuery.CurrentBatch"), q.out());
  }

  @Test
  void decodesAnHpkeConfigList() throws Exception {
    HpkeKeypair k = HpkeKeypair.generate(HpkeConfigId.of(4), HpkeSuite.X25519_SHA256_AES128GCM);
    byte[] list = new HpkeConfigList(List.of(k.config(), k.config())).encode();
    CliRunner.Result r = CliRunner.run(Map.of(), list, "dap-decode", "--type",
        "hpke-config-list");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("  configs: 2 items\n    [0]: HpkeConfig\n      id: 4\n"
        + "      kemId: X25519_HKDF_SHA256(0x0020)\n"), r.out());
  }

  @Test
  void listsTheTypes() {
    CliRunner.Result r = CliRunner.run("dap-decode", "--type", "list");
    assertEquals(0, r.exitCode(), r.toString());
    List<String> names = r.out().lines().map(String::strip).map(l -> l.split("\\s+")[0])
        .toList();
    for (String t : List.of("report", "hpke-config", "hpke-config-list",
        "aggregation-job-init-req", "aggregation-job-continue-req", "aggregation-job-resp",
        "collection-req", "collection", "aggregate-share-req", "aggregate-share",
        "plaintext-input-share", "input-share-aad", "aggregate-share-aad", "problem-document")) {
      assertTrue(names.contains(t), t + " in\n" + r.out());
    }
    assertTrue(r.out().contains("application/dap-aggregation-job-init-req"), r.out());
  }

  @Test
  void unknownTypesAreUsageErrors() {
    CliRunner.Result r = CliRunner.run("dap-decode", "--type", "poplar1");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--type list"), r.err());
    assertEquals(2, CliRunner.run("dap-decode", "--type", "media:text/plain").exitCode());
    assertEquals(2, CliRunner.run("dap-decode", "--type", "report", "--hex", "--base64")
        .exitCode());
    assertEquals(2, CliRunner.run("dap-decode", "--type", "report",
        dir.resolve("missing").toString()).exitCode());
  }

  @Test
  void everyMediaTypeHasItsMessage() throws Exception {
    for (Field f : MediaTypes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String media = (String) f.get(null);
        MessageType t = MessageTypes.find("media:" + media).orElseThrow(
            () -> new AssertionError("no type for " + media));
        assertEquals(media, t.mediaType().orElseThrow());
        // Parameters and case do not matter.
        assertEquals(t, MessageTypes.find("MEDIA:" + media.toUpperCase() + "; charset=utf-8")
            .orElseThrow());
      }
    }
  }

  /** Every class of the messages package with a public static decode(byte[]) is listed. */
  @Test
  void everyDecodableMessageClassIsListed() throws Exception {
    List<Class<?>> registered = new ArrayList<>();
    MessageTypes.all().forEach(t -> registered.add(t.javaType()));
    List<String> missing = new ArrayList<>();
    List<String> classes = messageClassNames();
    assertTrue(classes.size() > 30, "found the message classes: " + classes);
    for (String name : classes) {
      Class<?> c = Class.forName(name);
      if (!Modifier.isPublic(c.getModifiers())) {
        continue;
      }
      Method decode;
      try {
        decode = c.getMethod("decode", byte[].class);
      } catch (NoSuchMethodException e) {
        continue;
      }
      if (Modifier.isStatic(decode.getModifiers()) && decode.getDeclaringClass() == c
          && !registered.contains(c)) {
        missing.add(c.getName());
      }
    }
    assertEquals(List.of(), missing);
  }

  private static List<String> messageClassNames() throws IOException, URISyntaxException {
    Path source = Path.of(Report.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    String pkg = "io/pando/dap/messages/";
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.list(source.resolve(pkg))) {
        files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".class") && !n.contains("$"))
            .forEach(n -> names.add("io.pando.dap.messages." + n.replace(".class", "")));
      }
    } else {
      try (JarFile jar = new JarFile(source.toFile())) {
        for (JarEntry e : Collections.list(jar.entries())) {
          String n = e.getName();
          if (n.startsWith(pkg) && n.endsWith(".class") && !n.contains("$")
              && n.indexOf('/', pkg.length()) < 0) {
            names.add(n.replace('/', '.').replace(".class", ""));
          }
        }
      }
    }
    return names;
  }
}
