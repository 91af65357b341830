package io.pando.vdaf.flp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field128;
import io.pando.vdaf.field.Field64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The FLP on its own: prove, query (split into two shares), decide. */
class FlpGenericTest {
  private static final Random RNG = new Random(7);

  /** x(x-1)(x-2) == 0 for each of n inputs: a degree-3 gadget, called n times. */
  static final class ThreeValued extends Valid<long[], long[]> {
    private final int n;
    private final Gadget g = new PolyEval(0, 2, -3, 1);

    ThreeValued(Field f, int n) {
      super(f);
      this.n = n;
    }

    @Override public int measLen() { return n; }
    @Override public int jointRandLen() { return 1; }
    @Override public int outputLen() { return n; }
    @Override public List<Gadget> gadgets() { return List.of(g); }
    @Override public int[] gadgetCalls() { return new int[] {n}; }
    @Override public long[] truncate(long[] meas) { return meas.clone(); }
    @Override public long[] decode(long[] output, long k) { return output; }

    @Override public long[] encode(long[] m) {
      long[] v = field.alloc(n);
      for (int i = 0; i < n; i++) {
        field.set(v, i, m[i]);
      }
      return v;
    }

    @Override public void eval(long[] meas, long[] jr, int shares, GadgetCalls calls,
        long[] out) {
      long[] in = field.alloc(1);
      long[] t = field.alloc(1);
      long[] r = field.alloc(1);
      field.copy(jr, 0, r, 0);
      long[] acc = field.alloc(1);
      for (int i = 0; i < n; i++) {
        field.copy(meas, i, in, 0);
        calls.call(0, in, t, 0);
        field.mul(t, 0, r, 0, t, 0);
        field.add(acc, 0, t, 0, acc, 0);
        field.mul(r, 0, jr, 0, r, 0);
      }
      field.copy(acc, 0, out, 0);
    }
  }

  private static long[] random(Field f, int n) {
    long[] v = f.alloc(n);
    for (int i = 0; i < n; i++) {
      f.set(v, i, RNG.nextLong() >>> 2);
    }
    return v;
  }

  /** Proves meas, splits meas and proof into two additive shares, queries both, decides. */
  private static <M, R> boolean run(FlpGeneric<M, R> flp, long[] meas) throws Exception {
    Field f = flp.field();
    long[] jr = random(f, flp.jointRandLen());
    long[] proof = flp.prove(meas, random(f, flp.proveRandLen()), jr);
    long[] measShare = random(f, flp.measLen());
    long[] proofShare = random(f, flp.proofLen());
    long[] meas0 = f.alloc(flp.measLen());
    long[] proof0 = f.alloc(flp.proofLen());
    f.subVec(meas, measShare, meas0, flp.measLen());
    f.subVec(proof, proofShare, proof0, flp.proofLen());
    long[] q = random(f, flp.queryRandLen());
    long[] v0 = flp.query(meas0, proof0, q, jr, 2);
    long[] v1 = flp.query(measShare, proofShare, q, jr, 2);
    long[] v = f.alloc(flp.verifierLen());
    f.addVec(v0, v1, v, flp.verifierLen());
    return flp.decide(v);
  }

  @Test
  void aDegreeThreeGadgetProvesAndRejects() throws Exception {
    for (Field f : List.of(Field64.INSTANCE, Field128.INSTANCE)) {
      for (int n : new int[] {1, 2, 3, 7, 20}) {
        FlpGeneric<long[], long[]> flp = new FlpGeneric<>(new ThreeValued(f, n));
        int p = Integer.highestOneBit(n) * 2; // next_power_of_2(1 + n)
        assertEquals(1 + 3 * (p - 1) + 1, flp.proofLen(), "PROOF_LEN");
        assertEquals(1 + 1 + 1, flp.verifierLen(), "VERIFIER_LEN");
        long[] valid = new long[n];
        for (int i = 0; i < n; i++) {
          valid[i] = RNG.nextInt(3);
        }
        assertTrue(run(flp, flp.valid().encode(valid)), f.name() + " n=" + n);
        long[] invalid = valid.clone();
        invalid[RNG.nextInt(n)] = 3;
        assertFalse(run(flp, flp.valid().encode(invalid)), f.name() + " n=" + n);
      }
    }
  }

  @Test
  void degreeTwoCircuitsAcceptValidAndRejectInvalid() throws Exception {
    FlpGeneric<Integer, List<Long>> h = new FlpGeneric<>(new Histogram(Field128.INSTANCE, 9, 4));
    assertTrue(run(h, h.valid().encode(5)));
    long[] two = h.valid().encode(5);
    h.field().set(two, 2, 1);
    assertFalse(run(h, two));
    FlpGeneric<Boolean, Long> c = new FlpGeneric<>(new Count(Field64.INSTANCE));
    assertTrue(run(c, c.valid().encode(true)));
    long[] bad = c.field().alloc(1);
    c.field().set(bad, 0, 5);
    assertFalse(run(c, bad));
  }
}
