package io.pando.vdaf.field;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian 64-bit loads and stores on byte arrays (bounds-checked). Heap ByteBuffers rather
 * than VarHandles, which Android only has from API level 33; HotSpot compiles both to plain loads.
 */
public final class LittleEndian {
  private LittleEndian() {}

  /** The 8 bytes at b[off..off+8) as a little-endian long. */
  public static long getLong(byte[] b, int off) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
  }

  /** Stores v little-endian into b[off..off+8). */
  public static void putLong(byte[] b, int off, long v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(off, v);
  }
}
