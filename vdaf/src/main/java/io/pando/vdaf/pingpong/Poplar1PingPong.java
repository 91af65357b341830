package io.pando.vdaf.pingpong;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1PrepInit;
import io.pando.vdaf.poplar1.Poplar1PrepShare;
import io.pando.vdaf.poplar1.Poplar1PrepState;
import io.pando.vdaf.poplar1.Poplar1PrepStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Poplar1 seen through {@link PingPongVdaf}: encoded messages in and out, two rounds (§8.2.3), so
 * the topology runs init, one continue and finish (draft-08 §5.8).
 */
public final class Poplar1PingPong implements PingPongVdaf<Poplar1PrepState, Poplar1OutputShare> {
  private final Poplar1 poplar;

  public Poplar1PingPong(Poplar1 poplar) {
    this.poplar = poplar;
  }

  /** The ping-pong topology over Poplar1. */
  public static PingPong<Poplar1PrepState, Poplar1OutputShare> of(Poplar1 poplar) {
    return new PingPong<>(new Poplar1PingPong(poplar));
  }

  @Override
  public Init<Poplar1PrepState> verifyInit(byte[] verifyKey, int aggId, byte[] aggParam,
      byte[] nonce, byte[] publicShare, byte[] inputShare) throws DecodeException {
    Poplar1PrepInit init = poplar.prepInit(verifyKey, aggId, poplar.decodeAggParam(aggParam),
        nonce, poplar.decodePublicShare(publicShare), poplar.decodeInputShare(inputShare));
    return new Init<>(init.state(), poplar.encodePrepShare(init.share()));
  }

  @Override
  public byte[] verifierSharesToMessage(byte[] aggParam, Poplar1PrepState state,
      List<byte[]> prepShares) throws VdafException, DecodeException {
    Poplar1AggParam param = poplar.decodeAggParam(aggParam);
    List<Poplar1PrepShare> decoded = new ArrayList<>(prepShares.size());
    for (byte[] s : prepShares) {
      decoded.add(poplar.decodePrepShare(state, s));
    }
    return poplar.encodePrepMessage(poplar.prepSharesToPrep(param, decoded));
  }

  @Override
  public Step<Poplar1PrepState, Poplar1OutputShare> verifyNext(Poplar1PrepState state,
      byte[] prepMessage) throws VdafException, DecodeException {
    Poplar1PrepStep step = poplar.prepNext(state, poplar.decodePrepMessage(state, prepMessage));
    if (step instanceof Poplar1PrepStep.Continue c) {
      return new Step.Continue<>(c.state(), poplar.encodePrepShare(c.share()));
    }
    return new Step.Finish<>(((Poplar1PrepStep.Finish) step).outputShare());
  }
}
