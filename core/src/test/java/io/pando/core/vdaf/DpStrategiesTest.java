package io.pando.core.vdaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.dp.Sensitivity;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DpStrategiesTest {
  @Test
  void sensitivityFollowsTheVdafParameters() {
    assertEquals(Sensitivity.histogram(), DpStrategies.sensitivity(
        VdafInstance.of("Prio3Histogram", Map.of("length", 10, "chunk_length", 3))));
    Sensitivity vec = DpStrategies.sensitivity(VdafInstance.of("Prio3SumVec",
        Map.of("length", 5, "bits", 2, "chunk_length", 2)));
    assertEquals(BigInteger.valueOf(15), vec.l1());
    assertEquals(BigInteger.valueOf(45), vec.l2Squared());
    assertEquals(vec, DpStrategies.sensitivity(VdafInstance.of(
        "Prio3SumVecField64MultiproofHmacSha256Aes128",
        Map.of("length", 5, "bits", 2, "chunk_length", 2))));
    assertEquals(BigInteger.valueOf(255),
        DpStrategies.sensitivity(VdafInstance.of("Prio3Sum", Map.of("bits", 8))).l1());
    assertThrows(IllegalArgumentException.class, () -> DpStrategies.sensitivity(
        VdafInstance.of(io.pando.vdaf.VdafVersion.DRAFT_20, "Prio3Count", Map.of())));
  }

  @Test
  void readsAndWritesTheJsonForm() {
    DpStrategy s = DpStrategies.fromJson(Map.of("type", "pure_dp_discrete_laplace",
        "epsilon", "2/4"));
    assertEquals(Map.of("type", "pure_dp_discrete_laplace", "epsilon", "1/2"),
        DpStrategies.toJson(s));
    assertEquals(s, DpStrategies.fromJson(DpStrategies.toJson(s)));
    assertEquals(Map.of("type", "zcdp_discrete_gaussian", "rho", "3"), DpStrategies.toJson(
        DpStrategies.fromJson(Map.of("type", "zcdp_discrete_gaussian", "rho", 3))));
    assertEquals(s, DpStrategies.parse("pure_dp_discrete_laplace:1/2"));
    for (Map<String, ?> bad : java.util.List.<Map<String, ?>>of(
        Map.of("type", "laplace", "epsilon", "1"),
        Map.of("type", "pure_dp_discrete_laplace"),
        Map.of("type", "pure_dp_discrete_laplace", "epsilon", "0"),
        Map.of("type", "pure_dp_discrete_laplace", "epsilon", "-1/2"),
        Map.of("type", "pure_dp_discrete_laplace", "epsilon", 0.5),
        Map.of("type", "pure_dp_discrete_laplace", "rho", "1"),
        Map.of("type", "zcdp_discrete_gaussian", "rho", "1", "epsilon", "1"),
        Map.of("epsilon", "1"))) {
      assertThrows(IllegalArgumentException.class, () -> DpStrategies.fromJson(bad),
          bad.toString());
    }
  }
}
