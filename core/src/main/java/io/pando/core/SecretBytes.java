package io.pando.core;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret key material (HPKE private keys, VDAF verify keys, datastore keys): never printed,
 * compared in constant time, and read only through {@link #reveal()}, which is easy to audit.
 */
public final class SecretBytes {
  private final byte[] bytes;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** A copy of the secret. Every caller of this method handles key material. */
  public byte[] reveal() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** Constant-time comparison (for equal lengths). */
  public boolean equalsSecret(SecretBytes other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Identity only: a content-based equals or hashCode could leak the secret through timing. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }

  /** Overwrites the secret with zeros. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }
}
