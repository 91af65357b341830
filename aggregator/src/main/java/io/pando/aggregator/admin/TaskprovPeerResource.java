package io.pando.aggregator.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.ProblemException;
import io.pando.aggregator.task.AuthTokens;
import io.pando.aggregator.task.Task;
import io.pando.aggregator.taskprov.TaskprovPeer;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Taskprov peer aggregators (draft-wang-ppm-dap-taskprov-06) on the admin API: {@code POST}
 * creates or replaces one, {@code GET} lists them without secrets, {@code DELETE ?endpoint=
 * &role=} removes one (the tasks provisioned with it stay). Stored in {@code taskprov_peers}, read
 * afresh by every replica at each provisioning, so a change holds everywhere at once.
 */
@Access(Access.Caller.ADMIN)
@Path("/admin/taskprov/peer_aggregators")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class TaskprovPeerResource {
  @Inject Datastore datastore;

  /**
   * A peer as the admin API takes it. {@code role} is the peer's; {@code aggregator_auth_token}
   * is the token the leader sends the helper (sent by us when the peer is the helper, checked when
   * it is the leader); {@code collector_auth_token} is the collector's, for a helper peer (we
   * lead). Binary values are base64url; durations are seconds.
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record PeerDefinition(
      @JsonProperty("endpoint") String endpoint,
      @JsonProperty("role") String role,
      @JsonProperty("verify_key_init") String verifyKeyInit,
      @JsonProperty("collector_hpke_config") String collectorHpkeConfig,
      @JsonProperty("aggregator_auth_token") String aggregatorAuthToken,
      @JsonProperty("collector_auth_token") String collectorAuthToken,
      @JsonProperty("tolerable_clock_skew") Long tolerableClockSkew,
      @JsonProperty("report_expiry_age") Long reportExpiryAge,
      @JsonProperty("allowed_vdafs") List<String> allowedVdafs,
      @JsonProperty("max_task_lifetime") Long maxTaskLifetime) {
    @Override
    public String toString() {
      return "PeerDefinition[" + role + " " + endpoint + ", secrets redacted]";
    }
  }

  @GET
  @Blocking
  @Operation(summary = "List taskprov peer aggregators (no secrets)")
  public List<Map<String, Object>> list() {
    return datastore.inTransaction("list-taskprov-peers", tx -> tx.taskprovPeers().all())
        .stream().map(TaskprovPeerResource::describe).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Create or replace a taskprov peer aggregator (by endpoint and role)")
  public Map<String, Object> put(PeerDefinition d) {
    TaskprovPeer peer = toPeer(d);
    datastore.inTransaction("put-taskprov-peer", tx -> {
      tx.taskprovPeers().put(peer);
      return null;
    });
    return describe(peer);
  }

  @DELETE
  @Blocking
  @Operation(summary = "Delete a taskprov peer aggregator; its tasks stay")
  public Response delete(@QueryParam("endpoint") String endpoint,
      @QueryParam("role") String role) {
    if (endpoint == null || role == null) {
      throw ProblemException.badRequest("endpoint and role are required");
    }
    Task.Role r = role(role);
    if (!datastore.inTransaction("delete-taskprov-peer",
        tx -> tx.taskprovPeers().delete(endpoint, r))) {
      throw ProblemException.notFound("no such taskprov peer");
    }
    return Response.noContent().build();
  }

  private static Task.Role role(String role) {
    try {
      return Task.Role.valueOf(role.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("role must be leader or helper");
    }
  }

  private static byte[] unb64(String s, String field) {
    if (s == null) {
      throw ProblemException.badRequest(field + " is required");
    }
    try {
      return Base64.getUrlDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(field + " is not base64url");
    }
  }

  private static String strongToken(String token, String field) {
    if (token == null) {
      throw ProblemException.badRequest(field + " is required");
    }
    try {
      AuthTokens.requireStrong(field, token);
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
    return token;
  }

  private static Optional<Duration> seconds(Long v, String field) {
    if (v == null) {
      return Optional.empty();
    }
    if (v <= 0) {
      throw ProblemException.badRequest(field + " must be positive");
    }
    return Optional.of(Duration.ofSeconds(v));
  }

  /** Validates a definition; every refusal is a 400 naming the field, never echoing a secret. */
  static TaskprovPeer toPeer(PeerDefinition d) {
    if (d == null) {
      throw ProblemException.badRequest("a peer definition is required");
    }
    if (d.endpoint() == null) {
      throw ProblemException.badRequest("endpoint is required");
    }
    URI url;
    try {
      url = URI.create(d.endpoint());
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("endpoint is not a URL");
    }
    if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
      throw ProblemException.badRequest("endpoint must be an http(s) URL");
    }
    if (d.role() == null) {
      throw ProblemException.badRequest("role is required");
    }
    Task.Role role = role(d.role());
    byte[] vki = unb64(d.verifyKeyInit(), "verify_key_init");
    if (vki.length != Taskprov.VERIFY_KEY_INIT_LENGTH) {
      throw ProblemException.badRequest("verify_key_init must be 32 bytes");
    }
    HpkeConfig collector;
    try {
      collector = HpkeConfig.decode(unb64(d.collectorHpkeConfig(), "collector_hpke_config"));
    } catch (DecodeException e) {
      throw ProblemException.badRequest("collector_hpke_config is not an encoded HpkeConfig");
    }
    String aggToken = strongToken(d.aggregatorAuthToken(), "aggregator_auth_token");
    boolean peerIsHelper = role == Task.Role.HELPER;
    Optional<byte[]> collectorHash = Optional.empty();
    if (peerIsHelper) {
      collectorHash = Optional.of(AuthTokens.hash(
          strongToken(d.collectorAuthToken(), "collector_auth_token")));
    } else if (d.collectorAuthToken() != null) {
      throw ProblemException.badRequest("collector_auth_token is for a helper peer only");
    }
    long skew = d.tolerableClockSkew() == null ? 60 : d.tolerableClockSkew();
    if (skew < 0) {
      throw ProblemException.badRequest("tolerable_clock_skew must not be negative");
    }
    List<String> allowed = d.allowedVdafs() == null ? List.of() : d.allowedVdafs();
    for (String v : allowed) {
      if (v == null || !KNOWN_VDAFS.contains(v.toLowerCase(Locale.ROOT))) {
        throw ProblemException.badRequest("allowed_vdafs: unknown VDAF " + v);
      }
    }
    TaskprovPeer p = new TaskprovPeer(d.endpoint(), role, SecretBytes.copyOf(vki), collector,
        peerIsHelper ? Optional.of(SecretBytes.copyOf(aggToken.getBytes(StandardCharsets.UTF_8)))
            : Optional.empty(),
        peerIsHelper ? Optional.empty() : Optional.of(AuthTokens.hash(aggToken)),
        collectorHash, Duration.ofSeconds(skew),
        seconds(d.reportExpiryAge(), "report_expiry_age"), allowed,
        seconds(d.maxTaskLifetime(), "max_task_lifetime"));
    java.util.Arrays.fill(vki, (byte) 0);
    return p;
  }

  /** The VDAF names a TaskConfig can carry and this aggregator runs (Taskprov.vdafOf). */
  private static final List<String> KNOWN_VDAFS = List.of("prio3count", "prio3sum",
      "prio3sumvec", "prio3histogram", "prio3sumvecfield64multiproofhmacsha256aes128");

  static Map<String, Object> describe(TaskprovPeer p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoint", p.endpoint());
    m.put("role", p.role().name().toLowerCase(Locale.ROOT));
    m.put("collector_hpke_config", Base64.getUrlEncoder().withoutPadding()
        .encodeToString(p.collectorHpkeConfig().encode()));
    m.put("tolerable_clock_skew", p.tolerableClockSkew().seconds());
    p.reportExpiryAge().ifPresent(v -> m.put("report_expiry_age", v.seconds()));
    if (!p.allowedVdafs().isEmpty()) {
      m.put("allowed_vdafs", p.allowedVdafs());
    }
    p.maxTaskLifetime().ifPresent(v -> m.put("max_task_lifetime", v.seconds()));
    return m;
  }
}
