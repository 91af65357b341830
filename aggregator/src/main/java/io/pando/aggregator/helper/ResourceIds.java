package io.pando.aggregator.helper;

import io.pando.dap.messages.TaskId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The ids this helper gives the DAP-18 resources it creates (draft-ietf-ppm-dap-18 §3 "Resource
 * Creation": derived from the request, so an identical POST names the existing resource): the
 * first 16 bytes of SHA-256 over a label, the task id and the request body (aggregator/README.md,
 * "DAP-18", "Helper").
 */
final class ResourceIds {
  static final String AGGREGATION_JOB = "pando dap-18 aggregation job";
  static final String AGGREGATE_SHARE = "pando dap-18 aggregate share";

  private ResourceIds() {}

  static byte[] of(String label, TaskId task, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(label.getBytes(StandardCharsets.UTF_8));
      sha.update(task.bytes());
      sha.update(body);
      return Arrays.copyOf(sha.digest(), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
