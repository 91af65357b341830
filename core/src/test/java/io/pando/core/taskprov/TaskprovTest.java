package io.pando.core.taskprov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.taskprov.VdafType;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskprovTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** §3.2: the salt is SHA-256("dap-taskprov"), the constant Janus release/0.7 hard-codes. */
  @Test
  void salt() {
    assertArrayEquals(hex("28b9bb4f624f679ac198d968f4b09eec74017a52cb4cf639fb83e047723a0ffe"),
        Taskprov.SALT);
  }

  /**
   * HKDF-SHA256 with verify_key_init = 00..1f and the task id of Janus's fixed-size Prio3Count
   * TaskConfig (see TaskprovMessagesTest); expected values computed independently with Python's
   * hmac/hashlib from RFC 5869. 40 bytes take two HKDF-Expand blocks.
   */
  @Test
  void verifyKeyDerivation() {
    byte[] init = new byte[32];
    for (int i = 0; i < 32; i++) {
      init[i] = (byte) i;
    }
    TaskId id = TaskId.of(hex("5a4a1a9b0bf23ce4fcd4394b506aceac3d27e6bf3c493cb650cce6fb9a3ae3f6"));
    assertArrayEquals(hex("128e4b3d418c3abf285c8f7166c9a570"),
        Taskprov.deriveVerifyKey(init, id, 16).reveal());
    byte[] forty = Taskprov.deriveVerifyKey(init, id, 40).reveal();
    assertEquals(40, forty.length);
    assertArrayEquals(hex("128e4b3d418c3abf285c8f7166c9a570"), java.util.Arrays.copyOf(forty, 16));
    assertArrayEquals(hex(EXPECTED_40), forty);
    assertThrows(IllegalArgumentException.class,
        () -> Taskprov.deriveVerifyKey(new byte[31], id, 16));
  }

  static final String EXPECTED_40 = "128e4b3d418c3abf285c8f7166c9a570"
      + "14152b10fb7c2b201a8104cb1fed9224585e054d8be297ed";

  @Test
  void vdafMapping() {
    for (VdafType t : List.of(new VdafType.Prio3Count(), new VdafType.Prio3Sum(8),
        new VdafType.Prio3SumVec(10, 8, 9), new VdafType.Prio3Histogram(4, 2),
        new VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128(10, 8, 9, 3))) {
      VdafInstance v = Taskprov.vdafOf(t);
      assertEquals(t, Taskprov.typeOf(v));
    }
    assertEquals(new VdafInstance.Prio3Histogram(4, 2),
        Taskprov.vdafOf(new VdafType.Prio3Histogram(4, 2)));
    assertThrows(IllegalArgumentException.class, () -> Taskprov.vdafOf(new VdafType.Poplar1(8)));
    assertThrows(IllegalArgumentException.class,
        () -> Taskprov.vdafOf(new VdafType.Prio3Histogram(0, 2)));
    assertThrows(IllegalArgumentException.class, () -> Taskprov.vdafOf(
        new VdafType.Prio3SumVecField64MultiproofHmacSha256Aes128(10, 8, 9, 2)));
  }
}
