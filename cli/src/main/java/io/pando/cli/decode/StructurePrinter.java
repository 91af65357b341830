package io.pando.cli.decode;

import io.pando.dap.messages.Time;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Prints a decoded DAP message as an indented tree: records by their components, lists item by
 * item, identifiers as unpadded base64url, byte strings (public keys too) as their length and a
 * hex prefix, times also in ISO-8601. Records wrapping one number (codepoints, config ids) print
 * on one line with their {@code toString}.
 */
public final class StructurePrinter {
  /** Byte strings up to this length print in full. */
  static final int FULL_HEX = 32;

  /** Longer byte strings print this many bytes and an ellipsis. */
  static final int HEX_PREFIX = 16;

  private static final String INDENT = "  ";

  private StructurePrinter() {}

  /**
   * The tree of {@code value}.
   *
   * @param encodedLength the length of the encoding it came from, shown on the first line
   */
  public static String print(Object value, int encodedLength) {
    StringBuilder sb = new StringBuilder();
    String head = typeName(value.getClass()) + " (" + encodedLength + " bytes)";
    if (isLeaf(value)) {
      sb.append(head).append(": ").append(leaf(value)).append('\n');
    } else {
      sb.append(head).append('\n');
      children(sb, value, 1);
    }
    return sb.toString();
  }

  private static void field(StringBuilder sb, String label, Object value, int depth) {
    sb.append(INDENT.repeat(depth)).append(label).append(": ");
    if (value instanceof Optional<?> o) {
      if (o.isEmpty()) {
        sb.append("(none)\n");
        return;
      }
      value = o.get();
    }
    if (isLeaf(value)) {
      sb.append(leaf(value)).append('\n');
    } else if (value instanceof List<?> list) {
      sb.append(list.size()).append(list.size() == 1 ? " item" : " items").append('\n');
      for (int i = 0; i < list.size(); i++) {
        field(sb, "[" + i + "]", list.get(i), depth + 1);
      }
    } else {
      sb.append(typeName(value.getClass())).append('\n');
      children(sb, value, depth + 1);
    }
  }

  private static void children(StringBuilder sb, Object value, int depth) {
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        field(sb, "[" + i + "]", list.get(i), depth);
      }
      return;
    }
    for (RecordComponent c : value.getClass().getRecordComponents()) {
      Object v = component(value, c);
      if (v != null) { // absent members of a problem document
        field(sb, c.getName(), v, depth);
      }
    }
  }

  private static Object component(Object record, RecordComponent c) {
    Method accessor = c.getAccessor();
    try {
      try {
        return accessor.invoke(record);
      } catch (IllegalAccessException e) {
        accessor.setAccessible(true);
        return accessor.invoke(record);
      }
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Values that print on one line. */
  private static boolean isLeaf(Object v) {
    if (v == null || v instanceof byte[] || v instanceof CharSequence || v instanceof Number
        || v instanceof Boolean || v instanceof Enum<?>) {
      return true;
    }
    if (v instanceof List<?> || v instanceof Optional<?>) {
      return false;
    }
    Class<?> c = v.getClass();
    if (!c.isRecord()) {
      return true; // identifiers and query types print as themselves
    }
    // Wrappers of one number or byte string: codepoints, config ids, times, public keys.
    RecordComponent[] components = c.getRecordComponents();
    return components.length == 1
        && (components[0].getType().isPrimitive() || components[0].getType() == byte[].class);
  }

  private static String leaf(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof byte[] b) {
      return bytes(b);
    }
    if (v instanceof Time t) {
      return t.seconds() + " (" + Instant.ofEpochSecond(t.seconds()) + ")";
    }
    if (v instanceof Record r) {
      Object only = component(r, r.getClass().getRecordComponents()[0]);
      if (only instanceof byte[] b) {
        return bytes(b);
      }
    }
    return v.toString();
  }

  /** "0 bytes", "4 bytes 0a0b0c0d", "48 bytes 000102...0f...". */
  static String bytes(byte[] b) {
    if (b.length == 0) {
      return "0 bytes";
    }
    HexFormat hex = HexFormat.of();
    String shown = b.length <= FULL_HEX ? hex.formatHex(b)
        : hex.formatHex(b, 0, HEX_PREFIX) + "...";
    return b.length + (b.length == 1 ? " byte " : " bytes ") + shown;
  }

  /** The simple name, with the enclosing type for nested ones: "PartialBatchSelector.FixedSize". */
  static String typeName(Class<?> c) {
    if (c.isAnonymousClass() && c.getSuperclass() != null) {
      c = c.getSuperclass();
    }
    String name = c.getSimpleName();
    Class<?> outer = c.getEnclosingClass();
    while (outer != null) {
      name = outer.getSimpleName() + "." + name;
      outer = outer.getEnclosingClass();
    }
    return name;
  }
}
