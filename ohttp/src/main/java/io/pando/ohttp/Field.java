package io.pando.ohttp;

import java.util.Objects;

/**
 * One field line of a Binary HTTP field section (RFC 9292 §3.6): a name and a value, each a
 * length-prefixed byte string. Names are lowercase (as in HTTP/2 and HTTP/3); the bytes map to
 * characters one to one (ISO-8859-1), so any value survives a round trip.
 */
public record Field(String name, String value) {
  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
