package io.pando.vdaf.poplar1;

/** The outcome of {@code verifyNext}: the second sketching round, or the output share. */
public sealed interface Poplar1VerifyStep {
  /** After round 1: the round-2 state and the round-2 prep share to send. */
  record Continue(Poplar1VerifyState state, Poplar1VerifierShare share) implements Poplar1VerifyStep {}

  /** After round 2: the sketch verified and preparation is done. */
  record Finish(Poplar1OutputShare outputShare) implements Poplar1VerifyStep {}
}
