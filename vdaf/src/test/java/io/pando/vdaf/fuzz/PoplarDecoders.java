package io.pando.vdaf.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.pando.codec.DecodeException;
import io.pando.vdaf.field.Field255;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes every Poplar1 decoder: aggregation parameters (generic and per instance), IDPF public
 * shares, input shares, prep shares and prep messages of both rounds at an inner and at the leaf
 * level, prep states, output and aggregate shares, and Field255 vectors. Any input must decode or
 * fail with DecodeException, nothing else; whatever decodes re-encodes to the same bytes.
 *
 * <p>Like {@code VdafDecodersFuzzTest}, one target covers them all (the first byte picks the
 * decoder). In fuzzing mode Jazzer fuzzes one target per run, so run this one on its own: {@code
 * ./mvnw -B -ntp -pl vdaf test -Dtest=PoplarDecodersFuzzTest}.
 */
final class PoplarDecoders {
  private PoplarDecoders() {}

  private static final List<Poplar1> VDAFS =
      List.of(new Poplar1(1), new Poplar1(4), new Poplar1(10));

  /** One input for the Poplar1 decoders (driven by {@link VdafDecodersFuzzTest}). */
  static void decode(FuzzedDataProvider data) throws Exception {
    int which = data.consumeInt(0, 14);
    Poplar1 p = VDAFS.get(data.consumeInt(0, VDAFS.size() - 1));
    // An inner level (the leaf when BITS is 1) and the leaf level, two prefixes each.
    Poplar1AggParam inner = Poplar1AggParam.of(0, 0, 1);
    Poplar1AggParam leaf = Poplar1AggParam.of(p.bits() - 1, 0, (1L << p.bits()) - 1);
    Poplar1AggParam aggParam = data.consumeBoolean() ? inner : leaf;
    byte[] b = data.consumeRemainingAsBytes();
    try {
      byte[] again = switch (which) {
        case 0 -> Poplar1AggParam.decode(b).encode();
        case 1 -> p.encodeAggParam(p.decodeAggParam(b));
        case 2 -> p.encodePublicShare(p.decodePublicShare(b));
        case 3 -> p.encodeInputShare(p.decodeInputShare(b));
        case 4 -> p.encodeVerifierShare(p.decodeVerifierShare(aggParam, 1, b));
        case 5 -> p.encodeVerifierShare(p.decodeVerifierShare(aggParam, 2, b));
        case 6 -> p.encodeVerifierMessage(p.decodeVerifierMessage(aggParam, 1, b));
        case 7 -> p.encodeVerifierMessage(p.decodeVerifierMessage(aggParam, 2, b));
        case 8 -> p.encodeVerifyState(p.decodeVerifyState(b));
        case 9 -> p.encodeOutputShare(p.decodeOutputShare(aggParam, b));
        case 10 -> p.encodeAggregateShare(p.decodeAggregateShare(aggParam, b));
        case 11 -> p.idpf().encodePublicShare(p.idpf().decodePublicShare(b));
        case 12 -> {
          // A decoded prep state decodes the peer's share and the message of its round.
          byte[][] parts = split(b);
          var state = p.decodeVerifyState(parts[0]);
          p.decodeVerifierShare(state, parts[1]);
          p.decodeVerifierMessage(state, parts[1]);
          yield b;
        }
        case 13 -> Field255.INSTANCE.encode(Field255.INSTANCE.decode(b));
        default -> {
          // A decoded aggregation parameter drives the decoders that take one.
          byte[][] parts = split(b);
          Poplar1AggParam decoded = p.decodeAggParam(parts[0]);
          p.decodeAggregateShare(decoded, parts[1]);
          yield b;
        }
      };
      assertArrayEquals(b, again, "decoding is not canonical");
    } catch (DecodeException expected) {
      // The only failure a decoder may report.
    }
  }

  /** Splits at the position given by the first byte (after it). */
  private static byte[][] split(byte[] b) {
    if (b.length == 0) {
      return new byte[][] {b, b};
    }
    int at = Math.min(b[0] & 0xff, b.length - 1);
    byte[] first = Arrays.copyOfRange(b, 1, 1 + at);
    byte[] second = Arrays.copyOfRange(b, 1 + at, b.length);
    return new byte[][] {first, second};
  }
}
