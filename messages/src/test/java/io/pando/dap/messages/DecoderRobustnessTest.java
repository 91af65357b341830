package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds random, truncated and mutated inputs to every decoder. Whatever the bytes, a decoder either
 * returns a value whose encoding is exactly the input (encodings are canonical) or throws {@link
 * DecodeException}; nothing else may escape.
 */
class DecoderRobustnessTest {
  private static final long SEED = 0x5eed_da09L;

  /** Every strict decoder: one per fixture, plus those that accept either query type. */
  static Map<String, Decoder.Reader<?>> decoders() {
    Map<String, Decoder.Reader<?>> out = new LinkedHashMap<>();
    for (Fixture<?> f : Fixtures.all()) {
      out.put(f.name(), f.reader());
    }
    out.put("PrepareStepResult", PrepareStepResult::decode);
    out.put("Query(any)", Query::decode);
    out.put("PartialBatchSelector(any)", PartialBatchSelector::decode);
    out.put("BatchSelector(any)", BatchSelector::decode);
    out.put("AggregationJobInitReq(any)", AggregationJobInitReq::decode);
    out.put("CollectionReq(any)", CollectionReq::decode);
    out.put("Collection(any)", Collection::decode);
    out.put("AggregateShareReq(any)", AggregateShareReq::decode);
    out.put("AggregateShareAad(any)", AggregateShareAad::decode);
    return out;
  }

  private static final Map<String, Decoder.Reader<?>> DECODERS = decoders();

  /** Runs every decoder on {@code input}: only canonical values and DecodeException are allowed. */
  private static void feedAll(byte[] input) {
    for (Map.Entry<String, Decoder.Reader<?>> e : DECODERS.entrySet()) {
      feed(e.getKey(), e.getValue(), input);
    }
  }

  private static void feed(String name, Decoder.Reader<?> reader, byte[] input) {
    Object value;
    try {
      value = Decoder.decodeAll(input.clone(), reader);
    } catch (DecodeException expected) {
      return;
    } catch (Throwable t) {
      fail(name + " threw " + t + " on " + Hex.of(input), t);
      return;
    }
    byte[] again = ((Encodable) value).encode();
    if (!Arrays.equals(input, again)) {
      fail(name + " decoded " + Hex.of(input) + " to " + value + ", which encodes to "
          + Hex.of(again));
    }
  }

  @Test
  void randomBytes() {
    Random random = new Random(SEED);
    for (int i = 0; i < 10_000; i++) {
      int length = i < 1_000 ? i % 12 : random.nextInt(i < 6_000 ? 64 : 400);
      byte[] input = new byte[length];
      random.nextBytes(input);
      if (length > 0 && random.nextBoolean()) {
        // Small leading values reach deeper than uniform bytes: query types, states, lengths.
        input[0] = (byte) random.nextInt(4);
      }
      feedAll(input);
    }
  }

  @Test
  void truncationsOfEveryFixture() {
    for (Fixture<?> f : Fixtures.all()) {
      byte[] bytes = f.bytes();
      for (int n = 0; n < bytes.length; n++) {
        byte[] prefix = Arrays.copyOf(bytes, n);
        // A proper prefix of a valid encoding never decodes as the same type ...
        assertThrows(DecodeException.class, () -> f.decode(prefix), f.name() + " prefix " + n);
        // ... and no decoder misbehaves on it.
        feedAll(prefix);
        feedAll(Arrays.copyOfRange(bytes, n, bytes.length));
      }
    }
  }

  @Test
  void mutationsOfEveryFixture() {
    Random random = new Random(SEED);
    List<Fixture<?>> all = Fixtures.all();
    for (Fixture<?> f : all) {
      byte[] bytes = f.bytes();
      for (int i = 0; i < bytes.length; i++) {
        for (int v : new int[] {0x00, 0xff, bytes[i] ^ 0x01}) {
          byte[] m = bytes.clone();
          m[i] = (byte) v;
          feedAll(m);
        }
        // A forged 2- and 4-byte length (or value) at every offset.
        for (int width : new int[] {2, 4}) {
          if (i + width <= bytes.length) {
            byte[] m = bytes.clone();
            Arrays.fill(m, i, i + width, (byte) 0xff);
            feedAll(m);
          }
        }
        // One byte deleted, one inserted.
        byte[] deleted = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, deleted, 0, i);
        System.arraycopy(bytes, i + 1, deleted, i, bytes.length - i - 1);
        feedAll(deleted);
        byte[] inserted = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, inserted, 0, i);
        inserted[i] = (byte) random.nextInt(256);
        System.arraycopy(bytes, i, inserted, i + 1, bytes.length - i);
        feedAll(inserted);
      }
      // Random multi-byte mutations and splices with another fixture.
      for (int k = 0; k < 20; k++) {
        byte[] m = bytes.clone();
        int flips = 1 + random.nextInt(4);
        for (int j = 0; j < flips && m.length > 0; j++) {
          m[random.nextInt(m.length)] = (byte) random.nextInt(256);
        }
        feedAll(m);
        byte[] other = all.get(random.nextInt(all.size())).bytes();
        int cut = random.nextInt(bytes.length + 1);
        int from = random.nextInt(other.length + 1);
        byte[] splice = Arrays.copyOf(bytes, cut + other.length - from);
        System.arraycopy(other, from, splice, cut, other.length - from);
        feedAll(splice);
      }
    }
  }
}
