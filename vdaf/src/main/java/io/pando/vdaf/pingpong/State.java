package io.pando.vdaf.pingpong;

/**
 * A ping-pong state (draft-irtf-cfrg-vdaf-08 §5.8): Continued with a prep state, Finished with an
 * output share, or Rejected with the reason.
 */
public sealed interface State<S, O> {
  record Continued<S, O>(S prepState) implements State<S, O> {}

  record Finished<S, O>(O outputShare) implements State<S, O> {}

  record Rejected<S, O>(String reason) implements State<S, O> {}
}
