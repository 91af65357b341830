package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import java.util.Arrays;

/** The round-trip checks every fixture must pass. */
public final class RoundTrip {
  private RoundTrip() {}

  public static <T extends Encodable> void check(Fixture<T> f) throws DecodeException {
    byte[] expected = f.bytes();

    // encode(value) == hex
    assertEquals(f.hex().toLowerCase(), Hex.of(f.value().encode()), f.name() + ": encoding");

    // decode(hex) equals value, with the same hash and text
    T decoded = f.decode(expected);
    assertEquals(f.value(), decoded, f.name() + ": decoded value");
    assertEquals(f.value().hashCode(), decoded.hashCode(), f.name() + ": hashCode");
    assertEquals(f.value().toString(), decoded.toString(), f.name() + ": toString");

    // Equality alone could hide a field that equals() ignores: re-encode the decoded value.
    assertArrayEquals(expected, decoded.encode(), f.name() + ": re-encoding");

    // One byte short, one byte too many.
    byte[] shorter = Arrays.copyOf(expected, expected.length - 1);
    assertThrows(DecodeException.class, () -> f.decode(shorter), f.name() + ": truncated");
    byte[] longer = Arrays.copyOf(expected, expected.length + 1);
    assertThrows(DecodeException.class, () -> f.decode(longer), f.name() + ": trailing byte");
  }
}
