package io.pando.cli.commands;

import io.pando.cli.CommandFailure;
import io.pando.cli.keys.CollectorKeyFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pando config-signing-keygen}: an ECDSA P-256 key that signs HPKE config lists. */
@Command(
    name = "config-signing-keygen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Generates the ECDSA P-256 key an aggregator signs its /hpke_config responses with"
          + " (pando.hpke.config-signing-key; aggregator/README.md, \"Signed config lists\").",
      "",
      "Writes the private key to --out (PKCS#8 PEM, mode 0600) and prints the public key"
          + " (X.509 PEM) on stdout: clients pin it (DapTask.withConfigKeys).",
      ""
    })
public final class ConfigSigningKeygenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "Write the private key here (mode 0600).")
  Path out;

  @Option(names = "--force", description = "Replace an existing --out file.")
  boolean force;

  @Override
  public Integer call() {
    KeyPair kp;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      kp = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CommandFailure("cannot generate a P-256 key: " + e.getMessage(), e);
    }
    boolean ownerOnly = CollectorKeyFile.write(out, pem("PRIVATE KEY",
        kp.getPrivate().getEncoded()), force);
    PrintWriter stderr = spec.commandLine().getErr();
    stderr.println("Wrote the signing key to " + out + (ownerOnly ? " (mode 0600)." : ".")
        + " Give it to the aggregator as PANDO_HPKE_CONFIG_SIGNING_KEY; the public key follows.");
    stderr.flush();
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(pem("PUBLIC KEY", kp.getPublic().getEncoded()));
    stdout.flush();
    return 0;
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
