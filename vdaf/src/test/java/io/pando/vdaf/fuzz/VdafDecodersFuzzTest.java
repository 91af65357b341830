package io.pando.vdaf.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pando.codec.DecodeException;
import io.pando.vdaf.field.Field128;
import io.pando.vdaf.field.Field64;
import io.pando.vdaf.pingpong.Message;
import io.pando.vdaf.prio3.Prio3;
import java.util.List;

/**
 * Fuzzes every VDAF-layer decoder: Prio3 public shares, input shares (leader and helper), prep
 * shares, prep messages, prep states, output and aggregate shares of both drafts, field vectors,
 * ping-pong messages, and every Poplar1 decoder ({@link PoplarDecoders}). Any input must decode or fail with DecodeException, nothing else; whatever decodes
 * re-encodes to the same bytes.
 *
 * <p>One fuzz target covers them all (the first byte picks the decoder) because a fuzzing run
 * drives a single target. Runs for {@code pando.fuzz.seconds} in the normal test suite; see
 * docs/FUZZING.md for long runs.
 */
class VdafDecodersFuzzTest {
  private static final List<Prio3<?, ?>> VDAFS = List.of(
      Prio3.count(), Prio3.sum(8), Prio3.sumVec(3, 2, 2), Prio3.histogram(4, 2),
      Prio3.multihotCountVec(4, 2, 2), Prio3.sumVecField64MultiproofHmacSha256Aes128(3, 2, 2),
      // draft-20: 32-byte seeds, single-seed helper shares, three aggregators
      Prio3.Draft20.count(), Prio3.Draft20.sum(1337), Prio3.Draft20.sumVec(3, 255, 2),
      Prio3.Draft20.histogram(4, 2).withShares(3), Prio3.Draft20.multihotCountVec(4, 2, 2),
      Prio3.Draft20.sumVecWithMultiproof(Field64.INSTANCE, 3, 3, 7, 2));

  @FuzzTest
  void decode(FuzzedDataProvider data) throws Exception {
    if (data.consumeInt(0, 3) == 0) {
      PoplarDecoders.decode(data); // one target per module: Poplar1 shares this one
      return;
    }
    int which = data.consumeInt(0, 10);
    Prio3<?, ?> p = VDAFS.get(data.consumeInt(0, VDAFS.size() - 1));
    byte[] b = data.consumeRemainingAsBytes();
    try {
      byte[] again = switch (which) {
        case 0 -> p.encodePublicShare(p.decodePublicShare(b));
        case 1 -> p.encodeInputShare(p.decodeInputShare(0, b));
        case 2 -> p.encodeInputShare(p.decodeInputShare(p.shares() - 1, b));
        case 3 -> p.encodeVerifierShare(p.decodeVerifierShare(b));
        case 4 -> p.encodeVerifierMessage(p.decodeVerifierMessage(b));
        case 5 -> p.encodeVerifyState(p.decodeVerifyState(b));
        case 6 -> p.encodeOutputShare(p.decodeOutputShare(b));
        case 7 -> p.encodeAggregateShare(p.decodeAggregateShare(b));
        case 8 -> Field64.INSTANCE.encode(Field64.INSTANCE.decode(b));
        case 9 -> Field128.INSTANCE.encode(Field128.INSTANCE.decode(b));
        default -> Message.decode(b).encode();
      };
      assertArrayEquals(b, again, "decoding is not canonical");
    } catch (DecodeException expected) {
      // The only failure a decoder may report.
    }
  }
}
