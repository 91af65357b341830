package io.pando.interop;

import io.pando.dap.messages.TaskId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;

/** Checks of request fields shared by the commands; failures name the field. */
final class Fields {
  private Fields() {}

  static <T> T required(T v, String field) {
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  /** Base64url, with or without padding (the draft: "encoded with base64url"). */
  static byte[] base64url(String s, String field) {
    try {
      return Base64.getUrlDecoder().decode(required(s, field));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not base64url");
    }
  }

  static String base64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static TaskId taskId(String s) {
    byte[] b = base64url(s, "task_id");
    if (b.length != TaskId.LENGTH) {
      throw new IllegalArgumentException("task_id must be " + TaskId.LENGTH + " bytes");
    }
    return TaskId.of(b);
  }

  static URI absoluteUrl(String s, String field) {
    URI u;
    try {
      u = new URI(required(s, field));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + " is not a URL: " + e.getMessage());
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException(field + " must be an absolute http(s) URL");
    }
    return u;
  }

  /** "This string MUST be safe for use as an HTTP header value". */
  static String token(String s, String field) {
    String t = required(s, field);
    if (t.isEmpty() || !t.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new IllegalArgumentException(field + " must be a non-empty string of visible ASCII"
          + " characters (an HTTP header value)");
    }
    return t;
  }
}
