package io.pando.vdaf.pingpong;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ping-pong topology for two aggregators (draft-irtf-cfrg-vdaf-08 §5.8): the leader and
 * helper take turns, each request carrying the leader's prep share and/or the current prep
 * message. Every failure becomes a {@link State.Rejected} state; nothing here throws on bad input.
 */
public final class PingPong<S, O> {
  private final PingPongVdaf<S, O> vdaf;

  public PingPong(PingPongVdaf<S, O> vdaf) {
    this.vdaf = Objects.requireNonNull(vdaf);
  }

  /** A state and the encoded message to send, or no message. */
  public record Transition<S, O>(State<S, O> state, byte[] outbound) {
    static <S, O> Transition<S, O> rejected(String reason) {
      return new Transition<>(new State.Rejected<>(reason), null);
    }
  }

  /** ping_pong_leader_init. */
  public Transition<S, O> leaderInit(byte[] verifyKey, byte[] aggParam, byte[] nonce,
      byte[] publicShare, byte[] inputShare) {
    try {
      PingPongVdaf.Init<S> init =
          vdaf.verifyInit(verifyKey, 0, aggParam, nonce, publicShare, inputShare);
      return new Transition<>(new State.Continued<>(init.state()),
          Message.initialize(init.prepShare()).encode());
    } catch (VdafException | DecodeException | IllegalArgumentException e) {
      return Transition.rejected("leader prep_init: " + e.getMessage());
    }
  }

  /** ping_pong_helper_init. */
  public Transition<S, O> helperInit(byte[] verifyKey, byte[] aggParam, byte[] nonce,
      byte[] publicShare, byte[] inputShare, byte[] inbound) {
    try {
      PingPongVdaf.Init<S> init =
          vdaf.verifyInit(verifyKey, 1, aggParam, nonce, publicShare, inputShare);
      Message in = Message.decode(inbound);
      if (in.type() != Message.Type.INITIALIZE) {
        return Transition.rejected("helper init: expected initialize, got " + in.type());
      }
      List<byte[]> prepShares = new ArrayList<>(2);
      prepShares.add(in.prepShare());
      prepShares.add(init.prepShare());
      return transition(aggParam, prepShares, init.state());
    } catch (VdafException | DecodeException | IllegalArgumentException e) {
      return Transition.rejected("helper prep_init: " + e.getMessage());
    }
  }

  /** ping_pong_leader_continued. */
  public Transition<S, O> leaderContinued(byte[] aggParam, State<S, O> state, byte[] inbound) {
    return continued(true, aggParam, state, inbound);
  }

  /** ping_pong_helper_continued. */
  public Transition<S, O> helperContinued(byte[] aggParam, State<S, O> state, byte[] inbound) {
    return continued(false, aggParam, state, inbound);
  }

  private Transition<S, O> transition(byte[] aggParam, List<byte[]> prepShares, S prepState)
      throws VdafException, DecodeException {
    byte[] prepMsg = vdaf.verifierSharesToMessage(aggParam, prepState, prepShares);
    PingPongVdaf.Step<S, O> out = vdaf.verifyNext(prepState, prepMsg);
    if (out instanceof PingPongVdaf.Step.Finish<S, O> f) {
      return new Transition<>(new State.Finished<>(f.outputShare()),
          Message.finish(prepMsg).encode());
    }
    PingPongVdaf.Step.Continue<S, O> c = (PingPongVdaf.Step.Continue<S, O>) out;
    return new Transition<>(new State.Continued<>(c.state()),
        Message.continued(prepMsg, c.prepShare()).encode());
  }

  private Transition<S, O> continued(boolean isLeader, byte[] aggParam, State<S, O> state,
      byte[] inbound) {
    try {
      Message in = Message.decode(inbound);
      if (in.type() == Message.Type.INITIALIZE) {
        return Transition.rejected("unexpected initialize message");
      }
      if (!(state instanceof State.Continued<S, O> c)) {
        return Transition.rejected("not in the continued state");
      }
      PingPongVdaf.Step<S, O> out = vdaf.verifyNext(c.prepState(), in.prepMessage());
      if (out instanceof PingPongVdaf.Step.Continue<S, O> next
          && in.type() == Message.Type.CONTINUE) {
        List<byte[]> prepShares = new ArrayList<>(2);
        prepShares.add(in.prepShare());
        prepShares.add(next.prepShare());
        if (isLeader) {
          java.util.Collections.reverse(prepShares);
        }
        return transition(aggParam, prepShares, next.state());
      }
      if (out instanceof PingPongVdaf.Step.Finish<S, O> f && in.type() == Message.Type.FINISH) {
        return new Transition<>(new State.Finished<>(f.outputShare()), null);
      }
      return Transition.rejected("message type " + in.type() + " does not match the VDAF round");
    } catch (VdafException | DecodeException | IllegalArgumentException e) {
      return Transition.rejected("prep_next: " + e.getMessage());
    }
  }
}
