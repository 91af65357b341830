package io.pando.aggregator.http;

import io.pando.aggregator.hpke.HpkeConfigSigner;
import io.pando.aggregator.hpke.HpkeKeys;
import io.pando.aggregator.task.TaskService;
import io.pando.core.hpke.ConfigListSignature;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.TaskId;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /hpke_config[?task_id=...]} (DAP-09 §4.4.1): the deployment's active HPKE configs.
 * Keys are global, so the task id is optional; when given it must name a known task. With a
 * signing key configured the body is signed ({@link HpkeConfigSigner}).
 */
@Access(Access.Caller.ANYONE)
@Path("/hpke_config")
public class HpkeConfigResource {
  /** How soon a client may ask again when no key is active yet. */
  private static final Duration NO_KEY_RETRY_AFTER = Duration.ofSeconds(5);

  @Inject HpkeKeys keys;
  @Inject TaskService tasks;
  @Inject HpkeConfigSigner signer;

  @GET
  @Blocking
  public Response get(@QueryParam("task_id") String taskId) {
    if (taskId != null) {
      TaskId id = Ids.taskId(taskId);
      if (tasks.get(id).isEmpty()) {
        throw DapException.unrecognizedTask(id);
      }
    }
    List<HpkeConfig> active = keys.activeConfigs();
    if (active.isEmpty()) {
      // Keys are created at start and by the admin API; a replica that has none yet will soon.
      throw new Unavailable(NO_KEY_RETRY_AFTER, "no HPKE key is active");
    }
    byte[] body = new HpkeConfigList(active).encode();
    // The exact media type, without parameters: the published TypeScript client rejects others.
    Response.ResponseBuilder r = Response.ok(body)
        .type(MediaTypes.HPKE_CONFIG_LIST)
        .header("Cache-Control", "max-age=60");
    signer.signature(body).ifPresent(sig -> r.header(ConfigListSignature.HEADER, sig));
    return r.build();
  }
}
