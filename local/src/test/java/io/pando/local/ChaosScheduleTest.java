package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chaos schedule is a function of its seed, starts a fault every 20 to 40 s in long runs,
 * never faults a part that has not recovered from its last fault, and stays within the run.
 */
class ChaosScheduleTest {
  @Test
  void theSameSeedGivesTheSameSchedule() {
    assertEquals(Chaos.schedule(42, 10), Chaos.schedule(42, 10));
    assertNotEquals(Chaos.schedule(42, 10), Chaos.schedule(43, 10));
  }

  @Test
  void faultsOnOnePartNeverOverlapAndAllEndInTime() {
    for (long seed = 0; seed < 50; seed++) {
      for (double minutes : new double[] {1, 2.5, 10, 30}) {
        List<Chaos.Fault> faults = Chaos.schedule(seed, minutes);
        assertTrue(!faults.isEmpty());
        EnumMap<Chaos.Part, Long> freeAt = new EnumMap<>(Chaos.Part.class);
        long previous = -1;
        for (Chaos.Fault f : faults) {
          Chaos.Part part = f.kind().part;
          assertTrue(f.at() >= freeAt.getOrDefault(part, 0L), "seed " + seed + ": " + f
              + " hits " + part + " before it recovered");
          assertTrue(f.at() > previous, "in order");
          assertTrue(f.seconds() >= 2, f.toString());
          assertTrue(f.at() + f.seconds() <= Math.round(minutes * 60 * 0.75),
              "seed " + seed + ", " + minutes + " min: " + f);
          freeAt.put(part, f.at() + f.seconds() + Chaos.recovery(part));
          previous = f.at();
        }
      }
    }
  }

  @Test
  void longRunsStartAFaultEvery20To40SecondsAndOverlapLongOutages() {
    for (long seed = 0; seed < 20; seed++) {
      List<Chaos.Fault> faults = Chaos.schedule(seed, 30);
      assertTrue(faults.size() >= 30, "seed " + seed + ": " + faults.size() + " faults");
      int within = 0;
      for (int i = 1; i < faults.size(); i++) {
        long gap = faults.get(i).at() - faults.get(i - 1).at();
        assertTrue(gap >= 20, "seed " + seed + ": gap " + gap);
        if (gap <= 40) {
          within++;
        }
      }
      assertTrue(within >= (faults.size() - 1) * 9 / 10, "seed " + seed + ": " + within
          + " of " + (faults.size() - 1) + " gaps within 20-40 s");
      long longest = faults.stream()
          .filter(f -> f.kind() == Chaos.Kind.STOP_HELPER || f.kind() == Chaos.Kind.KAFKA_DOWN)
          .mapToLong(Chaos.Fault::seconds).max().orElse(0);
      assertTrue(longest > 120, "seed " + seed + ": longest outage " + longest + " s");
      // While the longest outage lasts, other parts are hit.
      Chaos.Fault outage = faults.stream().filter(f -> f.seconds() == longest).findFirst()
          .orElseThrow();
      Set<Chaos.Part> meanwhile = EnumSet.noneOf(Chaos.Part.class);
      faults.stream().filter(f -> f.at() > outage.at() && f.at() < outage.at() + longest)
          .forEach(f -> meanwhile.add(f.kind().part));
      assertTrue(meanwhile.size() >= 2, "seed " + seed + ": during " + outage + " only "
          + meanwhile);
    }
  }
}
