package io.pando.ohttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pando.codec.DecodeException;
import java.util.Optional;

/**
 * Fuzzes the Binary HTTP and key configuration decoders and the gateway's decapsulation with
 * Jazzer: any input decodes to a value that survives encode and decode unchanged, or fails with
 * the decoder's typed exception; nothing else escapes. The first byte picks the target. Runs for
 * {@code pando.fuzz.seconds} in the normal test suite (docs/FUZZING.md).
 */
class OhttpDecodersFuzzTest {
  private static final OhttpKeyPair KEY;

  static {
    try {
      KEY = ObliviousHttpRfcExampleTest.gatewayKey();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest
  void decode(FuzzedDataProvider data) throws Exception {
    int target = data.consumeInt(0, 4);
    byte[] input = data.consumeRemainingAsBytes();
    try {
      switch (target) {
        case 0 -> {
          BinaryHttpRequest r = BinaryHttpRequest.decode(input);
          assertEquals(r, BinaryHttpRequest.decode(r.encode()));
          assertEquals(r, BinaryHttpRequest.decode(r.encodeTruncated()));
        }
        case 1 -> {
          BinaryHttpResponse r = BinaryHttpResponse.decode(input);
          assertEquals(r, BinaryHttpResponse.decode(r.encode()));
          assertEquals(r, BinaryHttpResponse.decode(r.encodeTruncated()));
        }
        case 2 -> {
          KeyConfig c = KeyConfig.decode(input);
          assertEquals(c, KeyConfig.decode(c.encode()));
        }
        case 3 -> {
          var list = KeyConfig.decodeList(input);
          assertEquals(list, KeyConfig.decodeList(KeyConfig.encodeList(list)));
        }
        default -> ObliviousHttp.decapsulate(input,
            id -> id == 1 ? Optional.of(KEY) : Optional.empty());
      }
    } catch (DecodeException | OhttpException expected) {
      // the one typed failure of each decoder
    }
  }
}
