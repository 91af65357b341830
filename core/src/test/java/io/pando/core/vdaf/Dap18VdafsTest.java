package io.pando.core.vdaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.dap.messages.dap18.VdafConfig;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.prio3.Prio3;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DAP-18 Appendix B configurations to the draft-20 VDAFs and back to a VdafInstance. */
class Dap18VdafsTest {
  @Test
  void eachPrio3ConfigurationIsItsDraft20Instance() {
    assertTrue(Dap18Vdafs.matches(new VdafConfig.Prio3Count(), Prio3.Draft20.count()));
    assertTrue(Dap18Vdafs.matches(new VdafConfig.Prio3Sum(255), Prio3.Draft20.sum(255)));
    assertTrue(Dap18Vdafs.matches(new VdafConfig.Prio3SumVec(10, 3, 4),
        Prio3.Draft20.sumVec(10, 3, 4)));
    assertTrue(Dap18Vdafs.matches(new VdafConfig.Prio3Histogram(5, 2),
        Prio3.Draft20.histogram(5, 2)));
    assertTrue(Dap18Vdafs.matches(new VdafConfig.Prio3MultihotCountVec(6, 2, 3),
        Prio3.Draft20.multihotCountVec(6, 3, 2)));
    assertEquals(4, Dap18Vdafs.prio3(new VdafConfig.Prio3Histogram(5, 2)).id());
  }

  @Test
  void anotherVdafOrDraftDoesNotMatch() {
    assertFalse(Dap18Vdafs.matches(new VdafConfig.Prio3Count(), Prio3.count()));
    assertFalse(Dap18Vdafs.matches(new VdafConfig.Prio3Sum(255), Prio3.Draft20.sum(1000)));
    assertFalse(Dap18Vdafs.matches(new VdafConfig.Prio3Histogram(5, 2),
        Prio3.Draft20.histogram(6, 2)));
    assertFalse(Dap18Vdafs.matches(new VdafConfig.Poplar1(8), Prio3.Draft20.count()));
    assertThrows(IllegalArgumentException.class,
        () -> Dap18Vdafs.prio3(new VdafConfig.Poplar1(8)));
    assertThrows(IllegalArgumentException.class,
        () -> Dap18Vdafs.poplar1(new VdafConfig.Prio3Count()));
  }

  @Test
  void theInstanceCarriesTheParametersAndDraft() {
    VdafInstance h = Dap18Vdafs.instance(new VdafConfig.Prio3MultihotCountVec(6, 2, 3));
    assertEquals("Prio3MultihotCountVec", h.type());
    assertEquals(Map.of("length", 6, "max_weight", 3, "chunk_length", 2), h.parameters());
    assertEquals(VdafVersion.DRAFT_20, h.version());
    VdafInstance p = Dap18Vdafs.instance(new VdafConfig.Poplar1(8));
    assertEquals(new VdafInstance.Poplar1(8, VdafVersion.DRAFT_20), p);
    assertEquals(VdafVersion.DRAFT_20, Dap18Vdafs.poplar1(new VdafConfig.Poplar1(8)).version());
  }

  @Test
  void configIsTheInverseOfInstance() {
    for (VdafConfig c : java.util.List.of(new VdafConfig.Prio3Count(),
        new VdafConfig.Prio3Sum(255), new VdafConfig.Prio3SumVec(10, 3, 4),
        new VdafConfig.Prio3Histogram(5, 2), new VdafConfig.Prio3MultihotCountVec(6, 2, 3),
        new VdafConfig.Poplar1(8))) {
      assertEquals(c, Dap18Vdafs.config(Dap18Vdafs.instance(c)), c.toString());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Dap18Vdafs.config(new VdafInstance.Prio3Sum(8)));
  }
}
