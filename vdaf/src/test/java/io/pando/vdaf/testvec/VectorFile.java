package io.pando.vdaf.testvec;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Reads an official vector file from {@code ${vdaf.testvectors}/vdaf-08/} or {@code vdaf-20/}
 * (set by the build from {@code pando.testvectors}; the files are read in place, never copied).
 * A small JSON
 * reader: objects become {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code
 * BigInteger}, strings {@code String}, and {@code null}, {@code true}, {@code false} themselves.
 */
public final class VectorFile {
  private final String text;
  private int pos;

  private VectorFile(String text) {
    this.text = text;
  }

  /** The parsed top-level object of {@code vdaf-08/<name>}; skips the test if it is absent. */
  public static Map<String, Object> load(String name) throws IOException {
    return load("vdaf-08", name);
  }

  /** The parsed top-level object of {@code vdaf-20/<name>}; skips the test if it is absent. */
  public static Map<String, Object> load20(String name) throws IOException {
    return load("vdaf-20", name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String folder, String name) throws IOException {
    String root = System.getProperty("vdaf.testvectors");
    Path file = root == null ? null : Path.of(root, folder, name);
    Assumptions.assumeTrue(file != null && Files.isRegularFile(file),
        "official vector " + folder + "/" + name + " not found (pando.testvectors=" + root + ")");
    return (Map<String, Object>) parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Parses one JSON value. */
  public static Object parse(String json) {
    VectorFile p = new VectorFile(json);
    Object v = p.value();
    p.skipSpace();
    if (p.pos != json.length()) {
      throw new IllegalArgumentException("trailing characters at " + p.pos);
    }
    return v;
  }

  public static byte[] hex(Object s) {
    return HexFormat.of().parseHex((String) s);
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object o) {
    return (Map<String, Object>) o;
  }

  /** A JSON number, or a decimal string (as IDPF betas are written). */
  public static BigInteger integer(Object o) {
    return o instanceof String s ? new BigInteger(s) : (BigInteger) o;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private void expect(char c) {
    skipSpace();
    if (pos >= text.length() || text.charAt(pos) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + pos);
    }
    pos++;
  }

  private Object value() {
    skipSpace();
    char c = text.charAt(pos);
    if (c == '{') {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      skipSpace();
      if (text.charAt(pos) == '}') {
        pos++;
        return m;
      }
      do {
        skipSpace();
        String key = string();
        expect(':');
        m.put(key, value());
        skipSpace();
      } while (text.charAt(pos++) == ',');
      if (text.charAt(pos - 1) != '}') {
        throw new IllegalArgumentException("expected '}' at " + (pos - 1));
      }
      return m;
    }
    if (c == '[') {
      pos++;
      List<Object> l = new ArrayList<>();
      skipSpace();
      if (text.charAt(pos) == ']') {
        pos++;
        return l;
      }
      do {
        l.add(value());
        skipSpace();
      } while (text.charAt(pos++) == ',');
      if (text.charAt(pos - 1) != ']') {
        throw new IllegalArgumentException("expected ']' at " + (pos - 1));
      }
      return l;
    }
    if (c == '"') {
      return string();
    }
    for (String word : new String[] {"null", "true", "false"}) {
      if (text.startsWith(word, pos)) {
        pos += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    int start = pos;
    while (pos < text.length()
        && (text.charAt(pos) == '-' || Character.isDigit(text.charAt(pos)))) {
      pos++;
    }
    if (start == pos) {
      throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
    }
    return new BigInteger(text.substring(start, pos));
  }

  /** A string without escapes (the vectors have none). */
  private String string() {
    expect('"');
    int end = text.indexOf('"', pos);
    String s = text.substring(pos, end);
    if (s.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("escapes are not supported");
    }
    pos = end + 1;
    return s;
  }
}
