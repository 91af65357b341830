package io.pando.vdaf.poplar1;

/** The outcome of {@code prepNext}: the second sketching round, or the output share. */
public sealed interface Poplar1PrepStep {
  /** After round 1: the round-2 state and the round-2 prep share to send. */
  record Continue(Poplar1PrepState state, Poplar1PrepShare share) implements Poplar1PrepStep {}

  /** After round 2: the sketch verified and preparation is done. */
  record Finish(Poplar1OutputShare outputShare) implements Poplar1PrepStep {}
}
