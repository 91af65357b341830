package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The chaos schedule is a function of its seed and stays within the run's time. */
class ChaosScheduleTest {
  @Test
  void theSameSeedGivesTheSameScheduleAndFaultsDoNotOverlap() {
    assertEquals(Chaos.schedule(42, 10), Chaos.schedule(42, 10));
    assertNotEquals(Chaos.schedule(42, 10), Chaos.schedule(43, 10));
    for (long seed = 0; seed < 50; seed++) {
      for (double minutes : new double[] {1, 2.5, 10, 30}) {
        List<Chaos.Fault> faults = Chaos.schedule(seed, minutes);
        assertTrue(!faults.isEmpty());
        long end = 0;
        for (Chaos.Fault f : faults) {
          assertTrue(f.at() >= end + 5 || end == 0, "gap before " + f);
          assertTrue(f.seconds() >= 2, f.toString());
          end = f.at() + f.seconds();
        }
        assertTrue(end <= Math.max(60, minutes * 60), "seed " + seed + ", " + minutes + " min");
      }
    }
  }

  @Test
  void longRunsHangTheHelperAndStopKafkaForMinutes() {
    long longest = Chaos.schedule(5, 30).stream()
        .filter(f -> f.kind() == Chaos.Kind.STOP_HELPER || f.kind() == Chaos.Kind.KAFKA_DOWN)
        .mapToLong(Chaos.Fault::seconds).max().orElse(0);
    assertTrue(longest > 120, "longest outage " + longest + " s");
  }
}
