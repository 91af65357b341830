package io.pando.core.vdaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InteropVdafTest {
  @Test
  void parsesEveryTypeFromDecimalStrings() {
    assertEquals(new VdafInstance.Prio3Count(), InteropVdaf.parse(Map.of("type", "Prio3Count")));
    assertEquals(new VdafInstance.Prio3Sum(8),
        InteropVdaf.parse(Map.of("type", "Prio3Sum", "bits", "8")));
    assertEquals(new VdafInstance.Prio3SumVec(4, 2, 3), InteropVdaf.parse(
        Map.of("type", "Prio3SumVec", "bits", "2", "length", "4", "chunk_length", "3")));
    assertEquals(new VdafInstance.Prio3Histogram(5, 2), InteropVdaf.parse(
        Map.of("type", "Prio3Histogram", "length", "5", "chunk_length", "2")));
    assertEquals(new VdafInstance.Prio3MultihotCountVec(6, 2, 3), InteropVdaf.parse(
        Map.of("type", "Prio3MultihotCountVec", "length", "6", "max_weight", "2",
            "chunk_length", "3")));
    assertEquals(new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(4, 2, 3),
        InteropVdaf.parse(Map.of("type", "Prio3SumVecField64MultiproofHmacSha256Aes128",
            "proofs", "3", "bits", "2", "length", "4", "chunk_length", "3")));
    assertEquals(new VdafInstance.Poplar1(8, io.pando.vdaf.VdafVersion.DRAFT_08),
        InteropVdaf.parse(Map.of("type", "Poplar1", "bits", "8")));
  }

  @Test
  void writesParametersAsDecimalStringsAndRoundTrips() {
    var v = new VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128(4, 2, 3);
    Map<String, String> json = InteropVdaf.toJson(v);
    assertEquals(Map.of("type", "Prio3SumVecField64MultiproofHmacSha256Aes128", "proofs", "3",
        "length", "4", "bits", "2", "chunk_length", "3"), json);
    assertEquals(v, InteropVdaf.parse(json));
    assertEquals(Map.of("type", "Prio3Sum", "bits", "8"),
        InteropVdaf.toJson(new VdafInstance.Prio3Sum(8)));
  }

  @Test
  void refusesWhatTheDraftDoesNotAllowWithTheFieldNamed() {
    assertMessage("vdaf.bits must be an integer written in base 10 as a string, got 8",
        Map.of("type", "Prio3Sum", "bits", 8));
    assertMessage("vdaf.bits must be an integer written in base 10 as a string, got \"-1\"",
        Map.of("type", "Prio3Sum", "bits", "-1"));
    assertMessage("vdaf.chunk_length is required",
        Map.of("type", "Prio3Histogram", "length", "4"));
    assertMessage("vdaf.type is required (a string)", Map.of("length", "4"));
    assertMessage("vdaf.bits is required", Map.of("type", "Poplar1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> InteropVdaf.parse(Map.of("type", "prio3count"))).getMessage()
        .startsWith("vdaf.type prio3count is not supported"));
    assertMessage("vdaf.proofs must be \"3\" for Prio3SumVecField64MultiproofHmacSha256Aes128"
        + " (the deployed variant; others are not implemented)",
        Map.of("type", "Prio3SumVecField64MultiproofHmacSha256Aes128", "proofs", "2",
            "bits", "1", "length", "4", "chunk_length", "2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> InteropVdaf.parse(
        Map.of("type", "Prio3Histogram", "length", "0", "chunk_length", "1"))).getMessage()
        .startsWith("vdaf: "));
  }

  @Test
  void parsesDraft20VdafsOfDap18TasksWithTheirDraft20Parameters() {
    VdafInstance sum = InteropVdaf.parseDraft20(Map.of("type", "Prio3Sum",
        "max_measurement", "300"));
    assertEquals(VdafInstance.of(io.pando.vdaf.VdafVersion.DRAFT_20, "Prio3Sum",
        Map.of("max_measurement", 300)), sum);
    assertEquals(io.pando.vdaf.VdafVersion.DRAFT_20, sum.version());
    assertEquals(Map.of("length", 3, "max_measurement", 9, "chunk_length", 2),
        InteropVdaf.parseDraft20(Map.of("type", "Prio3SumVec", "length", "3",
            "max_measurement", "9", "chunk_length", "2")).parameters());
    assertEquals(new VdafInstance.Poplar1(4, io.pando.vdaf.VdafVersion.DRAFT_20),
        InteropVdaf.parseDraft20(Map.of("type", "Poplar1", "bits", "4")));
    assertEquals("vdaf.max_measurement is required", assertThrows(
        IllegalArgumentException.class, () -> InteropVdaf.parseDraft20(
            Map.of("type", "Prio3Sum", "bits", "8"))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> InteropVdaf.parseDraft20(
        Map.of("type", "Prio3SumVecField64MultiproofHmacSha256Aes128", "proofs", "3",
            "bits", "1", "length", "4", "chunk_length", "2"))).getMessage()
        .startsWith("vdaf.type Prio3SumVecField64MultiproofHmacSha256Aes128 is not supported"));
  }

  private static void assertMessage(String expected, Map<String, ?> vdaf) {
    assertEquals(expected,
        assertThrows(IllegalArgumentException.class, () -> InteropVdaf.parse(vdaf)).getMessage());
  }
}
