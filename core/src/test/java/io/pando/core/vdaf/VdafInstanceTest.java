package io.pando.core.vdaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.vdaf.VdafVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VdafInstanceTest {
  @Test
  void theRegistryDescribesBothDrafts() {
    VdafInstance old = VdafInstance.of("Prio3Histogram", Map.of("length", 4, "chunk_length", 2));
    assertEquals(VdafVersion.DRAFT_08, old.version());
    assertEquals(3, old.prio3().id());
    assertEquals(16, old.prio3().verifyKeySize());

    VdafInstance h = VdafInstance.of(VdafVersion.DRAFT_20, "prio3histogram",
        Map.of("length", 4, "chunk_length", 2));
    assertEquals(VdafVersion.DRAFT_20, h.version());
    assertEquals("Prio3Histogram", h.type());
    assertEquals(4, h.prio3().id());
    assertEquals(32, h.prio3().verifyKeySize());
    assertEquals(VdafVersion.DRAFT_20, h.prio3().version());

    assertEquals(1, VdafInstance.of(VdafVersion.DRAFT_20, "Prio3Count", Map.of()).prio3().id());
    assertEquals(2, VdafInstance.of(VdafVersion.DRAFT_20, "Prio3Sum",
        Map.of("max_measurement", 1337)).prio3().id());
    assertEquals(3, VdafInstance.of(VdafVersion.DRAFT_20, "Prio3SumVec",
        Map.of("length", 10, "max_measurement", 255, "chunk_length", 9)).prio3().id());
    assertEquals(5, VdafInstance.of(VdafVersion.DRAFT_20, "Prio3MultihotCountVec",
        Map.of("length", 4, "max_weight", 2, "chunk_length", 2)).prio3().id());
    assertEquals(3, VdafInstance.of(VdafVersion.DRAFT_20, "Prio3SumVecField64Multiproof",
        Map.of("proofs", 3, "length", 10, "max_measurement", 255, "chunk_length", 9))
        .prio3().proofs());
  }

  @Test
  void poplar1IsATaskVdafOfDap09() {
    VdafInstance p = VdafInstance.of(VdafVersion.DRAFT_08, "Poplar1", Map.of("bits", 16));
    assertEquals(16, ((VdafInstance.Poplar1) p).poplar1().bits());
    assertEquals(Map.of("bits", 16), p.parameters());
    assertThrows(UnsupportedOperationException.class, p::prio3);
    VdafInstance p20 = VdafInstance.of(VdafVersion.DRAFT_20, "Poplar1", Map.of("bits", 16));
    assertEquals(6, ((VdafInstance.Poplar1) p20).poplar1().id());
    assertEquals(VdafVersion.DRAFT_20, p20.version());
    VdafInstance task = VdafInstance.of("poplar1", Map.of("bits", 16));
    assertEquals(p, task);
    assertEquals(0x00001000, ((VdafInstance.Poplar1) task).poplar1().id());
    assertThrows(IllegalArgumentException.class, () -> VdafInstance.of("Poplar1", Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> VdafInstance.of("Poplar1", Map.of("bits", 0)));
    assertThrows(IllegalArgumentException.class,
        () -> VdafInstance.of(VdafVersion.DRAFT_08, "Poplar1", Map.of("bits", 0)));
  }

  @Test
  void badDescriptionsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> VdafInstance.of(VdafVersion.DRAFT_20, "Prio3Sum", Map.of("bits", 8)));
    assertThrows(IllegalArgumentException.class,
        () -> VdafInstance.of(VdafVersion.DRAFT_20, "Prio3Sum", Map.of("max_measurement", 0)));
    assertThrows(IllegalArgumentException.class,
        () -> VdafInstance.of(VdafVersion.DRAFT_20, "Prio3Nope", Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> VdafInstance.of(VdafVersion.DRAFT_20, "Prio3Histogram",
            Map.of("length", 4, "chunk_length", 2.5)));
  }
}
