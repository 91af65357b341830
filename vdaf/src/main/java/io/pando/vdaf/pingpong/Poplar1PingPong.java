package io.pando.vdaf.pingpong;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1VerifyInit;
import io.pando.vdaf.poplar1.Poplar1VerifierShare;
import io.pando.vdaf.poplar1.Poplar1VerifyState;
import io.pando.vdaf.poplar1.Poplar1VerifyStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Poplar1 seen through {@link PingPongVdaf}: encoded messages in and out, two rounds (§8.2.3), so
 * the topology runs init, one continue and finish (draft-08 §5.8).
 */
public final class Poplar1PingPong implements PingPongVdaf<Poplar1VerifyState, Poplar1OutputShare> {
  private static final byte[] NO_CONTEXT = new byte[0];

  private final Poplar1 poplar;
  private final byte[] ctx;

  public Poplar1PingPong(Poplar1 poplar) {
    this(poplar, NO_CONTEXT);
  }

  /** With the application context (draft-20 §4; empty for draft-08). */
  public Poplar1PingPong(Poplar1 poplar, byte[] ctx) {
    this.poplar = poplar;
    this.ctx = ctx.clone();
  }

  /** The ping-pong topology over Poplar1. */
  public static PingPong<Poplar1VerifyState, Poplar1OutputShare> of(Poplar1 poplar) {
    return new PingPong<>(new Poplar1PingPong(poplar));
  }

  @Override
  public Init<Poplar1VerifyState> verifyInit(byte[] verifyKey, int aggId, byte[] aggParam,
      byte[] nonce, byte[] publicShare, byte[] inputShare) throws DecodeException {
    Poplar1VerifyInit init = poplar.verifyInit(verifyKey, ctx, aggId, poplar.decodeAggParam(aggParam),
        nonce, poplar.decodePublicShare(publicShare), poplar.decodeInputShare(inputShare));
    return new Init<>(init.state(), poplar.encodeVerifierShare(init.share()));
  }

  @Override
  public byte[] verifierSharesToMessage(byte[] aggParam, Poplar1VerifyState state,
      List<byte[]> prepShares) throws VdafException, DecodeException {
    Poplar1AggParam param = poplar.decodeAggParam(aggParam);
    List<Poplar1VerifierShare> decoded = new ArrayList<>(prepShares.size());
    for (byte[] s : prepShares) {
      decoded.add(poplar.decodeVerifierShare(state, s));
    }
    return poplar.encodeVerifierMessage(poplar.verifierSharesToMessage(ctx, param, decoded));
  }

  @Override
  public Step<Poplar1VerifyState, Poplar1OutputShare> verifyNext(Poplar1VerifyState state,
      byte[] prepMessage) throws VdafException, DecodeException {
    Poplar1VerifyStep step = poplar.verifyNext(ctx, state,
        poplar.decodeVerifierMessage(state, prepMessage));
    if (step instanceof Poplar1VerifyStep.Continue c) {
      return new Step.Continue<>(c.state(), poplar.encodeVerifierShare(c.share()));
    }
    return new Step.Finish<>(((Poplar1VerifyStep.Finish) step).outputShare());
  }
}
