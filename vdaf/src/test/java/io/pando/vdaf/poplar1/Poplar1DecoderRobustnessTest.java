package io.pando.vdaf.poplar1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs and single-byte mutations of valid encodings, fed to every Poplar1 decoder
 * on every build (the Jazzer target {@code PoplarDecodersFuzzTest} is only fuzzed when run on its
 * own). Each input must decode or fail with DecodeException; whatever decodes re-encodes to the
 * same bytes.
 */
class Poplar1DecoderRobustnessTest {
  private static final Random RNG = new Random(0x5eed);

  @FunctionalInterface
  private interface Codec {
    byte[] roundTrip(byte[] b) throws DecodeException;
  }

  /** Returns whether b decoded; fails on anything but success or DecodeException. */
  private static boolean feed(String what, Codec codec, byte[] b) {
    try {
      assertArrayEquals(b, codec.roundTrip(b), what + ": decoding is not canonical");
      return true;
    } catch (DecodeException expected) {
      return false;
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": " + e, e);
    }
  }

  @Test
  void randomAndMutatedInputsDecodeOrFailWithDecodeException() throws Exception {
    Poplar1 p = new Poplar1(6);
    byte[] nonce = new byte[16];
    RNG.nextBytes(nonce);
    byte[] verifyKey = new byte[16];
    Poplar1Sharded s = p.shard(BigInteger.valueOf(0b101001), nonce);
    Poplar1AggParam inner = Poplar1AggParam.of(2, 1, 5);
    Poplar1AggParam leaf = Poplar1AggParam.of(5, 41, 42);

    List<String> names = new ArrayList<>();
    List<Codec> codecs = new ArrayList<>();
    List<byte[]> valid = new ArrayList<>();
    names.add("agg param");
    codecs.add(b -> p.encodeAggParam(p.decodeAggParam(b)));
    valid.add(inner.encode());
    names.add("public share");
    codecs.add(b -> p.encodePublicShare(p.decodePublicShare(b)));
    valid.add(p.encodePublicShare(s.publicShare()));
    names.add("input share");
    codecs.add(b -> p.encodeInputShare(p.decodeInputShare(b)));
    valid.add(p.encodeInputShare(s.inputShares().get(0)));
    for (Poplar1AggParam ap : List.of(inner, leaf)) {
      Poplar1VerifyInit init =
          p.verifyInit(verifyKey, 0, ap, nonce, s.publicShare(), s.inputShares().get(0));
      names.add("prep share " + ap.level());
      codecs.add(b -> p.encodeVerifierShare(p.decodeVerifierShare(ap, 1, b)));
      valid.add(p.encodeVerifierShare(init.share()));
      names.add("prep message " + ap.level());
      codecs.add(b -> p.encodeVerifierMessage(p.decodeVerifierMessage(ap, 1, b)));
      valid.add(p.encodeVerifierShare(init.share()));
      names.add("prep state " + ap.level());
      codecs.add(b -> p.encodeVerifyState(p.decodeVerifyState(b)));
      valid.add(p.encodeVerifyState(init.state()));
      names.add("aggregate share " + ap.level());
      codecs.add(b -> p.encodeAggregateShare(p.decodeAggregateShare(ap, b)));
      valid.add(p.encodeAggregateShare(p.emptyAggregateShare(ap)));
    }

    for (int c = 0; c < codecs.size(); c++) {
      String what = names.get(c);
      Codec codec = codecs.get(c);
      byte[] good = valid.get(c);
      assertTrue(feed(what, codec, good), what + ": the valid encoding must decode");
      for (int i = 0; i < 300; i++) {
        byte[] random = new byte[RNG.nextInt(good.length + 40)];
        RNG.nextBytes(random);
        feed(what, codec, random);
        byte[] mutated = good.clone();
        int at = RNG.nextInt(mutated.length);
        mutated[at] = (byte) (i < 100 ? 0xff : RNG.nextInt(256));
        feed(what, codec, mutated);
      }
    }
  }
}
