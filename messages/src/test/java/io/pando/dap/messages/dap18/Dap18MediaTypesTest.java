package io.pando.dap.messages.dap18;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.dap.messages.dap18.MediaTypes.Message;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DAP-18 §9.1: {@code application/ppm-dap} and its {@code message} parameter. */
class Dap18MediaTypesTest {
  @Test
  void theMessagesOfTheRegistration() {
    assertEquals("application/ppm-dap;message=hpke-config-list", MediaTypes.HPKE_CONFIG_LIST);
    assertEquals("application/ppm-dap;message=upload-req", MediaTypes.UPLOAD_REQ);
    assertEquals("application/ppm-dap;message=upload-errors", MediaTypes.UPLOAD_ERRORS);
    assertEquals("application/ppm-dap;message=aggregation-job-init-req",
        MediaTypes.AGGREGATION_JOB_INIT_REQ);
    assertEquals("application/ppm-dap;message=aggregation-job-resp",
        MediaTypes.AGGREGATION_JOB_RESP);
    assertEquals("application/ppm-dap;message=aggregation-job-continue-req",
        MediaTypes.AGGREGATION_JOB_CONTINUE_REQ);
    assertEquals("application/ppm-dap;message=aggregate-share-req",
        MediaTypes.AGGREGATE_SHARE_REQ);
    assertEquals("application/ppm-dap;message=aggregate-share", MediaTypes.AGGREGATE_SHARE);
    assertEquals("application/ppm-dap;message=collection-job-req", MediaTypes.COLLECTION_JOB_REQ);
    assertEquals("application/ppm-dap;message=collection-job-resp",
        MediaTypes.COLLECTION_JOB_RESP);
    assertEquals(10, Message.values().length);
    for (Message m : Message.values()) {
      assertEquals(Optional.of(m), MediaTypes.parse(m.mediaType()), m.name());
      assertEquals(Optional.of(m), Message.fromValue(m.value()));
    }
  }

  @Test
  void parsesRfc9110Syntax() {
    Optional<Message> init = Optional.of(Message.AGGREGATION_JOB_INIT_REQ);
    // The draft's own example header value.
    assertEquals(init, MediaTypes.parse("application/ppm-dap;message=aggregation-job-init-req"));
    // Case-insensitive type, subtype and parameter name; whitespace around ";".
    assertEquals(init, MediaTypes.parse("Application/PPM-DAP ; MESSAGE=aggregation-job-init-req"));
    assertEquals(init, MediaTypes.parse("application/ppm-dap;\tmessage=aggregation-job-init-req "));
    // A quoted value, with and without a quoted-pair.
    assertEquals(init,
        MediaTypes.parse("application/ppm-dap; message=\"aggregation-job-init-req\""));
    assertEquals(init,
        MediaTypes.parse("application/ppm-dap; message=\"aggregation-job-init\\-req\""));
    // Other parameters (the optional version of §9.1) and empty parameters are ignored.
    assertEquals(Optional.of(Message.UPLOAD_REQ),
        MediaTypes.parse("application/ppm-dap;message=upload-req;version=18"));
    assertEquals(Optional.of(Message.UPLOAD_REQ),
        MediaTypes.parse("application/ppm-dap;version=\"18\";;message=upload-req;"));
    assertTrue(MediaTypes.is("application/ppm-dap;message=upload-req", Message.UPLOAD_REQ));
    assertFalse(MediaTypes.is("application/ppm-dap;message=upload-req", Message.UPLOAD_ERRORS));
  }

  @Test
  void refusesEverythingElse() {
    String[] refused = {
      null, "", "application/ppm-dap", "application/ppm-dap;", "application/ppm-dap;version=18",
      "application/dap-report", "application/ppm-dap-x;message=upload-req",
      "text/ppm-dap;message=upload-req", "application/ppm-dap;message=report",
      "application/ppm-dap;message=Upload-Req", // the value is matched exactly
      "application/ppm-dap;message=upload-req;message=upload-req", // twice
      "application/ppm-dap;message=\"upload-req", // unclosed quote
      "application/ppm-dap;message=", "application/ppm-dap;message", "application/ppm-dap message",
      "application/ppm-dap;message=upload-req junk", "application /ppm-dap;message=upload-req",
      "application/ppm-dap;message =upload-req", "application/ppm-dap;message=up load",
      "application/ppm-dap;message=\"upload\u0001req\"",
    };
    for (String text : refused) {
      assertEquals(Optional.empty(), MediaTypes.parse(text), String.valueOf(text));
    }
  }
}
