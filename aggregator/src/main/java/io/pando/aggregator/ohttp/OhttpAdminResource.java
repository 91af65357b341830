package io.pando.aggregator.ohttp;

import static io.pando.aggregator.admin.AdminResource.keyState;

import io.pando.aggregator.admin.AdminResource.KeyState;
import io.pando.aggregator.admin.AdminResource.NewKey;

import io.pando.aggregator.http.Access;
import io.pando.aggregator.http.ProblemException;
import io.pando.ohttp.KeyConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The admin API of the OHTTP gateway's keys (management port, admin token), the same operations
 * as for the HPKE keys: list, generate, set state, delete.
 */
@Access(Access.Caller.ADMIN)
@Path("/admin/ohttp_keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class OhttpAdminResource {
  @Inject OhttpKeys keys;

  @GET
  @Blocking
  @Operation(summary = "List the OHTTP gateway's keys with their state")
  public List<Map<String, Object>> list() {
    return keys.all().stream().map(OhttpAdminResource::describe).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Generate an OHTTP key (default X25519/HKDF-SHA256/AES-128-GCM, PENDING)")
  public Map<String, Object> generate(NewKey body) {
    NewKey b = body == null ? new NewKey(null, null, null, null) : body;
    return describe(keys.generate(b.suite(), b.initialState()));
  }

  @PUT
  @Path("/{configId}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Move an OHTTP key to PENDING, ACTIVE or EXPIRED")
  public Response setState(@PathParam("configId") int keyId, KeyState body) {
    if (body == null || body.state() == null) {
      throw ProblemException.badRequest("state is required");
    }
    if (!keys.setState(keyId, keyState(body.state()))) {
      throw ProblemException.notFound("no such key");
    }
    return Response.noContent().build();
  }

  @DELETE
  @Path("/{configId}")
  @Blocking
  @Operation(summary = "Delete an OHTTP key (it no longer opens requests)")
  public Response delete(@PathParam("configId") int keyId) {
    if (!keys.delete(keyId)) {
      throw ProblemException.notFound("no such key");
    }
    return Response.noContent().build();
  }

  private static Map<String, Object> describe(OhttpKeys.Key k) {
    KeyConfig c = k.keypair().config();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key_id", c.keyId());
    m.put("state", k.state().name());
    m.put("created_at", k.createdAt().toString());
    m.put("state_changed_at", k.stateChangedAt().toString());
    m.put("kem", c.kemId().code());
    m.put("algorithms", c.algorithms().stream()
        .map(a -> Map.of("kdf", a.kdfId().code(), "aead", a.aeadId().code())).toList());
    m.put("config", Base64.getUrlEncoder().withoutPadding().encodeToString(c.encode()));
    return m;
  }
}
