package io.pando.dap.messages.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pando.dap.messages.DapVersion;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProblemDocumentTest {
  @Test
  void roundTrips() {
    ProblemDocument d = ProblemDocument.of(DapProblemType.OUTDATED_CONFIG, "config 7 \"gone\"\n",
        "abc");
    ProblemDocument back = ProblemDocument.parse(d.toJson());
    assertEquals(d, back);
    assertEquals(Optional.of(DapProblemType.OUTDATED_CONFIG), back.dapType());
  }

  @Test
  void parsesWhatAggregatorsSend() {
    ProblemDocument d = ProblemDocument.parse("""
        {"type":"urn:ietf:params:ppm:dap:error:reportRejected","title":"Report rejected",
         "status":400,"taskid":"dGFzaw","extra":{"a":[1,2,{"b":"}"}]},"n":null,"ok":true}""");
    assertEquals(DapProblemType.REPORT_REJECTED, d.dapType().orElseThrow());
    assertEquals(400, d.status());
    assertEquals("dGFzaw", d.taskId());
  }

  @Test
  void neverThrowsOnGarbage() {
    Random rng = new Random(1);
    String alphabet = "{}[]\":,\\u0123456789abcdeftrnl ";
    for (int n = 0; n < 20000; n++) {
      StringBuilder sb = new StringBuilder();
      int len = rng.nextInt(40);
      for (int k = 0; k < len; k++) {
        sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
      }
      ProblemDocument.parse(sb.toString());
    }
    assertNull(ProblemDocument.parse("not json").type());
    assertNull(ProblemDocument.parse("{\"type\": 5}").type());
    assertNull(ProblemDocument.parse("{\"type\":\"x\"} trailing").type());
  }

  @Test
  void dapTypeOfAVersion() {
    ProblemDocument ext = ProblemDocument.of(DapProblemType.INVALID_EXTENSION, "x", null);
    assertEquals(Optional.of(DapProblemType.INVALID_EXTENSION), ext.dapType(DapVersion.DAP_18));
    assertEquals(Optional.empty(), ext.dapType(DapVersion.DAP_09));
    assertEquals(Optional.empty(), ext.dapType());
    ProblemDocument msg = ProblemDocument.of(DapProblemType.INVALID_MESSAGE, null, null);
    assertEquals(Optional.of(DapProblemType.INVALID_MESSAGE), msg.dapType(DapVersion.DAP_18));
    assertEquals(Optional.of(DapProblemType.INVALID_MESSAGE), msg.dapType(DapVersion.DAP_09));
    assertEquals(Optional.empty(),
        new ProblemDocument(null, null, null, null, null, null).dapType(DapVersion.DAP_18));
  }
}
