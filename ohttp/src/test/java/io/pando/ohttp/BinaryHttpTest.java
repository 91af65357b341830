package io.pando.ohttp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binary HTTP (RFC 9292) known-length messages, with the RFC's example request. */
class BinaryHttpTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  /** RFC 9292 §5, Figure 8: the known-length encoding of the example GET request. */
  static final byte[] FIGURE_8 = hex("0003474554056874747073000a2f68656c6c6f2e747874406c0a75736572"
      + "2d6167656e74346375726c2f372e31362e33206c69626375726c2f372e31362e33204f70656e53534c2f302e39"
      + "2e376c207a6c69622f312e322e3304686f73740f7777772e6578616d706c652e636f6d0f6163636570742d6c61"
      + "6e677561676506656e2c206d690000");

  static final BinaryHttpRequest FIGURE_8_REQUEST = BinaryHttpRequest.of("GET", "https", "",
      "/hello.txt", List.of(
          new Field("user-agent", "curl/7.16.3 libcurl/7.16.3 OpenSSL/0.9.7l zlib/1.2.3"),
          new Field("host", "www.example.com"),
          new Field("accept-language", "en, mi")));

  @Test
  void rfcExampleRequestDecodesAndEncodesBack() throws Exception {
    assertEquals(FIGURE_8_REQUEST, BinaryHttpRequest.decode(FIGURE_8));
    assertArrayEquals(FIGURE_8, FIGURE_8_REQUEST.encode());
    // Without its two empty sections (§3.8), and with zero padding after them.
    byte[] truncated = FIGURE_8_REQUEST.encodeTruncated();
    assertEquals(FIGURE_8.length - 2, truncated.length);
    assertEquals(FIGURE_8_REQUEST, BinaryHttpRequest.decode(truncated));
    byte[] padded = java.util.Arrays.copyOf(FIGURE_8, FIGURE_8.length + 10);
    assertEquals(FIGURE_8_REQUEST, BinaryHttpRequest.decode(padded));
  }

  @Test
  void requestWithContentAndTrailersRoundTrips() throws Exception {
    BinaryHttpRequest r = new BinaryHttpRequest("PUT", "https", "leader.example",
        "/tasks/abc/reports", List.of(new Field("content-type", "application/dap-report")),
        new byte[300], List.of(new Field("x-trailer", "v")));
    assertEquals(r, BinaryHttpRequest.decode(r.encode()));
    assertEquals(r, BinaryHttpRequest.decode(r.encodeTruncated()));
    assertArrayEquals(r.encode(), r.encodeTruncated());
  }

  @Test
  void responseWithInformationalResponsesRoundTrips() throws Exception {
    BinaryHttpResponse r = new BinaryHttpResponse(
        List.of(new BinaryHttpResponse.Informational(103, List.of(new Field("link", "</a>")))),
        404, List.of(new Field("content-type", "application/problem+json")),
        "{}".getBytes(StandardCharsets.US_ASCII), List.of());
    assertEquals(r, BinaryHttpResponse.decode(r.encode()));
    assertEquals(r, BinaryHttpResponse.decode(r.encodeTruncated()));
    BinaryHttpResponse empty = BinaryHttpResponse.of(200, List.of(), new byte[0]);
    assertArrayEquals(hex("0140c8"), empty.encodeTruncated());
    assertArrayEquals(hex("0140c8000000"), empty.encode());
  }

  @Test
  void varintsUseTheRfc9000Encodings() throws Exception {
    // RFC 9000 Appendix A.1's examples.
    for (String[] c : new String[][] {{"c2197c5eff14e88c", "151288809941952652"},
        {"9d7f3e7d", "494878333"}, {"7bbd", "15293"}, {"25", "37"}}) {
      assertEquals(Long.parseLong(c[1]), Varint.read(new Decoder(hex(c[0]))));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Varint.write(out, Long.parseLong(c[1]));
      assertArrayEquals(hex(c[0]), out.toByteArray());
    }
    // A longer encoding than needed still reads (RFC 9000 §16).
    assertEquals(37, Varint.read(new Decoder(hex("4025"))));
  }

  @Test
  void malformedMessagesFailWithDecodeException() {
    List<byte[]> bad = List.of(
        new byte[0],
        hex("02"), // indeterminate-length request: not supported
        hex("01"), // known-length response, no status
        hex("0100"), // status 0
        hex("014258"), // status 600
        hex("00034745"), // method overruns
        hex("0003474554056874747073000a2f68656c6c6f2e7478748fffffff"), // header length overruns
        hex("000347455400000000000001"), // a non-zero byte after the trailers
        hex("000347455400000004013a0161"), // a pseudo-header field line
        hex("0000000000")); // empty method
    for (byte[] b : bad) {
      assertThrows(DecodeException.class, () -> BinaryHttpRequest.decode(b),
          HexFormat.of().formatHex(b));
    }
    assertThrows(DecodeException.class, () -> BinaryHttpResponse.decode(hex("00")));
    assertThrows(DecodeException.class, () -> BinaryHttpResponse.decode(hex("0140c8ff")));
    // Many informational responses.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1);
    for (int i = 0; i < 17; i++) {
      out.writeBytes(hex("406400"));
    }
    out.writeBytes(hex("40c8"));
    assertThrows(DecodeException.class, () -> BinaryHttpResponse.decode(out.toByteArray()));
  }

  @Test
  void keyConfigListSkipsUnknownKemsAndRejectsMalformedEntries() throws Exception {
    byte[] known = ObliviousHttpRfcExampleTest.KEY_CONFIG;
    byte[] unknownKem = hex("0500990102030004" + "00010001");
    byte[] list = new io.pando.codec.Encoder().opaque16(unknownKem).opaque16(known).toByteArray();
    List<KeyConfig> configs = KeyConfig.decodeList(list);
    assertEquals(1, configs.size());
    assertEquals(1, configs.get(0).keyId());
    assertThrows(DecodeException.class, () -> KeyConfig.decodeList(hex("0010")));
    // Algorithms length not a multiple of 4, and zero.
    byte[] badAlgs = known.clone();
    badAlgs[36] = 6;
    assertThrows(DecodeException.class, () -> KeyConfig.decode(badAlgs));
    byte[] noAlgs = java.util.Arrays.copyOf(known, 37);
    noAlgs[35] = 0;
    noAlgs[36] = 0;
    assertThrows(DecodeException.class, () -> KeyConfig.decode(noAlgs));
  }
}
