package io.pando.vdaf.flp;

import io.pando.vdaf.VdafVersion;

import io.pando.vdaf.field.Field;
import java.util.List;

/**
 * The generic fully linear proof system built from a validity circuit (draft-irtf-cfrg-vdaf-08
 * §7.3, draft-20 §7.3 "FlpBBCGGI19", after BBCGGI19 Theorem 4.3): {@link #prove}, {@link #query},
 * {@link #decide}.
 *
 * <p>For each gadget i called M_i times, wire polynomials have {@code P_i = next_power_of_2(1 +
 * M_i)} points: the wire seed at {@code alpha^0} and the inputs of call k at {@code alpha^k}. The
 * proof carries, per gadget, the wire seeds and the gadget polynomial, {@code D_i * (P_i - 1) + 1}
 * elements: its coefficients (monomial basis) in draft-08; in draft-20 its values at the first
 * that many {@code n}-th roots of unity, {@code n = next_power_of_2(D_i * (P_i - 1) + 1)}
 * (Lagrange basis). The polynomial, and so every verifier message, is the same in both.
 *
 * <p>A circuit with several outputs (draft-20's EVAL_OUTPUT_LEN) has them reduced to one with the
 * first EVAL_OUTPUT_LEN elements of the query randomness.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FlpGeneric<M, R> {
  private final Valid<M, R> valid;
  private final Field f;
  private final Gadget[] gadgets;
  private final int[] calls;
  private final int[] wireLen;
  private final int proveRandLen;
  private final int queryRandLen;
  private final int proofLen;
  private final int verifierLen;
  private final int evalOutputLen;
  private final int reductionLen;
  private final boolean lagrange;

  /** The draft-08 FLP of a circuit. */
  public FlpGeneric(Valid<M, R> valid) {
    this(valid, VdafVersion.DRAFT_08);
  }

  /** The FLP of a circuit, with the gadget polynomial representation of the given draft. */
  public FlpGeneric(Valid<M, R> valid, VdafVersion version) {
    this.valid = valid;
    this.lagrange = version.lagrangeGadgetPoly();
    this.evalOutputLen = valid.evalOutputLen();
    this.reductionLen = evalOutputLen > 1 ? evalOutputLen : 0;
    this.f = valid.field();
    List<Gadget> g = valid.gadgets();
    this.gadgets = g.toArray(new Gadget[0]);
    this.calls = valid.gadgetCalls().clone();
    if (calls.length != gadgets.length) {
      throw new IllegalArgumentException("GADGET_CALLS must have one entry per gadget");
    }
    this.wireLen = new int[gadgets.length];
    int prove = 0;
    int proof = 0;
    int verifier = 1;
    for (int i = 0; i < gadgets.length; i++) {
      wireLen[i] = Polys.nextPowerOfTwo(1 + calls[i]);
      if (Integer.numberOfTrailingZeros(wireLen[i]) > f.log2GenOrder()) {
        throw new IllegalArgumentException("too many gadget calls for " + f.name());
      }
      prove += gadgets[i].arity();
      proof += gadgets[i].arity() + gadgetPolyLen(i);
      verifier += gadgets[i].arity() + 1;
    }
    this.proveRandLen = prove;
    this.queryRandLen = reductionLen + gadgets.length;
    this.proofLen = proof;
    this.verifierLen = verifier;
  }

  private int gadgetPolyLen(int i) {
    return gadgets[i].degree() * (wireLen[i] - 1) + 1;
  }

  public Valid<M, R> valid() {
    return valid;
  }

  public Field field() {
    return f;
  }

  /** PROVE_RAND_LEN. */
  public int proveRandLen() {
    return proveRandLen;
  }

  /** QUERY_RAND_LEN. */
  public int queryRandLen() {
    return queryRandLen;
  }

  /** JOINT_RAND_LEN. */
  public int jointRandLen() {
    return valid.jointRandLen();
  }

  /** MEAS_LEN. */
  public int measLen() {
    return valid.measLen();
  }

  /** OUTPUT_LEN. */
  public int outputLen() {
    return valid.outputLen();
  }

  /** PROOF_LEN. */
  public int proofLen() {
    return proofLen;
  }

  /** VERIFIER_LEN. */
  public int verifierLen() {
    return verifierLen;
  }

  private void checkLen(long[] v, int n, String what) {
    if (f.length(v) != n) {
      throw new IllegalArgumentException(what + ": got " + f.length(v) + " elements; want " + n);
    }
  }

  /** Flp.prove(meas, prove_rand, joint_rand): the proof for a valid encoded measurement. */
  public long[] prove(long[] meas, long[] proveRand, long[] jointRand) {
    checkLen(meas, measLen(), "meas");
    checkLen(proveRand, proveRandLen, "prove_rand");
    checkLen(jointRand, jointRandLen(), "joint_rand");
    long[][][] wires = new long[gadgets.length][][];
    int seed = 0;
    for (int i = 0; i < gadgets.length; i++) {
      wires[i] = new long[gadgets[i].arity()][];
      for (int j = 0; j < gadgets[i].arity(); j++) {
        wires[i][j] = f.alloc(wireLen[i]);
        f.copy(proveRand, seed++, wires[i][j], 0);
      }
    }
    int[] k = new int[gadgets.length];
    GadgetCalls record =
        (gi, input, out, oi) -> {
          int call = ++k[gi];
          long[][] w = wires[gi];
          for (int j = 0; j < w.length; j++) {
            f.copy(input, j, w[j], call);
          }
          gadgets[gi].eval(f, input, out, oi);
        };
    valid.eval(meas, jointRand, 1, record, f.alloc(evalOutputLen));
    checkCalls(k);

    long[] proof = f.alloc(proofLen);
    int pos = 0;
    for (int i = 0; i < gadgets.length; i++) {
      int p = wireLen[i];
      for (int j = 0; j < wires[i].length; j++) {
        f.copy(wires[i][j], 0, proof, pos++);
      }
      long[] gadgetPoly = Polys.gadgetPoly(f, gadgets[i], wires[i], p, lagrange);
      int n = gadgetPolyLen(i);
      System.arraycopy(gadgetPoly, 0, proof, pos * f.limbs(), n * f.limbs());
      pos += n;
    }
    return proof;
  }

  /**
   * Flp.query(meas, proof, query_rand, joint_rand, num_shares): this share's verifier message.
   *
   * @throws DegeneratePointException if a query point is a root of unity used for the wires
   *     (negligible probability; the report must be rejected)
   */
  public long[] query(long[] meas, long[] proof, long[] queryRand, long[] jointRand,
      int numShares) throws DegeneratePointException {
    checkLen(meas, measLen(), "meas");
    checkLen(proof, proofLen, "proof");
    checkLen(queryRand, queryRandLen, "query_rand");
    checkLen(jointRand, jointRandLen(), "joint_rand");
    int limbs = f.limbs();
    long[][][] wires = new long[gadgets.length][][];
    long[][] gadgetPolys = new long[gadgets.length][];
    long[][] gadgetAtRoots = new long[gadgets.length][];
    int pos = 0;
    for (int i = 0; i < gadgets.length; i++) {
      int p = wireLen[i];
      wires[i] = new long[gadgets[i].arity()][];
      for (int j = 0; j < gadgets[i].arity(); j++) {
        wires[i][j] = f.alloc(p);
        f.copy(proof, pos++, wires[i][j], 0);
      }
      int n = gadgetPolyLen(i);
      long[] gp = f.alloc(n);
      System.arraycopy(proof, pos * limbs, gp, 0, n * limbs);
      pos += n;
      if (lagrange) {
        gp = Polys.coefficientsFromRootValues(f, gp, n);
      }
      gadgetPolys[i] = gp;
      // The gadget polynomial at alpha_P^k for all k: reduce modulo x^P - 1, then one NTT.
      long[] folded = f.alloc(p);
      for (int c = 0; c < n; c++) {
        f.add(folded, c % p, gp, c, folded, c % p);
      }
      f.ntt(folded, p);
      gadgetAtRoots[i] = folded;
    }
    int[] k = new int[gadgets.length];
    GadgetCalls record =
        (gi, input, out, oi) -> {
          int call = ++k[gi];
          long[][] w = wires[gi];
          for (int j = 0; j < w.length; j++) {
            f.copy(input, j, w[j], call);
          }
          f.copy(gadgetAtRoots[gi], call, out, oi);
        };
    long[] verifier = f.alloc(verifierLen);
    if (evalOutputLen == 1) {
      valid.eval(meas, jointRand, numShares, record, verifier);
    } else {
      // draft-20 §7.3.3: v = sum_i query_rand[i] * out[i] over the circuit's outputs.
      long[] out = f.alloc(evalOutputLen);
      valid.eval(meas, jointRand, numShares, record, out);
      long[] term = f.alloc(1);
      for (int i = 0; i < evalOutputLen; i++) {
        f.mul(queryRand, i, out, i, term, 0);
        f.add(verifier, 0, term, 0, verifier, 0);
      }
    }
    checkCalls(k);

    int v = 1;
    long[] tmp = f.alloc(1);
    for (int i = 0; i < gadgets.length; i++) {
      int p = wireLen[i];
      int ti = reductionLen + i;
      f.pow(queryRand, ti, p, tmp, 0);
      long[] one = f.alloc(1);
      f.set(one, 0, 1);
      if (f.equal(tmp, 0, one, 0)) {
        throw new DegeneratePointException();
      }
      // Wire polynomials at t straight from their values at the roots (Lagrange form).
      long[] c = Polys.lagrangeAt(f, queryRand, ti, p);
      for (long[] w : wires[i]) {
        Polys.dot(f, w, 0, c, p, verifier, v++, tmp);
      }
      f.polyEval(gadgetPolys[i], 0, gadgetPolyLen(i), queryRand, ti, verifier, v++);
    }
    return verifier;
  }

  /** Flp.decide(verifier): whether the combined verifier message accepts. */
  public boolean decide(long[] verifier) {
    checkLen(verifier, verifierLen, "verifier");
    if (!f.isZero(verifier, 0)) {
      return false;
    }
    int pos = 1;
    long[] z = f.alloc(1);
    for (Gadget g : gadgets) {
      int a = g.arity();
      long[] x = f.alloc(a);
      System.arraycopy(verifier, pos * f.limbs(), x, 0, a * f.limbs());
      g.eval(f, x, z, 0);
      if (!f.equal(z, 0, verifier, pos + a)) {
        return false;
      }
      pos += a + 1;
    }
    return true;
  }

  private void checkCalls(int[] k) {
    for (int i = 0; i < k.length; i++) {
      if (k[i] != calls[i]) {
        throw new IllegalStateException(
            valid + " called gadget " + i + " " + k[i] + " times; GADGET_CALLS says " + calls[i]);
      }
    }
  }

  /** The query point coincides with a wire evaluation point (Flp.query's ERR_ABORT). */
  public static final class DegeneratePointException extends Exception {
    DegeneratePointException() {
      super("query randomness hit a root of unity used for the wire polynomials");
    }
  }
}
