package io.pando.core.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import io.pando.dap.messages.TaskId;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One file of interop/fixtures/dap09-ts: uploads captured from the @divviup/dap 0.9.1 client,
 * with the throwaway HPKE keys of both aggregators (format in that directory's README.md).
 */
final class ClientFixture {
  static final List<String> CASES =
      List.of("prio3count", "prio3sum", "prio3sumvec", "prio3histogram");

  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fixture directory, from the core module (as Maven runs tests) or the repository root. */
  static Path directory() {
    Path fromModule = Path.of("..", "interop", "fixtures", "dap09-ts");
    return Files.isDirectory(fromModule) ? fromModule : Path.of("interop", "fixtures", "dap09-ts");
  }

  /** One captured upload request. */
  record Upload(String method, String path, String contentType, JsonNode headers, byte[] body,
      JsonNode measurement, JsonNode decoded) {}

  final String name;
  final JsonNode root;

  private ClientFixture(String name, JsonNode root) {
    this.name = name;
    this.root = root;
  }

  static ClientFixture load(String name) {
    try {
      return new ClientFixture(name, JSON.readTree(directory().resolve(name + ".json").toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(JsonNode node) {
    return HEX.parseHex(node.asText());
  }

  TaskId taskId() {
    return TaskId.fromBase64Url(root.get("task_id").get("base64url").asText());
  }

  String vdafName() {
    return root.get("vdaf").get("name").asText();
  }

  long timePrecision() {
    return root.get("time_precision_seconds").asLong();
  }

  /** The Prio3 instance the fixture's VDAF name and parameters describe. */
  Prio3<?, ?> prio3() {
    JsonNode p = root.get("vdaf").get("parameters");
    switch (vdafName()) {
      case "Prio3Count":
        return Prio3.count();
      case "Prio3Sum":
        return Prio3.sum(p.get("bits").asInt());
      case "Prio3SumVec":
        return Prio3.sumVec(p.get("length").asInt(), p.get("bits").asInt(),
            p.get("chunk_length").asInt());
      case "Prio3Histogram":
        return Prio3.histogram(p.get("length").asInt(), p.get("chunk_length").asInt());
      default:
        throw new IllegalArgumentException("unknown VDAF " + vdafName());
    }
  }

  /** {@code "leader"} or {@code "helper"}. */
  JsonNode aggregator(String role) {
    return root.get(role);
  }

  /** An aggregator's single HPKE config node. */
  JsonNode configNode(String role) {
    JsonNode configs = aggregator(role).get("hpke_configs");
    if (configs.size() != 1) {
      throw new IllegalStateException("expected one HPKE config for the " + role);
    }
    return configs.get(0);
  }

  HpkeConfig config(String role) {
    JsonNode c = configNode(role);
    return new HpkeConfig(HpkeConfigId.of(c.get("id").asInt()),
        HpkeKemId.of(c.get("kem_id").asInt()), HpkeKdfId.of(c.get("kdf_id").asInt()),
        HpkeAeadId.of(c.get("aead_id").asInt()), HpkePublicKey.of(hex(c.get("public_key_hex"))));
  }

  HpkeKeypair keypair(String role) throws HpkeException {
    return HpkeKeypair.of(config(role),
        SecretBytes.copyOf(hex(configNode(role).get("private_key_hex"))));
  }

  TwoAggregators aggregators() throws HpkeException {
    return new TwoAggregators(taskId(), prio3(), keypair("leader"), keypair("helper"));
  }

  List<Upload> uploads() {
    List<Upload> out = new ArrayList<>();
    for (JsonNode r : root.get("reports")) {
      JsonNode req = r.get("request");
      out.add(new Upload(req.get("method").asText(), req.get("path").asText(),
          req.get("content_type").asText(), req.get("headers"), hex(req.get("body_hex")),
          r.get("measurement"), r.get("decoded")));
    }
    return out;
  }

  /** The expected aggregate, as the Prio3 instance's unshard returns it. */
  Object expectedAggregate() {
    return result(root.get("expected_aggregate_result"));
  }

  /** What unshard returns for a batch holding only {@code measurement}. */
  Object resultOfOne(JsonNode measurement) {
    switch (vdafName()) {
      case "Prio3Count":
        return measurement.asBoolean() ? 1L : 0L;
      case "Prio3Histogram": {
        int length = root.get("vdaf").get("parameters").get("length").asInt();
        List<Long> buckets = new ArrayList<>();
        for (int i = 0; i < length; i++) {
          buckets.add(i == measurement.asInt() ? 1L : 0L);
        }
        return buckets;
      }
      default:
        return result(measurement);
    }
  }

  private Object result(JsonNode value) {
    switch (vdafName()) {
      case "Prio3Count":
        return value.asLong();
      case "Prio3Sum":
        return value.bigIntegerValue();
      case "Prio3SumVec": {
        List<BigInteger> out = new ArrayList<>();
        value.forEach(v -> out.add(v.bigIntegerValue()));
        return out;
      }
      case "Prio3Histogram": {
        List<Long> out = new ArrayList<>();
        value.forEach(v -> out.add(v.asLong()));
        return out;
      }
      default:
        throw new IllegalArgumentException("unknown VDAF " + vdafName());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
