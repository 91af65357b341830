package io.pando.vdaf.pingpong;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyInit;
import io.pando.vdaf.prio3.VerifierShare;
import io.pando.vdaf.prio3.VerifyState;
import io.pando.vdaf.prio3.Prio3;
import java.util.ArrayList;
import java.util.List;

/** Prio3 seen through {@link PingPongVdaf}: encoded messages in and out, one round. */
public final class Prio3PingPong implements PingPongVdaf<VerifyState, OutputShare> {
  private static final byte[] NO_CONTEXT = new byte[0];

  private final Prio3<?, ?> prio3;
  private final byte[] ctx;

  public Prio3PingPong(Prio3<?, ?> prio3) {
    this(prio3, NO_CONTEXT);
  }

  /** With the application context (draft-20 §4; empty for draft-08). */
  public Prio3PingPong(Prio3<?, ?> prio3, byte[] ctx) {
    this.ctx = ctx.clone();
    if (prio3.shares() != 2) {
      throw new IllegalArgumentException("the ping-pong topology needs exactly two aggregators");
    }
    this.prio3 = prio3;
  }

  /** The ping-pong topology over Prio3. */
  public static PingPong<VerifyState, OutputShare> of(Prio3<?, ?> prio3) {
    return new PingPong<>(new Prio3PingPong(prio3));
  }

  private static void noAggParam(byte[] aggParam) throws DecodeException {
    if (aggParam != null && aggParam.length != 0) {
      throw new DecodeException("Prio3 takes no aggregation parameter");
    }
  }

  @Override
  public Init<VerifyState> verifyInit(byte[] verifyKey, int aggId, byte[] aggParam, byte[] nonce,
      byte[] publicShare, byte[] inputShare) throws VdafException, DecodeException {
    noAggParam(aggParam);
    VerifyInit init = prio3.verifyInit(verifyKey, ctx, aggId, nonce, prio3.decodePublicShare(publicShare),
        prio3.decodeInputShare(aggId, inputShare));
    return new Init<>(init.state(), prio3.encodeVerifierShare(init.share()));
  }

  @Override
  public byte[] verifierSharesToMessage(byte[] aggParam, VerifyState state, List<byte[]> prepShares)
      throws VdafException, DecodeException {
    noAggParam(aggParam);
    List<VerifierShare> decoded = new ArrayList<>(prepShares.size());
    for (byte[] s : prepShares) {
      decoded.add(prio3.decodeVerifierShare(s));
    }
    return prio3.encodeVerifierMessage(prio3.verifierSharesToMessage(ctx, decoded));
  }

  @Override
  public Step<VerifyState, OutputShare> verifyNext(VerifyState state, byte[] prepMessage)
      throws VdafException, DecodeException {
    return new Step.Finish<>(prio3.verifyNext(state, prio3.decodeVerifierMessage(prepMessage)));
  }
}
