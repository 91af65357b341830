package io.pando.bench;

import io.pando.vdaf.prio3.Prio3;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The benchmark cases, the same as bench/ts/bench.mjs measures for @divviup/prio3: a Prio3
 * instance and a generator of valid measurements.
 */
final class Cases {
  private Cases() {}

  /** A case: the VDAF and a source of measurements. */
  record Case(Prio3<Object, Object> prio3, Measurements measurements) {}

  interface Measurements {
    Object next(Random rng);
  }

  @SuppressWarnings("unchecked")
  private static Case of(Prio3<?, ?> prio3, Measurements m) {
    return new Case((Prio3<Object, Object>) prio3, m);
  }

  static Case get(String name) {
    return switch (name) {
      case "count" -> of(Prio3.count(), r -> r.nextBoolean());
      case "sum-8" -> of(Prio3.sum(8), r -> (long) r.nextInt(256));
      case "sum-32" -> of(Prio3.sum(32), r -> r.nextLong() >>> 32);
      case "sumvec-10" -> sumVec(10, 3);
      case "sumvec-100" -> sumVec(100, 10);
      case "sumvec-1000" -> sumVec(1000, 31);
      case "histogram-10" -> histogram(10, 3);
      case "histogram-100" -> histogram(100, 10);
      case "histogram-1000" -> histogram(1000, 31);
      case "histogram-10000" -> histogram(10000, 100);
      case "multihotcountvec" -> of(Prio3.multihotCountVec(100, 10, 10), r -> {
        List<Boolean> m = new ArrayList<>(Collections.nCopies(100, false));
        for (int i = 0; i < 10; i++) {
          m.set(r.nextInt(100), true);
        }
        return m;
      });
      // draft-20 (VERSION 18): 32-byte seeds, Lagrange-basis proofs, per-call joint randomness
      case "d20-count" -> of(Prio3.Draft20.count(), r -> r.nextBoolean());
      case "d20-sum-255" -> of(Prio3.Draft20.sum(255), r -> (long) r.nextInt(256));
      case "d20-sumvec-100" -> of(Prio3.Draft20.sumVec(100, 1, 10), r -> {
        List<Long> m = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
          m.add((long) r.nextInt(2));
        }
        return m;
      });
      case "d20-histogram-100" -> of(Prio3.Draft20.histogram(100, 10), r -> r.nextInt(100));
      case "d20-histogram-1000" -> of(Prio3.Draft20.histogram(1000, 31), r -> r.nextInt(1000));
      default -> throw new IllegalArgumentException("unknown case " + name);
    };
  }

  /** SumVec with bits = 1, the parameters of the published libprio-rs figures. */
  private static Case sumVec(int length, int chunk) {
    return of(Prio3.sumVec(length, 1, chunk), r -> {
      List<Long> m = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        m.add((long) r.nextInt(2));
      }
      return m;
    });
  }

  private static Case histogram(int length, int chunk) {
    return of(Prio3.histogram(length, chunk), r -> r.nextInt(length));
  }
}
