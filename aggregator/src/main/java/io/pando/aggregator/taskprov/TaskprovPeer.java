package io.pando.aggregator.taskprov;

import io.pando.aggregator.task.Task;
import io.pando.core.SecretBytes;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import java.util.List;
import java.util.Optional;

/**
 * A peer aggregator this one provisions taskprov tasks with (draft-wang-ppm-dap-taskprov-06 §2),
 * with the operator's limits on the tasks it accepts. {@code role} is the peer's: {@code LEADER}
 * when this aggregator is the helper. Secrets are {@link SecretBytes} or hashes, never printed.
 *
 * @param endpoint the peer's DAP API URL, as TaskConfigs name it (normalized with a final "/")
 * @param aggregatorAuthToken peer is the helper: the token this leader sends it
 * @param aggregatorAuthTokenHash peer is the leader: SHA-256 of the token it must present
 * @param collectorAuthTokenHash peer is the helper: SHA-256 of the collector's token
 * @param allowedVdafs VDAF type names the operator accepts; empty: every supported one
 * @param maxTaskLifetime longest time from provisioning to task expiration; empty: any
 */
public record TaskprovPeer(
    String endpoint,
    Task.Role role,
    SecretBytes verifyKeyInit,
    HpkeConfig collectorHpkeConfig,
    Optional<SecretBytes> aggregatorAuthToken,
    Optional<byte[]> aggregatorAuthTokenHash,
    Optional<byte[]> collectorAuthTokenHash,
    Duration tolerableClockSkew,
    Optional<Duration> reportExpiryAge,
    List<String> allowedVdafs,
    Optional<Duration> maxTaskLifetime) {

  public TaskprovPeer {
    endpoint = normalize(endpoint);
    allowedVdafs = List.copyOf(allowedVdafs);
  }

  /** URLs compare with one final "/", as DAP-09 §4.2 joins paths onto them. */
  public static String normalize(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  @Override
  public String toString() {
    return "TaskprovPeer[" + role + " " + endpoint + ", secrets redacted]";
  }
}
