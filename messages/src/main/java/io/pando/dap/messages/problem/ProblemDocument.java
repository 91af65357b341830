package io.pando.dap.messages.problem;

import io.pando.dap.messages.DapVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 9457 problem document as DAP-09 §3.2 uses it: {@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance}, and DAP's {@code taskid}. Parsing is lenient
 * about members it does not know and never throws: a body that is not a JSON object yields an
 * empty document.
 */
public record ProblemDocument(String type, String title, Integer status, String detail,
    String instance, String taskId) {

  /** The DAP-09 problem type, if {@code type} is one. */
  public Optional<DapProblemType> dapType() {
    return type == null ? Optional.empty() : DapProblemType.fromUri(type);
  }

  /** The problem type of {@code version}'s error table, if {@code type} is one. */
  public Optional<DapProblemType> dapType(DapVersion version) {
    return DapProblemType.fromUri(type, version);
  }

  /** A document for a DAP problem type. */
  public static ProblemDocument of(DapProblemType type, String detail, String taskId) {
    return new ProblemDocument(type.uri(), type.description(), type.httpStatus(), detail, null,
        taskId);
  }

  /** The JSON encoding ({@code application/problem+json}). */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("title", title);
    m.put("status", status);
    m.put("detail", detail);
    m.put("instance", instance);
    m.put("taskid", taskId);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      if (e.getValue() instanceof Integer i) {
        sb.append(i);
      } else {
        FlatJson.quote(sb, e.getValue().toString());
      }
    }
    return sb.append('}').toString();
  }

  /** Parses a problem document; unknown members are ignored, malformed input gives nulls. */
  public static ProblemDocument parse(String json) {
    Map<String, Object> m = FlatJson.parseObject(json);
    return new ProblemDocument(str(m, "type"), str(m, "title"), integer(m, "status"),
        str(m, "detail"), str(m, "instance"), str(m, "taskid"));
  }

  private static String str(Map<String, Object> m, String key) {
    return m.get(key) instanceof String s ? s : null;
  }

  private static Integer integer(Map<String, Object> m, String key) {
    if (m.get(key) instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e9) {
      return d.intValue();
    }
    return null;
  }
}
