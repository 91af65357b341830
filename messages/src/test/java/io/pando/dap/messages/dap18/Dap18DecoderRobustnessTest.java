package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds random, truncated and mutated inputs to every DAP-18 decoder. Whatever the bytes, a
 * decoder either returns a value whose encoding is exactly the input or throws {@link
 * DecodeException}; nothing else may escape.
 */
class Dap18DecoderRobustnessTest {
  private static final long SEED = 0x5eed_da18L;
  private static final Map<String, Decoder.Reader<?>> DECODERS = Dap18Decoders.decoders();
  private static final List<byte[]> SEEDS = Dap18Decoders.seeds();

  private static void feedAll(byte[] input) {
    for (Map.Entry<String, Decoder.Reader<?>> e : DECODERS.entrySet()) {
      Object value;
      try {
        value = Decoder.decodeAll(input.clone(), e.getValue());
      } catch (DecodeException expected) {
        continue;
      } catch (Throwable t) {
        fail(e.getKey() + " threw " + t + " on " + Hex.of(input), t);
        return;
      }
      byte[] again = ((Encodable) value).encode();
      if (!Arrays.equals(input, again)) {
        fail(e.getKey() + " decoded " + Hex.of(input) + " to " + value + ", which encodes to "
            + Hex.of(again));
      }
    }
  }

  @Test
  void everySeedDecodesAsItsOwnType() throws DecodeException {
    for (Encodable value : Dap18Decoders.values()) {
      String name = "dap18 " + value.getClass().getSimpleName();
      Decoder.Reader<?> reader = DECODERS.get(name);
      assertTrue(reader != null, name);
      assertEquals(value, Decoder.decodeAll(value.encode(), reader), name);
    }
  }

  @Test
  void randomBytes() {
    Random random = new Random(SEED);
    for (int i = 0; i < 5_000; i++) {
      int length = i < 1_000 ? i % 12 : random.nextInt(i < 3_000 ? 64 : 400);
      byte[] input = new byte[length];
      random.nextBytes(input);
      if (length > 0 && random.nextBoolean()) {
        // Small leading values reach deeper: batch modes, types, short lengths.
        input[0] = (byte) random.nextInt(4);
      }
      feedAll(input);
    }
  }

  @Test
  void truncationsOfEverySeed() {
    for (byte[] bytes : SEEDS) {
      for (int n = 0; n < bytes.length; n++) {
        feedAll(Arrays.copyOf(bytes, n));
        feedAll(Arrays.copyOfRange(bytes, n, bytes.length));
      }
    }
  }

  @Test
  void mutationsOfEverySeed() {
    Random random = new Random(SEED);
    for (byte[] bytes : SEEDS) {
      for (int i = 0; i < bytes.length; i++) {
        for (int v : new int[] {0x00, 0xff, bytes[i] ^ 0x01}) {
          byte[] m = bytes.clone();
          m[i] = (byte) v;
          feedAll(m);
        }
        for (int width : new int[] {2, 4}) {
          if (i + width <= bytes.length) {
            byte[] m = bytes.clone();
            Arrays.fill(m, i, i + width, (byte) 0xff);
            feedAll(m);
          }
        }
      }
      for (int k = 0; k < 10; k++) {
        byte[] m = bytes.clone();
        for (int j = 0, flips = 1 + random.nextInt(4); j < flips && m.length > 0; j++) {
          m[random.nextInt(m.length)] = (byte) random.nextInt(256);
        }
        feedAll(m);
        byte[] other = SEEDS.get(random.nextInt(SEEDS.size()));
        int cut = random.nextInt(bytes.length + 1);
        int from = random.nextInt(other.length + 1);
        byte[] splice = Arrays.copyOf(bytes, cut + other.length - from);
        System.arraycopy(other, from, splice, cut, other.length - from);
        feedAll(splice);
      }
    }
  }

  @Test
  void forgedLengthsFail() {
    byte[] report = Hex.bytes(hex(
        "0102030405060708090a0b0c0d0e0f10", // report_metadata.report_id
        "0000000000000001", // report_metadata.time
        "0000", // report_metadata.public_extensions: empty
        "ffffffff", "7075626c6963")); // public_share: length 2^32-1, six bytes present
    byte[] init = Hex.bytes(hex(
        "00", // verification_key_id
        "fffffff0", "00")); // agg_param: length near 2^32, one byte present
    // The decoder checks a length against the bytes present before allocating.
    assertThrows(DecodeException.class, () -> UploadRequest.decode(report));
    assertThrows(DecodeException.class, () -> AggregationJobInitReq.decode(init));
  }
}
