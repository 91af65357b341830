package io.pando.cli.commands;

import io.pando.cli.CommandFailure;
import io.pando.cli.keys.CollectorKeyFile;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pando hpke-keygen}: a fresh HPKE key pair for a collector. */
@Command(
    name = "hpke-keygen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Generates a collector HPKE key pair (a task's collector_hpke_config).",
      "",
      "The aggregators encrypt their aggregate shares to the collector's HPKE config (DAP-09"
          + " §4.6.4); the collector decrypts them with the private key.",
      "",
      "With --out, writes the key file (JSON with the config and the private key, mode 0600) and"
          + " prints the base64url HpkeConfig on stdout: that is the collector_hpke_config of the"
          + " task on both aggregators. Without --out, prints the key file on stdout.",
      "The explanation goes to stderr, so $(pando hpke-keygen --out FILE) is just the config.",
      ""
    })
public final class HpkeKeygenCommand implements Callable<Integer> {

  /** The KEMs a collector key can use. */
  public enum Kem {
    X25519, P256;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The AEADs a collector key can use. */
  public enum Aead {
    AES128GCM, CHACHA20POLY1305;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--id", paramLabel = "N", defaultValue = "0",
      description = "The HPKE config id, 0..255 (default: ${DEFAULT-VALUE}).")
  int id;

  @Option(names = "--kem", paramLabel = "KEM", defaultValue = "x25519",
      description = "DHKEM: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); the KDF is"
          + " HKDF-SHA256.")
  Kem kem;

  @Option(names = "--aead", paramLabel = "AEAD", defaultValue = "aes128gcm",
      description = "AEAD: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Aead aead;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the key file here (mode 0600) instead of to stdout.")
  Path out;

  @Option(names = "--force", description = "Replace an existing --out file.")
  boolean force;

  static HpkeSuite suite(Kem kem, Aead aead) {
    return switch (kem) {
      case X25519 -> aead == Aead.AES128GCM ? HpkeSuite.X25519_SHA256_AES128GCM
          : HpkeSuite.X25519_SHA256_CHACHA20POLY1305;
      case P256 -> aead == Aead.AES128GCM ? HpkeSuite.P256_SHA256_AES128GCM
          : HpkeSuite.P256_SHA256_CHACHA20POLY1305;
    };
  }

  @Override
  public Integer call() {
    if (id < 0 || id > 255) {
      throw new ParameterException(spec.commandLine(),
          "--id must be between 0 and 255, not " + id);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    HpkeKeypair key;
    try {
      key = HpkeKeypair.generate(HpkeConfigId.of(id), suite(kem, aead));
    } catch (HpkeException e) {
      throw new CommandFailure("cannot generate the key pair: " + e.getMessage(), e);
    }
    HpkeConfig config = key.config();
    String configText = CollectorKeyFile.configBase64Url(config);
    String json = CollectorKeyFile.toJson(key);
    String about = "The HPKE config (id " + config.id() + ", " + config.kemId() + ", "
        + config.kdfId() + ", " + config.aeadId() + ")";
    String forAggregators = "is the task's collector_hpke_config on both aggregators:";
    if (out != null) {
      boolean ownerOnly = CollectorKeyFile.write(out, json, force);
      stderr.println("Wrote the collector key pair to " + out
          + (ownerOnly ? " (mode 0600)." : "."));
      stderr.println("It holds the private key: keep it safe; `pando collect --key-file " + out
          + "` reads it.");
      stderr.println(about);
      stderr.println(forAggregators);
      stderr.flush();
      stdout.println(configText);
      stdout.flush();
    } else {
      stderr.println("Warning: stdout holds the collector's PRIVATE key; store it in a file only"
          + " you can read,");
      stderr.println("or use --out FILE.");
      stderr.println(about);
      stderr.println(forAggregators);
      stderr.println(configText);
      stderr.flush();
      stdout.print(json);
      stdout.flush();
    }
    return 0;
  }
}
