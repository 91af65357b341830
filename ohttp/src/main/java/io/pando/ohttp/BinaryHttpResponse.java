package io.pando.ohttp;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Binary HTTP response in the known-length form (RFC 9292 §3): any informational (1xx)
 * responses with their header fields (§3.5.1), the final status code (§3.5.2), header fields,
 * content and trailer fields.
 */
public record BinaryHttpResponse(List<Informational> informational, int status,
    List<Field> headers, byte[] content, List<Field> trailers) {
  /** A bound on the informational responses before the final one. */
  static final int MAX_INFORMATIONAL = 16;

  /** An informational response (1xx) ahead of the final one (§3.5.1). */
  public record Informational(int status, List<Field> headers) {
    public Informational {
      if (status < 100 || status > 199) {
        throw new IllegalArgumentException("informational status out of range: " + status);
      }
      headers = List.copyOf(headers);
    }
  }

  public BinaryHttpResponse {
    informational = List.copyOf(informational);
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("final status out of range: " + status);
    }
    headers = List.copyOf(headers);
    content = content.clone();
    trailers = List.copyOf(trailers);
  }

  /** A final response without informational responses or trailers. */
  public static BinaryHttpResponse of(int status, List<Field> headers, byte[] content) {
    return new BinaryHttpResponse(List.of(), status, headers, content, List.of());
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

  /** The encoding with every section present. */
  public byte[] encode() {
    return encode(false);
  }

  /** The encoding with the empty sections at the end left out (RFC 9292 §3.8). */
  public byte[] encodeTruncated() {
    return encode(true);
  }

  private byte[] encode(boolean truncate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(out, Bhttp.KNOWN_LENGTH_RESPONSE);
    for (Informational i : informational) {
      Varint.write(out, i.status());
      Bhttp.writeFields(out, i.headers());
    }
    Varint.write(out, status);
    Bhttp.writeSections(out, new Bhttp.Sections(headers, content, trailers), truncate);
    return out.toByteArray();
  }

  /**
   * Decodes a known-length response, truncated (§3.8) or not, with or without zero padding.
   *
   * @throws DecodeException for anything else, including the indeterminate-length form
   */
  public static BinaryHttpResponse decode(byte[] encoded) throws DecodeException {
    Decoder d = new Decoder(encoded);
    long framing = Varint.read(d);
    if (framing != Bhttp.KNOWN_LENGTH_RESPONSE) {
      throw new DecodeException("not a known-length response: framing indicator " + framing);
    }
    List<Informational> informational = new ArrayList<>();
    long status;
    while (true) {
      status = Varint.read(d);
      if (status < 100 || status > 599) {
        throw new DecodeException("status code out of range: " + status);
      }
      if (status >= 200) {
        break;
      }
      if (informational.size() == MAX_INFORMATIONAL) {
        throw new DecodeException("more than " + MAX_INFORMATIONAL + " informational responses");
      }
      informational.add(new Informational((int) status, Bhttp.readFields(d, "informational")));
    }
    Bhttp.Sections s = Bhttp.readSections(d);
    return new BinaryHttpResponse(informational, (int) status, s.headers(), s.content(),
        s.trailers());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinaryHttpResponse r && informational.equals(r.informational)
        && status == r.status && headers.equals(r.headers) && Arrays.equals(content, r.content)
        && trailers.equals(r.trailers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(informational, status, headers, Arrays.hashCode(content), trailers);
  }

  @Override
  public String toString() {
    return "BinaryHttpResponse[" + status + ", " + headers.size() + " headers, " + content.length
        + " content bytes]";
  }
}
