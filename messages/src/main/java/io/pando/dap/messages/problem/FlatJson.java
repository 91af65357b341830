package io.pando.dap.messages.problem;

import java.util.HashMap;
import java.util.Map;

/**
 * Just enough JSON (RFC 8259) for problem documents, so that clients need no JSON library: the
 * top-level members of one object, with string, number, boolean and null values; nested values
 * are skipped. Anything malformed yields an empty map.
 */
final class FlatJson {
  private final String s;
  private int i;

  private FlatJson(String s) {
    this.s = s;
  }

  static Map<String, Object> parseObject(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      FlatJson p = new FlatJson(json);
      Map<String, Object> out = p.object();
      p.ws();
      return p.i == json.length() ? out : Map.of();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Map.of();
    }
  }

  static void quote(StringBuilder sb, String v) {
    sb.append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private void expect(char c) {
    ws();
    if (s.charAt(i) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    i++;
  }

  private Map<String, Object> object() {
    Map<String, Object> out = new HashMap<>();
    expect('{');
    ws();
    if (s.charAt(i) == '}') {
      i++;
      return out;
    }
    while (true) {
      ws();
      String key = string();
      expect(':');
      Object v = value();
      if (v != SKIPPED) {
        out.put(key, v);
      }
      ws();
      char c = s.charAt(i++);
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        throw new IllegalArgumentException("expected , or }");
      }
    }
  }

  private static final Object SKIPPED = new Object();

  private Object value() {
    ws();
    char c = s.charAt(i);
    if (c == '"') {
      return string();
    }
    if (c == '{' || c == '[') {
      skipNested();
      return SKIPPED;
    }
    if (s.startsWith("true", i)) {
      i += 4;
      return Boolean.TRUE;
    }
    if (s.startsWith("false", i)) {
      i += 5;
      return Boolean.FALSE;
    }
    if (s.startsWith("null", i)) {
      i += 4;
      return SKIPPED;
    }
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    if (start == i) {
      throw new IllegalArgumentException("bad value");
    }
    return Double.parseDouble(s.substring(start, i));
  }

  private void skipNested() {
    int depth = 0;
    do {
      char c = s.charAt(i);
      if (c == '"') {
        string();
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
      i++;
    } while (depth > 0);
  }

  private String string() {
    if (s.charAt(i) != '"') {
      throw new IllegalArgumentException("expected string");
    }
    i++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw new IllegalArgumentException("bad escape");
        }
      } else {
        sb.append(c);
      }
    }
  }
}
