package io.pando.ohttp;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The pieces the known-length request and response share (RFC 9292 §3). */
final class Bhttp {
  /** Framing indicators (RFC 9292 §3.3). */
  static final int KNOWN_LENGTH_REQUEST = 0;
  static final int KNOWN_LENGTH_RESPONSE = 1;
  static final int INDETERMINATE_LENGTH_REQUEST = 2;
  static final int INDETERMINATE_LENGTH_RESPONSE = 3;

  /** A bound on the field lines of one section, so a forged message cannot make a huge list. */
  static final int MAX_FIELDS = 1024;

  private Bhttp() {}

  static void writeString(ByteArrayOutputStream out, String s) {
    writeBytes(out, s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static void writeBytes(ByteArrayOutputStream out, byte[] b) {
    Varint.write(out, b.length);
    out.write(b, 0, b.length);
  }

  static String readString(Decoder d, String what) throws DecodeException {
    return new String(d.bytes(Varint.readLength(d, what)), StandardCharsets.ISO_8859_1);
  }

  /** A known-length field section (RFC 9292 §3.6): a length, then field lines. */
  static void writeFields(ByteArrayOutputStream out, List<Field> fields) {
    ByteArrayOutputStream section = new ByteArrayOutputStream();
    for (Field f : fields) {
      writeString(section, f.name());
      writeString(section, f.value());
    }
    writeBytes(out, section.toByteArray());
  }

  static List<Field> readFields(Decoder d, String what) throws DecodeException {
    int len = Varint.readLength(d, what + " section");
    Decoder section = new Decoder(d.bytes(len));
    List<Field> fields = new ArrayList<>();
    while (section.hasRemaining()) {
      if (fields.size() == MAX_FIELDS) {
        throw new DecodeException(what + " section has more than " + MAX_FIELDS + " fields");
      }
      String name = readString(section, "field name");
      String value = readString(section, "field value");
      if (name.isEmpty() || name.startsWith(":")) {
        // Pseudo-header fields are carried as control data, never as field lines (§3.6).
        throw new DecodeException("invalid field name in " + what + " section");
      }
      fields.add(new Field(name, value));
    }
    return List.copyOf(fields);
  }

  /** What follows a message's control data: header section, content, trailer section (§3). */
  record Sections(List<Field> headers, byte[] content, List<Field> trailers) {}

  /**
   * Writes the sections; {@code truncate} leaves out the empty trailing ones, as a sender may
   * (§3.8).
   */
  static void writeSections(ByteArrayOutputStream out, Sections s, boolean truncate) {
    boolean noTrailers = truncate && s.trailers().isEmpty();
    boolean noContent = noTrailers && s.content().length == 0;
    if (!(noContent && s.headers().isEmpty())) {
      writeFields(out, s.headers());
    }
    if (!noContent) {
      writeBytes(out, s.content());
    }
    if (!noTrailers) {
      writeFields(out, s.trailers());
    }
  }

  /** Reads the sections, truncated (§3.8) or not, and checks that only padding follows. */
  static Sections readSections(Decoder d) throws DecodeException {
    List<Field> headers = d.hasRemaining() ? readFields(d, "header") : List.of();
    byte[] content = d.hasRemaining() ? d.bytes(Varint.readLength(d, "content")) : new byte[0];
    List<Field> trailers = d.hasRemaining() ? readFields(d, "trailer") : List.of();
    finishPadding(d);
    return new Sections(headers, content, trailers);
  }

  /** Checks that what follows the last section is padding: zero bytes only (§3.8). */
  static void finishPadding(Decoder d) throws DecodeException {
    while (d.hasRemaining()) {
      if (d.u8() != 0) {
        throw new DecodeException("non-zero byte after the message");
      }
    }
  }
}
