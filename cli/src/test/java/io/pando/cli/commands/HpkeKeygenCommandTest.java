package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.cli.CliRunner;
import io.pando.cli.keys.CollectorKeyFile;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HpkeKeygenCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** The key file's two members, decoded, as HpkeKeypair.of takes them. */
  private static HpkeKeypair load(String json) throws Exception {
    JsonNode node = JSON.readTree(json);
    Iterator<String> names = node.fieldNames();
    assertEquals("config", names.next());
    assertEquals("private_key", names.next());
    assertTrue(!names.hasNext(), "only config and private_key: " + json);
    HpkeConfig config = HpkeConfig.decode(
        Base64.getUrlDecoder().decode(node.get("config").asText()));
    return HpkeKeypair.of(config, SecretBytes.copyOf(
        Base64.getUrlDecoder().decode(node.get("private_key").asText())));
  }

  /** The key opens what is sealed to its config. */
  private static void assertWorks(HpkeKeypair key) throws Exception {
    byte[] aad = {1, 2, 3};
    byte[] message = "aggregate share".getBytes(StandardCharsets.UTF_8);
    ApplicationInfo info = ApplicationInfo.aggregateShare(Role.LEADER);
    HpkeCiphertext sealed = Hpke.sealer(key.config()).seal(info, message, aad);
    assertArrayEquals(message, key.open(info, sealed, aad));
  }

  @Test
  void writesAKeyFileThatLoadsAndPrintsTheConfig() throws Exception {
    Path file = dir.resolve("collector.json");
    CliRunner.Result r = CliRunner.run("hpke-keygen", "--id", "7", "--out", file.toString());
    assertEquals(0, r.exitCode(), r.toString());

    String json = Files.readString(file);
    HpkeKeypair key = load(json);
    assertEquals(HpkeConfigId.of(7), key.config().id());
    assertEquals(HpkeSuite.X25519_SHA256_AES128GCM, HpkeSuite.of(key.config()));
    assertWorks(key);
    assertWorks(CollectorKeyFile.read(file));

    // stdout is exactly the config, which decodes to the key file's config.
    String printed = r.out().strip();
    assertEquals(JSON.readTree(json).get("config").asText(), printed);
    assertEquals(key.config(), HpkeConfig.decode(Base64.getUrlDecoder().decode(printed)));
    assertTrue(r.err().contains("collector_hpke_config"), r.err());
    assertTrue(r.err().contains(file.toString()), r.err());

    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(file)));
    }
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    Path file = dir.resolve("k.json");
    assertEquals(0, CliRunner.run("hpke-keygen", "--out", file.toString()).exitCode());
    String first = Files.readString(file);

    CliRunner.Result again = CliRunner.run("hpke-keygen", "--out", file.toString());
    assertEquals(1, again.exitCode(), again.toString());
    assertTrue(again.err().contains("already exists"), again.err());
    assertTrue(again.err().contains("--force"), again.err());
    assertEquals("", again.out());
    assertEquals(first, Files.readString(file));

    CliRunner.Result forced = CliRunner.run("hpke-keygen", "--out", file.toString(), "--force");
    assertEquals(0, forced.exitCode(), forced.toString());
    assertNotEquals(first, Files.readString(file));
    assertWorks(load(Files.readString(file)));
  }

  @Test
  void p256AndChaCha20Poly1305() throws Exception {
    Path file = dir.resolve("p256.json");
    CliRunner.Result r = CliRunner.run("hpke-keygen", "--kem", "p256", "--aead",
        "chacha20poly1305", "--id", "255", "--out", file.toString());
    assertEquals(0, r.exitCode(), r.toString());
    HpkeKeypair key = load(Files.readString(file));
    assertEquals(HpkeSuite.P256_SHA256_CHACHA20POLY1305, HpkeSuite.of(key.config()));
    assertEquals(HpkeConfigId.of(255), key.config().id());
    assertEquals(65, key.config().publicKey().length()); // uncompressed P-256 point
    assertWorks(key);
  }

  @Test
  void withoutOutTheKeyFileGoesToStdoutWithAWarning() throws Exception {
    CliRunner.Result r = CliRunner.run("hpke-keygen", "--kem", "P256");
    assertEquals(0, r.exitCode(), r.toString());
    HpkeKeypair key = load(r.out());
    assertEquals(HpkeSuite.P256_SHA256_AES128GCM, HpkeSuite.of(key.config()));
    assertWorks(key);
    assertTrue(r.err().contains("PRIVATE key"), r.err());
    assertTrue(r.err().contains(CollectorKeyFile.configBase64Url(key.config())), r.err());
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertEquals(2, CliRunner.run("hpke-keygen", "--id", "256").exitCode());
    assertEquals(2, CliRunner.run("hpke-keygen", "--id", "-1").exitCode());
    CliRunner.Result kem = CliRunner.run("hpke-keygen", "--kem", "x448");
    assertEquals(2, kem.exitCode());
    assertTrue(kem.err().contains("x25519, p256"), kem.err());
    assertEquals(2, CliRunner.run("hpke-keygen", "--aead", "aes256gcm").exitCode());
  }

  @Test
  void missingDirectoryFails() {
    CliRunner.Result r = CliRunner.run("hpke-keygen", "--out",
        dir.resolve("no/such/dir/k.json").toString());
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("no such directory"), r.err());
  }
}
