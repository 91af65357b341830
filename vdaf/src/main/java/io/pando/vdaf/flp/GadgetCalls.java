package io.pando.vdaf.flp;

/**
 * How a validity circuit calls its gadgets. The FLP substitutes wrappers that record every call's
 * inputs (draft-irtf-cfrg-vdaf-08 §7.3.3, ProveGadget and QueryGadget).
 */
@FunctionalInterface
public interface GadgetCalls {
  /**
   * Calls gadget number {@code gadget} on {@code input} (its first arity elements) and stores the
   * result in out[oi]. The callee copies what it keeps, so callers may reuse {@code input}.
   */
  void call(int gadget, long[] input, long[] out, int oi);
}
