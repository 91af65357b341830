package io.pando.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.cli.CliRunner;
import io.pando.core.hpke.ConfigListSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSigningKeygenCommandTest {
  @TempDir
  Path dir;

  @Test
  void writesAPrivateKeyTheAggregatorReadsAndPrintsItsPublicHalf() throws Exception {
    Path file = dir.resolve("signing.pem");
    CliRunner.Result r = CliRunner.run("config-signing-keygen", "--out", file.toString());
    assertEquals(0, r.exitCode(), r.toString());
    String pem = Files.readString(file);
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.substring(0, 30));
    assertTrue(r.out().startsWith("-----BEGIN PUBLIC KEY-----\n"), r.out());
    PrivateKey priv = ConfigListSignature.privateKey(pem);
    PublicKey pub = ConfigListSignature.publicKey(r.out());
    byte[] body = {0, 1, 2};
    assertTrue(ConfigListSignature.verifies(pub, body, ConfigListSignature.sign(priv, body)));
    // An existing file is kept unless --force.
    CliRunner.Result again = CliRunner.run("config-signing-keygen", "--out", file.toString());
    assertNotEquals(0, again.exitCode());
    assertEquals(pem, Files.readString(file));
  }
}
