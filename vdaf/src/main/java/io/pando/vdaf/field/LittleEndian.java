package io.pando.vdaf.field;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian 64-bit loads and stores on byte arrays (bounds-checked by the JVM). */
final class LittleEndian {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private LittleEndian() {}

  /** The 8 bytes at b[off..off+8) as a little-endian long. */
  static long getLong(byte[] b, int off) {
    return (long) LONG_LE.get(b, off);
  }

  /** Stores v little-endian into b[off..off+8). */
  static void putLong(byte[] b, int off, long v) {
    LONG_LE.set(b, off, v);
  }
}
