package io.pando.ohttp;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Binary HTTP request in the known-length form (RFC 9292 §3): control data (method, scheme,
 * authority, path; §3.4), header fields, content and trailer fields.
 *
 * @param authority empty when the request carries a {@code host} header instead (§3.4)
 */
public record BinaryHttpRequest(String method, String scheme, String authority, String path,
    List<Field> headers, byte[] content, List<Field> trailers) {
  public BinaryHttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(path, "path");
    headers = List.copyOf(headers);
    content = content.clone();
    trailers = List.copyOf(trailers);
  }

  /** A request without content or trailers. */
  public static BinaryHttpRequest of(String method, String scheme, String authority, String path,
      List<Field> headers) {
    return new BinaryHttpRequest(method, scheme, authority, path, headers, new byte[0], List.of());
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The first value of a header field, by name, ignoring case. */
  public Optional<String> header(String name) {
    return headers.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value)
        .findFirst();
  }

  /** The encoding with every section present (RFC 9292 §3, e.g. Figure 8). */
  public byte[] encode() {
    return encode(false);
  }

  /** The encoding with the empty sections at the end left out (RFC 9292 §3.8). */
  public byte[] encodeTruncated() {
    return encode(true);
  }

  private byte[] encode(boolean truncate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, Bhttp.KNOWN_LENGTH_REQUEST);
    Bhttp.writeString(out, method);
    Bhttp.writeString(out, scheme);
    Bhttp.writeString(out, authority);
    Bhttp.writeString(out, path);
    Bhttp.writeSections(out, new Bhttp.Sections(headers, content, trailers), truncate);
    return out.toByteArray();
  }

  /**
   * Decodes a known-length request, truncated (§3.8) or not, with or without zero padding.
   *
   * @throws DecodeException for anything else, including the indeterminate-length form
   */
  public static BinaryHttpRequest decode(byte[] encoded) throws DecodeException {
    Decoder d = new Decoder(encoded);
    long framing = Varint.read(d);
    if (framing != Bhttp.KNOWN_LENGTH_REQUEST) {
      throw new DecodeException("not a known-length request: framing indicator " + framing);
    }
    String method = Bhttp.readString(d, "method");
    String scheme = Bhttp.readString(d, "scheme");
    String authority = Bhttp.readString(d, "authority");
    String path = Bhttp.readString(d, "path");
    if (method.isEmpty()) {
      throw new DecodeException("empty method");
    }
    Bhttp.Sections s = Bhttp.readSections(d);
    return new BinaryHttpRequest(method, scheme, authority, path, s.headers(), s.content(),
        s.trailers());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinaryHttpRequest r && method.equals(r.method) && scheme.equals(r.scheme)
        && authority.equals(r.authority) && path.equals(r.path) && headers.equals(r.headers)
        && java.util.Arrays.equals(content, r.content) && trailers.equals(r.trailers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, scheme, authority, path, headers,
        java.util.Arrays.hashCode(content), trailers);
  }

  /** Method and path only: field values and content may be anything a client sends. */
  @Override
  public String toString() {
    return "BinaryHttpRequest[" + method + " " + path + ", " + headers.size() + " headers, "
        + content.length + " content bytes]";
  }
}
