package io.pando.dap.messages.dap18;

import java.util.Locale;
import java.util.Optional;

/**
 * The DAP-18 media type (§9.1): one type, {@code application/ppm-dap}, whose required {@code
 * message} parameter names the body. DAP-09's per-message types are {@link
 * io.pando.dap.messages.MediaTypes}.
 */
public final class MediaTypes {
  /** The type and subtype, without parameters. */
  public static final String PPM_DAP = "application/ppm-dap";

  /** {@link io.pando.dap.messages.HpkeConfigList}, the answer to {@code GET hpke_config}. */
  public static final String HPKE_CONFIG_LIST = Message.HPKE_CONFIG_LIST.mediaType();

  /** {@link UploadRequest}, the body of {@code POST {leader}/tasks/{task-id}/reports}. */
  public static final String UPLOAD_REQ = Message.UPLOAD_REQ.mediaType();

  /** {@link UploadErrors}, the Leader's answer to an upload with refused reports. */
  public static final String UPLOAD_ERRORS = Message.UPLOAD_ERRORS.mediaType();

  /** {@link AggregationJobInitReq} (§4.5.3.1). */
  public static final String AGGREGATION_JOB_INIT_REQ =
      Message.AGGREGATION_JOB_INIT_REQ.mediaType();

  /** {@link AggregationJobResp} (§4.5.3.2). */
  public static final String AGGREGATION_JOB_RESP = Message.AGGREGATION_JOB_RESP.mediaType();

  /** {@link AggregationJobContinueReq} (§4.5.4.1). */
  public static final String AGGREGATION_JOB_CONTINUE_REQ =
      Message.AGGREGATION_JOB_CONTINUE_REQ.mediaType();

  /** {@link AggregateShareReq} (§4.6.4). */
  public static final String AGGREGATE_SHARE_REQ = Message.AGGREGATE_SHARE_REQ.mediaType();

  /** {@link io.pando.dap.messages.AggregateShare} (§4.6.4), DAP-09's encoding. */
  public static final String AGGREGATE_SHARE = Message.AGGREGATE_SHARE.mediaType();

  /** {@link CollectionJobReq} (§4.6.1). */
  public static final String COLLECTION_JOB_REQ = Message.COLLECTION_JOB_REQ.mediaType();

  /** {@link CollectionJobResp} (§4.6.1). */
  public static final String COLLECTION_JOB_RESP = Message.COLLECTION_JOB_RESP.mediaType();

  private MediaTypes() {}

  /** The {@code message} values of §9.1. */
  public enum Message {
    HPKE_CONFIG_LIST("hpke-config-list"),
    UPLOAD_REQ("upload-req"),
    UPLOAD_ERRORS("upload-errors"),
    AGGREGATION_JOB_INIT_REQ("aggregation-job-init-req"),
    AGGREGATION_JOB_RESP("aggregation-job-resp"),
    AGGREGATION_JOB_CONTINUE_REQ("aggregation-job-continue-req"),
    AGGREGATE_SHARE_REQ("aggregate-share-req"),
    AGGREGATE_SHARE("aggregate-share"),
    COLLECTION_JOB_REQ("collection-job-req"),
    COLLECTION_JOB_RESP("collection-job-resp");

    private final String value;

    Message(String value) {
      this.value = value;
    }

    /** The {@code message} parameter value, e.g. {@code upload-req}. */
    public String value() {
      return value;
    }

    /** The media type as this implementation sends it: {@code application/ppm-dap;message=...}. */
    public String mediaType() {
      return PPM_DAP + ";message=" + value;
    }

    public static Optional<Message> fromValue(String value) {
      for (Message m : values()) {
        if (m.value.equals(value)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** Whether {@code contentType} is {@code application/ppm-dap} with message {@code expected}. */
  public static boolean is(String contentType, Message expected) {
    return parse(contentType).filter(expected::equals).isPresent();
  }

  /**
   * The message a {@code Content-Type} or {@code Accept} member names, by RFC 9110 §8.3.1 syntax:
   * {@code type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )}. Type,
   * subtype and parameter names match case-insensitively; the {@code message} value, a token or
   * a quoted string, matches exactly. Other parameters (such as the optional {@code version} of
   * §9.1) are allowed and ignored.
   *
   * @return empty if the text is not that syntax, not {@code application/ppm-dap}, has no or more
   *     than one {@code message} parameter, or names an unknown message
   */
  public static Optional<Message> parse(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    Scanner s = new Scanner(contentType);
    s.ows();
    String type = s.token();
    if (type == null || !s.take('/')) {
      return Optional.empty();
    }
    String subtype = s.token();
    if (subtype == null || !(type + "/" + subtype).toLowerCase(Locale.ROOT).equals(PPM_DAP)) {
      return Optional.empty();
    }
    String message = null;
    s.ows();
    while (!s.atEnd()) {
      if (!s.take(';')) {
        return Optional.empty();
      }
      s.ows();
      if (s.atEnd() || s.peek(';')) {
        continue; // an empty parameter
      }
      String name = s.token();
      if (name == null || !s.take('=')) {
        return Optional.empty();
      }
      String value = s.peek('"') ? s.quoted() : s.token();
      if (value == null) {
        return Optional.empty();
      }
      if (name.equalsIgnoreCase("message")) {
        if (message != null) {
          return Optional.empty();
        }
        message = value;
      }
      s.ows();
    }
    return message == null ? Optional.empty() : Message.fromValue(message);
  }

  /** A cursor over header text with the RFC 9110 §5.6 rules this parser needs. */
  private static final class Scanner {
    private final String text;
    private int at;

    Scanner(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return at >= text.length();
    }

    boolean peek(char c) {
      return !atEnd() && text.charAt(at) == c;
    }

    boolean take(char c) {
      if (peek(c)) {
        at++;
        return true;
      }
      return false;
    }

    /** {@code OWS = *( SP / HTAB )}. */
    void ows() {
      while (peek(' ') || peek('\t')) {
        at++;
      }
    }

    /** {@code token = 1*tchar}, or null if none is here. */
    String token() {
      int start = at;
      while (!atEnd() && tchar(text.charAt(at))) {
        at++;
      }
      return at == start ? null : text.substring(start, at);
    }

    /**
     * {@code quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE}, unescaped, or null if it
     * does not close or holds a character RFC 9110 §5.6.4 does not allow.
     */
    String quoted() {
      take('"');
      StringBuilder out = new StringBuilder();
      while (!atEnd()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          if (atEnd() || !quotable(text.charAt(at))) {
            return null;
          }
          out.append(text.charAt(at++));
        } else if (qdtext(c)) {
          out.append(c);
        } else {
          return null;
        }
      }
      return null;
    }

    private static boolean tchar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** {@code qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text}. */
    private static boolean qdtext(char c) {
      return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b)
          || (c >= 0x5d && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }

    /** What a {@code quoted-pair} may escape: {@code HTAB / SP / VCHAR / obs-text}. */
    private static boolean quotable(char c) {
      return c == '\t' || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }
  }
}
