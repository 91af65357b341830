package io.pando.vdaf.flp;

import io.pando.vdaf.field.Field;

/**
 * A validity-circuit gadget (draft-irtf-cfrg-vdaf-08 §7.3.1): an arithmetic function of
 * {@link #arity()} inputs and degree {@link #degree()}, evaluated on field elements and on
 * polynomials.
 */
public interface Gadget {
  /** ARITY: number of inputs. */
  int arity();

  /** DEGREE: arithmetic degree. */
  int degree();

  /** Gadget.eval: out[oi] = G(in[0..arity)). */
  void eval(Field f, long[] in, long[] out, int oi);

  /**
   * Gadget.eval_poly: the gadget applied to polynomials. {@code wirePolys[j]} holds the
   * coefficients of wire polynomial j ({@code n} coefficients each, n a power of two); the result
   * has {@code degree() * (n - 1) + 1} coefficients.
   *
   * <p>The default evaluates the wire polynomials at enough roots of unity, applies {@link #eval}
   * pointwise and interpolates back, which is exact because the result's degree is known.
   */
  default long[] evalPoly(Field f, long[][] wirePolys, int n) {
    return Polys.evalPolyPointwise(f, this, wirePolys, n);
  }
}
