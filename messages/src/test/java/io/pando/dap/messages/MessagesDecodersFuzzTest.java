package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.dap.messages.dap18.Dap18Decoders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes every DAP-09 and DAP-18 message decoder with Jazzer: any input decodes to a value whose encoding is
 * exactly the input, or fails with DecodeException; nothing else escapes. One target covers all
 * decoders (the first input byte picks one) because a fuzzing run drives a single target. Runs for
 * {@code pando.fuzz.seconds} in the normal test suite; docs/FUZZING.md has long runs.
 */
class MessagesDecodersFuzzTest {
  private static final List<Map.Entry<String, Decoder.Reader<?>>> DECODERS = decoders();

  /** The DAP-09 decoders, then the DAP-18 ones. */
  private static List<Map.Entry<String, Decoder.Reader<?>>> decoders() {
    List<Map.Entry<String, Decoder.Reader<?>>> out =
        new ArrayList<>(DecoderRobustnessTest.decoders().entrySet());
    out.addAll(Dap18Decoders.decoders().entrySet());
    return out;
  }

  @FuzzTest
  void decode(FuzzedDataProvider data) throws Exception {
    Map.Entry<String, Decoder.Reader<?>> d = DECODERS.get(data.consumeInt(0, DECODERS.size() - 1));
    byte[] input = data.consumeRemainingAsBytes();
    Object value;
    try {
      value = Decoder.decodeAll(input, d.getValue());
    } catch (DecodeException expected) {
      return;
    }
    assertArrayEquals(input, ((Encodable) value).encode(), d.getKey() + " is not canonical");
  }
}
