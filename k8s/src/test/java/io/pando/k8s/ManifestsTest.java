package io.pando.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renders k8s/leader and k8s/helper with {@code kubectl kustomize}, validates every object
 * against its schema ({@link Schemas}) and checks the deployment's invariants (k8s/README.md,
 * "What the test checks"). Skipped, saying so, where kubectl is absent.
 */
class ManifestsTest {
  static final int DAP_PORT = 8080;
  static final int MANAGEMENT_PORT = 9000;
  /** The roles and the namespace each overlay must place everything in. */
  static final Map<String, String> OVERLAYS = Map.of(
      "leader", "pando-leader",
      "helper", "pando-helper");
  /** Keys of the secret {@code <cluster>-app} CloudNativePG creates for a Cluster's owner. */
  static final Set<String> CNPG_APP_SECRET_KEYS =
      Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass");
  static final String SECRETS_TEMPLATE = "secrets/example.yaml";

  static final String NO_KUBECTL = "kubectl is not installed (not on PATH, /usr/bin or"
      + " /usr/local/bin): the Kubernetes manifests were not rendered, so not checked";
  static Map<String, Rendered> rendered;

  @BeforeAll
  static void render() {
    Optional<Path> kubectl = Rendered.kubectl();
    if (kubectl.isEmpty()) {
      System.err.println("ManifestsTest skipped: " + NO_KUBECTL);
      return;
    }
    rendered = new LinkedHashMap<>();
    for (String overlay : new TreeSet<>(OVERLAYS.keySet())) {
      rendered.put(overlay, Rendered.overlay(kubectl.get(), overlay));
    }
  }

  @BeforeEach
  void needsKubectl() {
    Assumptions.assumeTrue(rendered != null, NO_KUBECTL);
  }

  @Test
  void everyObjectMatchesItsSchema() {
    Schemas schemas = new Schemas();
    List<String> errors = new ArrayList<>();
    List<Rendered> all = new ArrayList<>(rendered.values());
    all.add(Rendered.file(SECRETS_TEMPLATE));
    for (Rendered r : all) {
      assertFalse(r.objects().isEmpty(), r.name() + " rendered nothing");
      for (ObjectNode o : r.objects()) {
        schemas.validate(o).forEach(e -> errors.add(r.name() + ": " + e));
      }
    }
    assertEquals(List.of(), errors, "objects that do not match their schema");
  }

  @Test
  void eachRoleIsInItsOwnNamespace() {
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> {
      String ns = OVERLAYS.get(overlay);
      if (r.kind("Namespace").noneMatch(n -> ns.equals(name(n)))) {
        errors.add(overlay + ": no Namespace " + ns);
      }
      r.objects().stream().filter(o -> !"Namespace".equals(o.path("kind").asText()))
          .filter(o -> !ns.equals(o.path("metadata").path("namespace").asText()))
          .forEach(o -> errors.add(overlay + ": " + Rendered.id(o) + " is not in " + ns));
    });
    assertEquals(List.of(), errors);
  }

  @Test
  void topicsAndConsumerGroupsAreEachRolesOwn() {
    List<String> errors = new ArrayList<>();
    Map<String, Set<String>> topicsByRole = new HashMap<>();
    Map<String, Set<String>> groupsByRole = new HashMap<>();
    rendered.forEach((overlay, r) -> {
      Set<String> topics = new HashSet<>();
      r.kind("KafkaTopic").forEach(t -> {
        String topicName = t.path("spec").path("topicName").asText(name(t));
        topics.add(topicName);
        if (t.path("metadata").path("labels").path("strimzi.io/cluster").asText().isEmpty()) {
          errors.add(overlay + ": " + Rendered.id(t) + " has no strimzi.io/cluster label");
        }
      });
      topicsByRole.put(overlay, topics);
      Set<String> groups = new HashSet<>();
      r.kind("Deployment").forEach(d -> {
        for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
          String where = overlay + ": " + Rendered.id(d) + " container " + c.path("name").asText();
          Optional<String> aggregation = env(c, "PANDO_KAFKA_AGGREGATION_TOPIC");
          Optional<String> collection = env(c, "PANDO_KAFKA_COLLECTION_TOPIC");
          Optional<String> group = env(c, "PANDO_KAFKA_GROUP");
          for (var e : Map.of("PANDO_KAFKA_AGGREGATION_TOPIC", aggregation,
              "PANDO_KAFKA_COLLECTION_TOPIC", collection).entrySet()) {
            if (e.getValue().isEmpty()) {
              errors.add(where + ": " + e.getKey() + " is not set to a literal value");
            } else if (!topics.contains(e.getValue().get())) {
              errors.add(where + ": " + e.getKey() + "=" + e.getValue().get()
                  + " is no KafkaTopic's topicName in this overlay " + topics);
            }
          }
          if (aggregation.isPresent() && aggregation.equals(collection)) {
            errors.add(where + ": aggregation and collection jobs share topic " + aggregation.get());
          }
          if (group.isEmpty()) {
            errors.add(where + ": PANDO_KAFKA_GROUP is not set to a literal value");
          } else {
            groups.add(group.get());
          }
        }
      });
      if (groups.size() > 1) {
        errors.add(overlay + ": the Deployments name different consumer groups " + groups);
      }
      groupsByRole.put(overlay, groups);
    });
    disjoint("topic", topicsByRole, errors);
    disjoint("consumer group", groupsByRole, errors);
    assertEquals(List.of(), errors);
  }

  @Test
  void noPublicServiceCarriesTheManagementPort() {
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> {
      Set<String> managed = new HashSet<>();
      r.kind("Service").forEach(s -> {
        String type = s.path("spec").path("type").asText("ClusterIP");
        List<ObjectNode> pods = selected(r, s.path("spec").path("selector"));
        Set<Integer> targets = new HashSet<>();
        for (JsonNode p : s.path("spec").path("ports")) {
          JsonNode target = p.has("targetPort") ? p.path("targetPort") : p.path("port");
          for (ObjectNode d : pods) {
            int port = containerPort(d, target);
            if (port < 0) {
              errors.add(overlay + ": " + Rendered.id(s) + " port " + p.path("name").asText()
                  + " targets " + target + ", no container port of " + Rendered.id(d));
            }
            targets.add(port);
          }
        }
        if (pods.isEmpty()) {
          errors.add(overlay + ": " + Rendered.id(s) + " selects no Deployment's pods");
        }
        boolean dap = targets.contains(DAP_PORT);
        boolean external = type.equals("LoadBalancer") || type.equals("NodePort")
            || s.path("spec").has("externalIPs");
        if ((dap || external) && !targets.equals(Set.of(DAP_PORT))) {
          errors.add(overlay + ": " + Rendered.id(s) + " is public (type " + type
              + (dap ? ", DAP port" : "") + ") and carries container ports " + targets
              + "; it must carry the DAP port " + DAP_PORT + " alone");
        }
        if (targets.contains(MANAGEMENT_PORT)) {
          if (!type.equals("ClusterIP")) {
            errors.add(overlay + ": " + Rendered.id(s) + " carries the management port but is "
                + type);
          }
          pods.forEach(d -> managed.add(name(d)));
        }
      });
      r.kind("Deployment").filter(d -> !managed.contains(name(d))).forEach(d ->
          errors.add(overlay + ": no ClusterIP Service carries the management port of "
              + Rendered.id(d)));
    });
    assertEquals(List.of(), errors);
  }

  @Test
  void containerPortsFollowTheProcessRole() {
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> r.kind("Deployment").forEach(d -> {
      for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
        String where = overlay + ": " + Rendered.id(d) + " container " + c.path("name").asText();
        Map<Integer, String> ports = new HashMap<>();
        c.path("ports").forEach(p -> ports.put(p.path("containerPort").asInt(), p.path("name").asText()));
        if (!env(c, "PANDO_MANAGEMENT_PORT").equals(Optional.of(String.valueOf(MANAGEMENT_PORT)))) {
          errors.add(where + " does not set PANDO_MANAGEMENT_PORT=" + MANAGEMENT_PORT);
        }
        if (!"management".equals(ports.get(MANAGEMENT_PORT))) {
          errors.add(where + " declares no container port " + MANAGEMENT_PORT + " named management");
        }
        boolean api = !env(c, "PANDO_API_ENABLED").equals(Optional.of("false"));
        Set<Integer> allowed = api ? Set.of(DAP_PORT, MANAGEMENT_PORT) : Set.of(MANAGEMENT_PORT);
        if (api && !"http".equals(ports.get(DAP_PORT))) {
          errors.add(where + " serves DAP but declares no container port " + DAP_PORT + " named http");
        }
        for (int port : ports.keySet()) {
          if (!allowed.contains(port)) {
            errors.add(where + (api ? "" : " (PANDO_API_ENABLED=false: management only)")
                + " declares container port " + port);
          }
        }
      }
    }));
    assertEquals(List.of(), errors);
  }

  @Test
  void probesUseTheManagementPort() {
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> r.kind("Deployment").forEach(d -> {
      for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
        String where = overlay + ": " + Rendered.id(d) + " container " + c.path("name").asText();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          if (!c.has(probe)) {
            errors.add(where + " has no " + probe);
          }
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
          if (!c.has(probe)) {
            continue;
          }
          JsonNode http = c.path(probe).path("httpGet");
          if (http.isMissingNode()) {
            errors.add(where + " " + probe + " is not an HTTP probe of the management port");
          } else if (containerPort(d, http.path("port")) != MANAGEMENT_PORT) {
            errors.add(where + " " + probe + " probes port " + http.path("port")
                + ", not the management port " + MANAGEMENT_PORT);
          }
        }
      }
    }));
    assertEquals(List.of(), errors);
  }

  @Test
  void everyDeploymentHasAnAutoscalerAndADisruptionBudget() {
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> {
      List<ObjectNode> deployments = r.kind("Deployment").toList();
      for (ObjectNode d : deployments) {
        String where = overlay + ": " + Rendered.id(d);
        List<ObjectNode> hpas = r.kind("HorizontalPodAutoscaler").filter(h -> {
          JsonNode ref = h.path("spec").path("scaleTargetRef");
          return "Deployment".equals(ref.path("kind").asText()) && name(d).equals(ref.path("name").asText());
        }).toList();
        if (hpas.size() != 1) {
          errors.add(where + " has " + hpas.size() + " HorizontalPodAutoscalers, not 1");
        }
        if (d.path("spec").has("replicas")) {
          errors.add(where + " sets replicas, which its HorizontalPodAutoscaler owns");
        }
        long pdbs = r.kind("PodDisruptionBudget").filter(p -> {
          List<ObjectNode> pods = selected(r, p.path("spec").path("selector").path("matchLabels"));
          if (pods.size() > 1) {
            errors.add(overlay + ": " + Rendered.id(p) + " selects the pods of several Deployments");
          }
          return pods.size() == 1 && pods.get(0) == d;
        }).count();
        if (pdbs != 1) {
          errors.add(where + " has " + pdbs + " PodDisruptionBudgets selecting it, not 1");
        }
      }
    });
    assertEquals(List.of(), new ArrayList<>(new LinkedHashSet<>(errors)));
  }

  @Test
  void networkPoliciesOpenTheDapPortToAllAndManagementToTheCluster() {
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> {
      List<ObjectNode> policies = r.kind("NetworkPolicy").toList();
      for (ObjectNode p : policies) {
        JsonNode selector = p.path("spec").path("podSelector").path("matchLabels");
        if (selector.isEmpty() || selected(r, selector).isEmpty()) {
          errors.add(overlay + ": " + Rendered.id(p) + " must select the aggregator's pods by"
              + " label, and only them (an empty podSelector also takes in PostgreSQL's)");
        }
      }
      for (ObjectNode d : r.kind("Deployment").toList()) {
        String where = overlay + ": " + Rendered.id(d);
        Map<String, String> labels = podLabels(d);
        boolean servesDap = containerPorts(d).contains(DAP_PORT);
        boolean dapFromAll = false;
        boolean managementFromCluster = false;
        boolean isolated = false;
        for (ObjectNode p : policies) {
          JsonNode spec = p.path("spec");
          if (!matches(spec.path("podSelector").path("matchLabels"), labels)) {
            continue;
          }
          JsonNode types = spec.path("policyTypes");
          boolean ingress = types.isMissingNode() || types.toString().contains("\"Ingress\"");
          isolated |= ingress;
          for (JsonNode rule : spec.path("ingress")) {
            Set<Integer> ports = new HashSet<>();
            if (!rule.has("ports") || rule.path("ports").isEmpty()) {
              errors.add(where + ": " + Rendered.id(p) + " opens every port");
            }
            for (JsonNode port : rule.path("ports")) {
              if (port.has("endPort")) {
                errors.add(where + ": " + Rendered.id(p) + " opens a port range");
              }
              JsonNode number = port.path("port");
              ports.add(number.isInt() ? number.asInt() : containerPort(d, number));
            }
            JsonNode from = rule.path("from");
            boolean fromAll = from.isMissingNode() || from.isEmpty();
            boolean fromCluster = !fromAll && from.size() == 1
                && from.get(0).has("namespaceSelector") && from.get(0).path("namespaceSelector").isEmpty()
                && !from.get(0).has("podSelector");
            for (int port : ports) {
              if (port == DAP_PORT && servesDap) {
                dapFromAll |= fromAll;
              } else if (port == MANAGEMENT_PORT) {
                if (fromCluster) {
                  managementFromCluster = true;
                } else {
                  errors.add(where + ": " + Rendered.id(p) + " opens the management port to "
                      + (fromAll ? "everyone" : from) + ", not to the cluster (namespaceSelector {})");
                }
              } else {
                errors.add(where + ": " + Rendered.id(p) + " opens port " + port
                    + (servesDap ? "" : " on pods that serve management only"));
              }
            }
          }
        }
        if (!isolated) {
          errors.add(where + ": no NetworkPolicy isolates its pods for ingress");
        }
        if (servesDap && !dapFromAll) {
          errors.add(where + ": no NetworkPolicy lets everyone reach the DAP port " + DAP_PORT);
        }
        if (!managementFromCluster) {
          errors.add(where + ": no NetworkPolicy lets the cluster reach the management port");
        }
      }
    });
    assertEquals(List.of(), errors);
  }

  @Test
  void everySecretReferenceIsDefinedOrDocumented() {
    Map<String, Set<String>> documented = new HashMap<>();
    Rendered.file(SECRETS_TEMPLATE).kind("Secret").forEach(s -> documented.put(name(s), keys(s)));
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> {
      Map<String, Set<String>> secrets = new HashMap<>(documented);
      r.kind("Secret").forEach(s -> secrets.put(name(s), keys(s)));
      r.kind("Cluster").filter(c -> c.path("apiVersion").asText().startsWith("postgresql.cnpg.io/"))
          .forEach(c -> secrets.put(name(c) + "-app", CNPG_APP_SECRET_KEYS));
      Map<String, Set<String>> configMaps = new HashMap<>();
      r.kind("ConfigMap").forEach(m -> configMaps.put(name(m), keys(m)));
      r.kind("Deployment").forEach(d -> {
        JsonNode pod = d.path("spec").path("template").path("spec");
        List<JsonNode> containers = new ArrayList<>();
        pod.path("containers").forEach(containers::add);
        pod.path("initContainers").forEach(containers::add);
        for (JsonNode c : containers) {
          String where = overlay + ": " + Rendered.id(d) + " container " + c.path("name").asText();
          for (JsonNode e : c.path("env")) {
            ref(where + " env " + e.path("name").asText(), "Secret",
                e.path("valueFrom").path("secretKeyRef"), secrets, errors);
            ref(where + " env " + e.path("name").asText(), "ConfigMap",
                e.path("valueFrom").path("configMapKeyRef"), configMaps, errors);
          }
          for (JsonNode e : c.path("envFrom")) {
            ref(where + " envFrom", "Secret", e.path("secretRef"), secrets, errors);
            ref(where + " envFrom", "ConfigMap", e.path("configMapRef"), configMaps, errors);
          }
        }
        for (JsonNode v : pod.path("volumes")) {
          JsonNode secret = v.path("secret");
          if (!secret.isMissingNode() && !secrets.containsKey(secret.path("secretName").asText())
              && !secret.path("optional").asBoolean(false)) {
            errors.add(overlay + ": " + Rendered.id(d) + " volume " + v.path("name").asText()
                + " mounts Secret " + secret.path("secretName").asText()
                + ", which is neither in the overlay nor in " + SECRETS_TEMPLATE);
          }
        }
      });
    });
    assertEquals(List.of(), errors);
  }

  @Test
  void environmentReferencesNameEarlierVariables() {
    Pattern ref = Pattern.compile("(?<!\\$)\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> r.kind("Deployment").forEach(d -> {
      for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
        Set<String> defined = new HashSet<>();
        for (JsonNode e : c.path("env")) {
          Matcher m = ref.matcher(e.path("value").asText(""));
          while (m.find()) {
            if (!defined.contains(m.group(1))) {
              errors.add(overlay + ": " + Rendered.id(d) + " env " + e.path("name").asText()
                  + " refers to $(" + m.group(1) + "), not defined before it (Kubernetes would"
                  + " pass the text on unexpanded)");
            }
          }
          defined.add(e.path("name").asText());
        }
      }
    }));
    assertEquals(List.of(), errors);
  }

  @Test
  void deploymentsRunTheJibImage() throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(System.getProperty("pando.aggregator.properties",
        "../aggregator/src/main/resources/application.properties")))) {
      props.load(in);
    }
    String image = props.getProperty("quarkus.container-image.group") + "/"
        + props.getProperty("quarkus.container-image.name") + ":"
        + props.getProperty("quarkus.container-image.tag", "${quarkus.application.version}")
            .replace("${quarkus.application.version}", System.getProperty("pando.version", "?"));
    List<String> errors = new ArrayList<>();
    rendered.forEach((overlay, r) -> r.kind("Deployment").forEach(d -> {
      for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
        if (!image.equals(c.path("image").asText())) {
          errors.add(overlay + ": " + Rendered.id(d) + " runs " + c.path("image").asText()
              + ", not the image Jib builds, " + image);
        }
      }
    }));
    assertEquals(List.of(), errors);
  }

  // ---- helpers ----

  static String name(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  static Set<String> keys(JsonNode secretOrConfigMap) {
    Set<String> keys = new HashSet<>();
    for (String field : List.of("data", "stringData", "binaryData")) {
      secretOrConfigMap.path(field).fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  static void ref(String where, String kind, JsonNode ref, Map<String, Set<String>> known,
      List<String> errors) {
    if (ref.isMissingNode() || ref.path("optional").asBoolean(false)) {
      return;
    }
    String name = ref.path("name").asText();
    if (!known.containsKey(name)) {
      errors.add(where + " refers to " + kind + " " + name + ", which is neither in the overlay"
          + ("Secret".equals(kind) ? ", nor in " + SECRETS_TEMPLATE + ", nor a CloudNativePG"
              + " Cluster's <cluster>-app secret" : ""));
    } else if (ref.has("key") && !known.get(name).contains(ref.path("key").asText())) {
      errors.add(where + " refers to key " + ref.path("key").asText() + " of " + kind + " "
          + name + ", which has only " + new TreeSet<>(known.get(name)));
    }
  }

  static void disjoint(String what, Map<String, Set<String>> byRole, List<String> errors) {
    List<String> roles = new ArrayList<>(new TreeSet<>(byRole.keySet()));
    for (int i = 0; i < roles.size(); i++) {
      for (int j = i + 1; j < roles.size(); j++) {
        Set<String> shared = new TreeSet<>(byRole.get(roles.get(i)));
        shared.retainAll(byRole.get(roles.get(j)));
        if (!shared.isEmpty()) {
          errors.add(roles.get(i) + " and " + roles.get(j) + " share " + what + "s " + shared);
        }
      }
    }
  }

  /** A container's env variable, if it has a literal value. */
  static Optional<String> env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asText()) && e.has("value")) {
        return Optional.of(e.path("value").asText());
      }
    }
    return Optional.empty();
  }

  static Map<String, String> podLabels(JsonNode deployment) {
    Map<String, String> labels = new HashMap<>();
    deployment.path("spec").path("template").path("metadata").path("labels").fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  static boolean matches(JsonNode selector, Map<String, String> labels) {
    if (selector.isMissingNode() || selector.isEmpty()) {
      return true;
    }
    for (var it = selector.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The Deployments whose pods a label selector (matchLabels form) selects; none if empty. */
  static List<ObjectNode> selected(Rendered r, JsonNode selector) {
    if (selector.isMissingNode() || selector.isEmpty()) {
      return List.of();
    }
    return r.kind("Deployment").filter(d -> matches(selector, podLabels(d))).collect(Collectors.toList());
  }

  static Set<Integer> containerPorts(JsonNode deployment) {
    Set<Integer> ports = new HashSet<>();
    for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
      c.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
    }
    return ports;
  }

  /** The container port a number or port name stands for in a Deployment's pods; -1 if none. */
  static int containerPort(JsonNode deployment, JsonNode port) {
    for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        if (port.isInt() ? p.path("containerPort").asInt() == port.asInt()
            : port.asText().equals(p.path("name").asText())) {
          return p.path("containerPort").asInt();
        }
      }
    }
    return -1;
  }
}
