package io.pando.core.vdaf;

import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.pingpong.PingPong;
import java.util.List;

/**
 * A task's VDAF as the DAP aggregators and the collector use it: the one place where aggregation
 * code meets a VDAF (DAP-09 §4.5, §4.6; draft-irtf-cfrg-vdaf-08 §5). Prio3 ({@link Prio3DapVdaf})
 * and Poplar1 ({@link Poplar1DapVdaf}) implement it. Prep states, output shares and aggregate
 * shares are the VDAF's own objects, opaque here; an aggregation parameter travels encoded.
 *
 * <p>The application context {@code ctx} (draft-20 §4) is empty for DAP-09; DAP-18 passes its
 * {@code DapVersion.vdafContext(taskId)}.
 */
public interface DapVdaf {
  /** The VDAF of a task's VDAF description. */
  static DapVdaf of(VdafInstance instance) {
    return instance instanceof VdafInstance.Poplar1 p
        ? Poplar1DapVdaf.of(p.poplar1())
        : new Prio3DapVdaf(instance.prio3());
  }

  /** The VDAF draft. */
  VdafVersion version();

  /** VERIFY_KEY_SIZE. */
  int verifyKeySize();

  /** ROUNDS: the number of preparation rounds (1 for Prio3, 2 for Poplar1). */
  int rounds();

  /**
   * Whether the VDAF takes a non-empty aggregation parameter, which a collector chooses: the
   * leader then aggregates a batch only when a collection job names the parameter.
   */
  boolean takesAggregationParameter();

  /** The ping-pong topology (draft-08 §5.8) with the application context. */
  PingPong<Object, Object> pingPong(byte[] ctx);

  /** Decodes the public share and an aggregator's input share, or throws. */
  void checkShares(int aggId, byte[] publicShare, byte[] inputShare) throws DecodeException;

  /** The encoded length of the public share. */
  int publicShareLength();

  /** The encoded length of aggregator {@code aggId}'s input share. */
  int inputShareLength(int aggId);

  /** An upper bound on the encoded length of a verifier (prep) share, for body limits. */
  int maxVerifierShareLength();

  /** An upper bound on the encoded length of a verifier (prep) message, for body limits. */
  int maxVerifierMessageLength();

  /**
   * Decodes an aggregation parameter and checks it against the parameters the batch was already
   * aggregated with (draft-08 §5.3 is_valid).
   *
   * @throws DecodeException if it does not decode
   * @return whether it is valid after {@code previous}
   */
  boolean isValid(byte[] aggParam, List<byte[]> previous) throws DecodeException;

  /** Encodes a prep state to persist between rounds. */
  byte[] encodeVerifyState(Object state);

  /** Decodes a persisted prep state. */
  Object decodeVerifyState(byte[] aggParam, byte[] encoded) throws DecodeException;

  /** Encodes an output share to persist between rounds. */
  byte[] encodeOutputShare(Object outputShare);

  /** Decodes a persisted output share. */
  Object decodeOutputShare(byte[] aggParam, byte[] encoded) throws DecodeException;

  /** The identity of {@link #merge} for the parameter. */
  Object emptyAggregateShare(byte[] aggParam);

  /** Vdaf.aggregate: the sum of output shares. */
  Object aggregate(byte[] aggParam, List<Object> outputShares);

  /** The sum of two aggregate shares. */
  Object merge(Object a, Object b);

  byte[] encodeAggregateShare(Object aggregateShare);

  Object decodeAggregateShare(byte[] aggParam, byte[] encoded) throws DecodeException;

  /**
   * Vdaf.unshard on encoded aggregate shares (leader's first): the aggregate result (Prio3: the
   * type's result; Poplar1: a {@code List<Long>} of prefix counts).
   */
  Object unshard(byte[] aggParam, List<byte[]> aggregateShares, long numMeasurements)
      throws DecodeException;
}
