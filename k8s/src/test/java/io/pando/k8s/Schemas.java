package io.pando.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates rendered objects against real schemas resolved as test dependencies:
 *
 * <ul>
 *   <li>Kubernetes kinds: the models of {@code io.kubernetes:client-java-api} (generated from the
 *       Kubernetes 1.32 OpenAPI spec): their {@code validateJsonElement} refuses unknown fields
 *       and missing required fields, and every value's JSON type is checked against the type
 *       of the model field it fills.
 *   <li>Strimzi kinds: the {@code openAPIV3Schema} of Strimzi's own CustomResourceDefinition
 *       ({@code io.strimzi:api:tests}, {@code crds/<version>/}), checked with networknt's JSON
 *       Schema validator, unknown fields refused as {@code kubectl apply --validate=strict}
 *       would (except under {@code x-kubernetes-preserve-unknown-fields}).
 *   <li>CloudNativePG's Cluster: no artifact on Maven Central or npm ships its CRD, so this is a
 *       narrower, hand-listed check ({@link #CNPG_CLUSTER_SUBSET}) of the fields these
 *       manifests use, as the CloudNativePG API reference documents them. Labelled as such in
 *       k8s/README.md.
 * </ul>
 *
 * Any other kind has no schema here and is refused, so a new kind cannot slip in unchecked.
 */
final class Schemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry DRAFT4 =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  private static final Map<String, Class<?>> KUBERNETES = Map.of(
      "v1/Namespace", V1Namespace.class,
      "v1/Service", V1Service.class,
      "v1/Secret", V1Secret.class,
      "v1/ConfigMap", V1ConfigMap.class,
      "apps/v1/Deployment", V1Deployment.class,
      "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
      "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
      "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

  /** Strimzi kinds and the file of their CRD in the api test jar. */
  private static final Map<String, String> STRIMZI = Map.of(
      "KafkaTopic", "043-Crd-kafkatopic.yaml",
      "KafkaUser", "044-Crd-kafkauser.yaml");

  /**
   * NARROWER CHECK, not the CRD: the Cluster fields these manifests use, with the types the
   * CloudNativePG API reference (postgresql.cnpg.io/v1: ClusterSpec, StorageConfiguration,
   * BootstrapConfiguration, BootstrapInitDB, PostgresConfiguration) gives them. Anything else is
   * refused until it is added here from that reference.
   */
  static final String CNPG_CLUSTER_SUBSET = """
      {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "additionalProperties": false,
        "properties": {
          "apiVersion": {"enum": ["postgresql.cnpg.io/v1"]},
          "kind": {"enum": ["Cluster"]},
          "metadata": {"type": "object"},
          "spec": {
            "type": "object",
            "required": ["instances", "storage"],
            "additionalProperties": false,
            "properties": {
              "instances": {"type": "integer", "minimum": 1},
              "imageName": {"type": "string"},
              "storage": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "size": {"type": "string", "pattern": "^[0-9]+(\\\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$"},
                  "storageClass": {"type": "string"}
                }
              },
              "bootstrap": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "initdb": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "database": {"type": "string", "minLength": 1},
                      "owner": {"type": "string", "minLength": 1},
                      "secret": {
                        "type": "object", "required": ["name"], "additionalProperties": false,
                        "properties": {"name": {"type": "string"}}
                      }
                    }
                  }
                }
              },
              "postgresql": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "parameters": {"type": "object", "additionalProperties": {"type": "string"}}
                }
              }
            }
          }
        }
      }
      """;

  private final Map<String, Schema> crdSchemas = new HashMap<>();
  private final Schema cnpgCluster = DRAFT4.getSchema(CNPG_CLUSTER_SUBSET, InputFormat.JSON);

  /** Every way {@code object} departs from its schema; empty if it conforms. */
  List<String> validate(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    String id = Rendered.id(object);
    List<String> errors = new ArrayList<>();
    Class<?> model = KUBERNETES.get(apiVersion + "/" + kind);
    if (model != null) {
      kubernetes(model, object, id, errors);
    } else if (apiVersion.startsWith("kafka.strimzi.io/") && STRIMZI.containsKey(kind)) {
      kubernetes(V1ObjectMeta.class, object.path("metadata"), id + " metadata", errors);
      Schema schema = crdSchemas.computeIfAbsent(apiVersion + "/" + kind,
          k -> strimzi(STRIMZI.get(kind), apiVersion.substring(apiVersion.indexOf('/') + 1)));
      schema.validate(object.toString(), InputFormat.JSON)
          .forEach(e -> errors.add(id + " " + e.getInstanceLocation() + ": " + e.getMessage()));
    } else if ("postgresql.cnpg.io/v1".equals(apiVersion) && "Cluster".equals(kind)) {
      kubernetes(V1ObjectMeta.class, object.path("metadata"), id + " metadata", errors);
      cnpgCluster.validate(object.toString(), InputFormat.JSON)
          .forEach(e -> errors.add(id + " (CloudNativePG subset) " + e.getInstanceLocation() + ": "
              + e.getMessage()));
    } else {
      errors.add(id + ": no schema for " + apiVersion + " " + kind
          + " (add one to Schemas before using this kind)");
    }
    return errors;
  }

  private static void kubernetes(Class<?> model, JsonNode object, String id, List<String> errors) {
    JsonElement json = JsonParser.parseString(object.toString());
    try {
      Method validate = model.getMethod("validateJsonElement", JsonElement.class);
      validate.invoke(null, json);
    } catch (InvocationTargetException e) {
      String message = String.valueOf(e.getCause().getMessage());
      for (String tail : List.of(" JSON: ", " in the JSON string")) {   // the whole object follows
        int cut = message.indexOf(tail);
        message = cut < 0 ? message : message.substring(0, cut);
      }
      errors.add(id + ": " + message);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    types(model, object, id + " ", errors);
  }

  /**
   * The models' validateJsonElement checks field names and required fields but not the types
   * of scalar values; this walks the same models' field types (each field's
   * {@code @SerializedName} is its JSON name) and checks every value's JSON type against them.
   */
  private static void types(Class<?> model, JsonNode node, String path, List<String> errors) {
    Map<String, java.lang.reflect.Field> fields = new HashMap<>();
    for (java.lang.reflect.Field f : model.getDeclaredFields()) {
      SerializedName json = f.getAnnotation(SerializedName.class);
      if (json != null) {
        fields.put(json.value(), f);
      }
    }
    for (var it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      java.lang.reflect.Field f = fields.get(e.getKey());
      if (f != null) {
        type(f.getGenericType(), e.getValue(), path + "." + e.getKey(), errors);
      }
    }
  }

  private static void type(Type t, JsonNode v, String path, List<String> errors) {
    if (v.isNull()) {
      return;
    }
    Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    String expected = null;
    if (raw == String.class || raw == byte[].class || raw == OffsetDateTime.class) {
      expected = v.isTextual() ? null : "a string";
    } else if (raw == Integer.class || raw == Long.class || raw == int.class || raw == long.class) {
      expected = v.isIntegralNumber() ? null : "an integer";
    } else if (Number.class.isAssignableFrom(raw)) {
      expected = v.isNumber() ? null : "a number";
    } else if (raw == Boolean.class || raw == boolean.class) {
      expected = v.isBoolean() ? null : "a boolean";
    } else if (raw == IntOrString.class) {
      expected = v.isIntegralNumber() || v.isTextual() ? null : "an integer or a string";
    } else if (raw == Quantity.class) {
      expected = v.isNumber() || v.isTextual() ? null : "a quantity";
    } else if (List.class.isAssignableFrom(raw)) {
      if (!v.isArray()) {
        expected = "a list";
      } else if (t instanceof ParameterizedType p) {
        int i = 0;
        for (JsonNode item : v) {
          type(p.getActualTypeArguments()[0], item, path + "[" + i++ + "]", errors);
        }
      }
    } else if (Map.class.isAssignableFrom(raw)) {
      if (!v.isObject()) {
        expected = "a map";
      } else if (t instanceof ParameterizedType p) {
        for (var it = v.fields(); it.hasNext(); ) {
          var e = it.next();
          type(p.getActualTypeArguments()[1], e.getValue(), path + "." + e.getKey(), errors);
        }
      }
    } else if (raw.getPackageName().equals(V1ObjectMeta.class.getPackageName())) {
      if (!v.isObject()) {
        expected = "an object (" + raw.getSimpleName() + ")";
      } else {
        types(raw, v, path, errors);
      }
    }
    if (expected != null) {
      errors.add(path.strip() + ": " + v + " is not " + expected);
    }
  }

  /** The {@code openAPIV3Schema} of one version of a Strimzi CRD, as strict JSON Schema. */
  private static Schema strimzi(String file, String version) {
    String resource = "crds/" + version + "/" + file;
    try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " in io.strimzi:api:tests");
      }
      JsonNode crd = Rendered.YAML.readTree(in);
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (version.equals(v.path("name").asText())) {
          JsonNode schema = strict(v.path("schema").path("openAPIV3Schema").deepCopy());
          return DRAFT4.getSchema(JSON.writeValueAsString(schema), InputFormat.JSON);
        }
      }
      throw new IllegalStateException(resource + " has no version " + version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Structural-schema semantics in JSON Schema terms: objects with listed properties take no
   * others (strict field validation) unless they preserve unknown fields; int-or-string takes
   * either; nullable takes null.
   */
  static JsonNode strict(JsonNode node) {
    return strict(node, false);
  }

  /** A branch of anyOf/oneOf/allOf only adds constraints: its property list is not closed. */
  private static JsonNode strict(JsonNode node, boolean branch) {
    if (node instanceof ArrayNode a) {
      a.forEach(n -> strict(n, branch));
      return a;
    }
    if (!(node instanceof ObjectNode o)) {
      return node;
    }
    boolean preserve = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (o.path("x-kubernetes-int-or-string").asBoolean(false)) {
      ArrayNode anyOf = o.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    if (o.path("nullable").asBoolean(false) && o.path("type").isTextual()) {
      ArrayNode types = JsonNodeFactory.instance.arrayNode().add(o.path("type").asText()).add("null");
      o.set("type", types);
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.startsWith("x-kubernetes-") || f.equals("nullable") || f.equals("description")) {
        it.remove();
      }
    }
    if (o.has("properties")) {
      o.path("properties").forEach(Schemas::strict);
      if (!o.has("additionalProperties") && !preserve && !branch) {
        o.put("additionalProperties", false);
      }
    }
    for (String child : List.of("items", "additionalProperties", "not")) {
      if (o.get(child) instanceof ObjectNode c) {
        strict(c);
      }
    }
    for (String list : List.of("anyOf", "oneOf", "allOf")) {
      if (o.get(list) instanceof ArrayNode l) {
        l.forEach(n -> strict(n, true));
      }
    }
    return o;
  }
}
