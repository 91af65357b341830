package io.pando.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The objects of one overlay as {@code kubectl kustomize} renders them, or of a YAML file. */
record Rendered(String name, List<ObjectNode> objects) {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path K8S = Path.of(System.getProperty("pando.k8s.dir", "."));

  /**
   * kubectl on the PATH or in its usual places, if this machine has it; the system property
   * {@code pando.kubectl} names one instead (a path that is not there: as on a machine without).
   */
  static Optional<Path> kubectl() {
    String given = System.getProperty("pando.kubectl", "");
    if (!given.isEmpty()) {
      return Optional.of(Path.of(given)).filter(Files::isExecutable);
    }
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "kubectl"));
      }
    }
    candidates.add(Path.of("/usr/bin/kubectl"));
    candidates.add(Path.of("/usr/local/bin/kubectl"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** Renders k8s/{overlay} with {@code kubectl kustomize}; fails with kubectl's own message. */
  static Rendered overlay(Path kubectl, String overlay) {
    Path dir = K8S.resolve(overlay);
    try {
      Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
          .redirectErrorStream(false).start();
      byte[] out;
      byte[] err;
      try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
        out = o.readAllBytes();
        err = e.readAllBytes();
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + p.exitValue()
            + "): " + new String(err, StandardCharsets.UTF_8));
      }
      return new Rendered(overlay, parse(new String(out, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Rendered file(String relative) {
    try {
      return new Rendered(relative, parse(Files.readString(K8S.resolve(relative))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<ObjectNode> parse(String yaml) throws IOException {
    List<ObjectNode> objects = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n instanceof ObjectNode o && !o.isEmpty()) {
          objects.add(o);
        }
      }
    }
    return objects;
  }

  Stream<ObjectNode> kind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
  }

  static String id(JsonNode o) {
    return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
  }
}
