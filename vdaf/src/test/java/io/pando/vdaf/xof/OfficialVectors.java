package io.pando.vdaf.xof;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Loads the official VDAF-08 XOF vectors from {@code ${pando.testvectors}/vdaf-08/}. They are flat
 * JSON objects of string and number fields, read here with a regular expression.
 */
final class OfficialVectors {
  private static final Pattern FIELD =
      Pattern.compile("\"([A-Za-z0-9_]+)\"\\s*:\\s*(?:\"([^\"]*)\"|(-?[0-9]+))");

  /** The Field128 modulus 2^128 - 28 * 2^64 + 1 (VDAF-08 §6.1.3). */
  static final BigInteger FIELD128_MODULUS = new BigInteger("ffffffffffffffe40000000000000001", 16);

  private OfficialVectors() {}

  /** The fields of {@code vdaf-08/<name>}; skips the calling test if the file is not there. */
  static Map<String, String> load(String name) throws IOException {
    String root = System.getProperty("vdaf.testvectors");
    Path file = root == null ? null : Path.of(root, "vdaf-08", name);
    Assumptions.assumeTrue(
        file != null && Files.isRegularFile(file),
        "official vector vdaf-08/" + name + " not found (pando.testvectors=" + root + "); the"
            + " official vectors come from github.com/cfrg/draft-irtf-cfrg-vdaf tag"
            + " draft-irtf-cfrg-vdaf-08 poc/test_vec/08");
    String json = Files.readString(file, StandardCharsets.UTF_8);
    Map<String, String> fields = new HashMap<>();
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      fields.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return fields;
  }

  /**
   * Asserts that no 16-byte little-endian chunk of {@code bytes} is rejected by Field128 sampling,
   * so the encoded vector equals the raw XOF stream.
   */
  static void assertNoField128Rejection(byte[] bytes) {
    for (int off = 0; off < bytes.length; off += 16) {
      byte[] be = new byte[16];
      for (int i = 0; i < 16; i++) {
        be[i] = bytes[off + 15 - i];
      }
      assertTrue(
          new BigInteger(1, be).compareTo(FIELD128_MODULUS) < 0,
          "element at byte " + off + " would be rejected");
    }
  }
}
