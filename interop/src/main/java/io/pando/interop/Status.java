package io.pando.interop;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The common answer of the interop test API: {@code status} and an optional {@code error}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(String status, String error) {
  public static final String SUCCESS = "success";
  public static final String ERROR = "error";

  public static Status success() {
    return new Status(SUCCESS, null);
  }

  public static Status error(String message) {
    return new Status(ERROR, message);
  }
}
