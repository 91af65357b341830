package io.pando.aggregator.taskprov;

import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.http.DapException;
import io.pando.aggregator.task.AuthTokens;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.core.taskprov.Taskprov;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * In-band task provisioning (draft-wang-ppm-dap-taskprov-06 §4 and §5): a request for a task this
 * aggregator does not know, carrying a {@value TaskConfig#HEADER} header, provisions the task
 * when the configuration checks out, in this order:
 *
 * <ol>
 *   <li>the header decodes as a TaskConfig, else {@code invalidMessage};
 *   <li>SHA-256 of its bytes is the task id of the request path, else {@code invalidTask};
 *   <li>the other aggregator it names (the leader, when this one is the helper; the helper when
 *       it leads) is a configured peer of that role, else {@code invalidTask};
 *   <li>a helper request carries that peer's aggregator token, a collection request the peer's
 *       collector token, else {@code unauthorizedRequest};
 *   <li>the task is acceptable: no differential privacy mechanism (the only one the draft
 *       defines), a VDAF this aggregator runs and the operator allows for the peer, not expired,
 *       not living longer than the operator's maximum lifetime, sane batch parameters; else
 *       {@code invalidTask}.
 * </ol>
 *
 * Then the task is stored through {@link TaskService} like any other, with the verify key
 * derived from the peer's {@code verify_key_init} (§3.2) and its TaskConfig kept. Two replicas
 * provisioning one task at once end with one task: the {@code tasks.task_id} key admits one row,
 * and the loser finds the winner's (the same, since every field derives from the TaskConfig and
 * the peer).
 *
 * <p>Peers are read from the datastore on every provisioning, so a change on any replica holds
 * at once on all of them; this runs once per task (the task is known afterwards).
 */
@ApplicationScoped
public class TaskprovProvisioner {
  private static final Logger LOG = Logger.getLogger(TaskprovProvisioner.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Which token the request that provisions must present. */
  public enum Caller {
    /** Uploads: anyone (clients are not authenticated, DAP-09 §4.4.2). */
    CLIENT,
    /** Helper endpoints: the leader peer's aggregator token. */
    LEADER,
    /** Collection endpoints: the collector token configured for the helper peer. */
    COLLECTOR
  }

  @Inject Datastore datastore;
  @Inject TaskService tasks;
  @Inject Clock clock;

  /**
   * Provisions the task of {@code pathId} from a {@value TaskConfig#HEADER} header, or finds it
   * provisioned meanwhile. Blocking: call on a worker thread.
   *
   * @param ourRole the role this aggregator has in the task (the endpoint's)
   * @param token the token the request presents, if any
   * @throws DapException with the draft's problem type when the task cannot be provisioned
   */
  public Task provision(TaskId pathId, String header, Task.Role ourRole, Caller caller,
      Optional<String> token) {
    byte[] encoded;
    TaskConfig config;
    try {
      encoded = TaskConfig.headerBytes(header);
      config = TaskConfig.decode(encoded);
    } catch (DecodeException e) {
      throw DapException.invalidMessage(pathId, "malformed " + TaskConfig.HEADER + " header: "
          + e.getMessage());
    }
    if (!TaskConfig.taskIdOf(encoded).equals(pathId)) {
      throw invalidTask(pathId, "the task id is not SHA-256 of the TaskConfig");
    }
    Task.Role peerRole = ourRole == Task.Role.HELPER ? Task.Role.LEADER : Task.Role.HELPER;
    String peerUrl = peerRole == Task.Role.LEADER ? config.leaderAggregatorEndpoint()
        : config.helperAggregatorEndpoint();
    TaskprovPeer peer = datastore.inTransaction("get-taskprov-peer",
            tx -> tx.taskprovPeers().get(peerUrl, peerRole))
        .orElseThrow(() -> invalidTask(pathId, "no taskprov peer " + peerRole.name()
            .toLowerCase(Locale.ROOT) + " at " + peerUrl));
    switch (caller) {
      case CLIENT -> { }
      case LEADER -> {
        if (!AuthTokens.matches(token, peer.aggregatorAuthTokenHash())) {
          throw DapException.unauthorized(pathId);
        }
      }
      case COLLECTOR -> {
        if (!AuthTokens.matches(token, peer.collectorAuthTokenHash())) {
          throw DapException.unauthorized(pathId);
        }
      }
    }
    TaskDefinition d = definition(pathId, config, peer, ourRole);
    byte[] checkedHash = ourRole == Task.Role.HELPER ? peer.aggregatorAuthTokenHash().orElseThrow()
        : peer.collectorAuthTokenHash().orElseThrow();
    try {
      Task task = tasks.putTaskprov(d, checkedHash, encoded);
      LOG.infof("taskprov: provisioned task %s as %s with peer %s", pathId, ourRole, peer);
      return task;
    } catch (IllegalArgumentException e) {
      throw invalidTask(pathId, e.getMessage());
    } catch (RuntimeException e) {
      // Another request (here or on another replica) inserted the task first.
      tasks.invalidate(pathId);
      Optional<Task> t = tasks.get(pathId);
      if (t.isPresent() && t.get().isTaskprov()) {
        return t.get();
      }
      throw e;
    }
  }

  /** The checks of step 5 and the task they lead to. */
  private TaskDefinition definition(TaskId id, TaskConfig c, TaskprovPeer peer,
      Task.Role ourRole) {
    DpConfig dp = c.vdafConfig().dpConfig();
    if (dp.dpMechanism() != DpConfig.NONE) {
      throw invalidTask(id, "unsupported differential privacy mechanism " + dp);
    }
    VdafInstance vdaf;
    try {
      vdaf = Taskprov.vdafOf(c.vdafConfig().vdafType());
    } catch (IllegalArgumentException e) {
      throw invalidTask(id, e.getMessage());
    }
    if (!peer.allowedVdafs().isEmpty() && peer.allowedVdafs().stream()
        .noneMatch(a -> a.equalsIgnoreCase(vdaf.type()))) {
      throw invalidTask(id, vdaf.type() + " is not allowed with this peer");
    }
    long now = clock.instant().getEpochSecond();
    long expiration = c.taskExpiration().seconds();
    if (expiration <= now) {
      throw invalidTask(id, "the task has expired");
    }
    if (peer.maxTaskLifetime().isPresent()
        && expiration - now > peer.maxTaskLifetime().get().seconds()) {
      throw invalidTask(id, "the task lives longer than this peer's maximum task lifetime");
    }
    var q = c.queryConfig();
    if (q.maxBatchQueryCount() < 1 || q.minBatchSize() < 1 || q.timePrecision().seconds() < 1) {
      throw invalidTask(id, "max_batch_query_count, min_batch_size and time_precision must be"
          + " positive");
    }
    SecretBytes verifyKey = Taskprov.deriveVerifyKey(peer.verifyKeyInit().reveal(), id,
        vdaf.prio3().verifyKeySize());
    Map<String, Object> vdafJson = new LinkedHashMap<>();
    vdafJson.put("type", vdaf.type());
    vdafJson.putAll(vdaf.parameters());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    boolean leader = ourRole == Task.Role.LEADER;
    String placeholder = b64.encodeToString(randomBytes());
    String sent = leader ? new String(peer.aggregatorAuthToken().orElseThrow().reveal(),
        StandardCharsets.UTF_8) : placeholder;
    return new TaskDefinition(id.toBase64Url(), ourRole.name().toLowerCase(Locale.ROOT),
        peer.endpoint(), q.queryType() == QueryType.FIXED_SIZE ? "fixed_size" : "time_interval",
        q.maxBatchSize().isPresent() ? q.maxBatchSize().getAsLong() : null, vdafJson,
        b64.encodeToString(verifyKey.reveal()), (long) q.maxBatchQueryCount(), expiration,
        peer.reportExpiryAge().map(x -> x.seconds()).orElse(null), q.minBatchSize(),
        q.timePrecision().seconds(), peer.tolerableClockSkew().seconds(),
        b64.encodeToString(peer.collectorHpkeConfig().encode()), sent,
        leader ? placeholder : null);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return b;
  }

  static DapException invalidTask(TaskId id, String detail) {
    return new DapException(DapProblemType.INVALID_TASK, id, detail);
  }
}
