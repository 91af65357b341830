package io.pando.vdaf.pingpong;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import java.util.List;

/**
 * What the ping-pong topology needs of a VDAF: preparation on encoded messages
 * (draft-irtf-cfrg-vdaf-08 §5.2, §5.8).
 *
 * @param <S> prep state
 * @param <O> output share
 */
public interface PingPongVdaf<S, O> {
  /**
   * verify_init (draft-08: prep_init) on encoded public and input shares; returns the state and
   * the encoded verifier (prep) share.
   */
  Init<S> verifyInit(byte[] verifyKey, int aggId, byte[] aggParam, byte[] nonce, byte[] publicShare,
      byte[] inputShare) throws VdafException, DecodeException;

  /**
   * verifier_shares_to_message (draft-08: prep_shares_to_prep) on encoded shares (aggregator
   * order); the encoded message.
   */
  byte[] verifierSharesToMessage(byte[] aggParam, S state, List<byte[]> prepShares)
      throws VdafException, DecodeException;

  /** verify_next (draft-08: prep_next) on an encoded message. */
  Step<S, O> verifyNext(S state, byte[] prepMessage) throws VdafException, DecodeException;

  /** The prep state after prep_init and the encoded prep share to send. */
  record Init<S>(S state, byte[] prepShare) {}

  /** The outcome of prep_next: another round, or the output share. */
  sealed interface Step<S, O> {
    /** Another round: the next state and the encoded prep share for it. */
    record Continue<S, O>(S state, byte[] prepShare) implements Step<S, O> {}

    /** Preparation is done. */
    record Finish<S, O>(O outputShare) implements Step<S, O> {}
  }
}
