package io.pando.cli.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every official VDAF-08 vector, read in place from the shared test-vector folder beside
 * the checkout (never copied into the repository).
 */
class Vdaf08VectorsTest {
  static Path vectorDir() {
    String base = System.getProperty("vdaf.testvectors", "../../shared/testvectors");
    Path dir = Path.of(base, "vdaf-08");
    assumeTrue(Files.isDirectory(dir),
        "official VDAF-08 vectors not found at " + dir.toAbsolutePath()
            + "; they come from github.com/cfrg/draft-irtf-cfrg-vdaf (tag draft-irtf-cfrg-vdaf-08,"
            + " poc/test_vec/08) and github.com/divviup/libprio-rs (src/vdaf/test_vec/08)");
    return dir;
  }

  @TestFactory
  Stream<DynamicTest> everyOfficialVectorReplays() throws IOException {
    List<Path> files = VectorChecker.vectorFiles(List.of(vectorDir()));
    assertTrue(files.size() >= 14, "expected the 14 official files, found " + files.size());
    VectorChecker checker = new VectorChecker();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      Outcome o = checker.check(f);
      assertEquals(Outcome.Status.PASSED, o.status(), o.line());
    }));
  }

  @Test
  void aChangedIntermediateValueFails(@TempDir Path tmp) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path src = vectorDir().resolve("Prio3Histogram_0.json");
    String[][] edits = {
      {"prep_shares"}, {"prep_messages"}, {"out_shares"}, {"public_share"}, {"input_shares"}
    };
    VectorChecker checker = new VectorChecker();
    for (String[] edit : edits) {
      ObjectNode v = (ObjectNode) json.readTree(src.toFile());
      ObjectNode report = (ObjectNode) v.get("prep").get(0);
      switch (edit[0]) {
        case "prep_shares" -> flipFirst((ArrayNode) report.get("prep_shares").get(0), 1);
        case "prep_messages" -> flipFirst((ArrayNode) report.get("prep_messages"), 0);
        case "out_shares" -> flipFirst((ArrayNode) report.get("out_shares").get(0), 0);
        case "public_share" -> report.put("public_share", flip(report.get("public_share").asText()));
        default -> flipFirst((ArrayNode) report.get("input_shares"), 1);
      }
      Path f = tmp.resolve(edit[0] + ".json");
      json.writeValue(f.toFile(), v);
      Outcome o = checker.check(f);
      assertEquals(Outcome.Status.FAILED, o.status(), edit[0] + ": " + o.line());
    }
    ObjectNode v = (ObjectNode) json.readTree(src.toFile());
    v.set("agg_result", json.readTree("[0, 0, 2, 0]"));
    Path f = tmp.resolve("agg_result.json");
    json.writeValue(f.toFile(), v);
    assertEquals(Outcome.Status.FAILED, checker.check(f).status());
  }

  @Test
  void aChangedPoplar1OrIdpfValueFails(@TempDir Path tmp) throws IOException {
    ObjectMapper json = new ObjectMapper();
    VectorChecker checker = new VectorChecker();
    for (String step : new String[] {"prep_shares0", "prep_shares1", "prep_messages", "out"}) {
      ObjectNode v = (ObjectNode) json.readTree(vectorDir().resolve("Poplar1_2.json").toFile());
      ObjectNode report = (ObjectNode) v.get("prep").get(0);
      switch (step) {
        case "prep_shares0" -> flipFirst((ArrayNode) report.get("prep_shares").get(0), 1);
        case "prep_shares1" -> flipFirst((ArrayNode) report.get("prep_shares").get(1), 0);
        case "prep_messages" -> flipFirst((ArrayNode) report.get("prep_messages"), 0);
        default -> flipFirst((ArrayNode) report.get("out_shares").get(1), 0);
      }
      Path f = tmp.resolve("poplar-" + step + ".json");
      json.writeValue(f.toFile(), v);
      assertEquals(Outcome.Status.FAILED, checker.check(f).status(), step);
    }
    ObjectNode idpf = (ObjectNode) json.readTree(vectorDir().resolve("IdpfPoplar_0.json").toFile());
    idpf.put("public_share", flip(idpf.get("public_share").asText()));
    Path f = tmp.resolve("idpf.json");
    json.writeValue(f.toFile(), idpf);
    assertEquals(Outcome.Status.FAILED, checker.check(f).status());
  }

  @Test
  void unrecognisedFilesFail(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("x.json");
    Files.writeString(f, "{\"hello\": 1}");
    assertEquals(Outcome.Status.FAILED, new VectorChecker().check(f).status());
    Files.writeString(f, "not json");
    assertEquals(Outcome.Status.FAILED, new VectorChecker().check(f).status());
  }

  private static void flipFirst(ArrayNode a, int index) {
    a.set(index, a.textNode(flip(a.get(index).asText())));
  }

  /** Changes the first hex digit (keeps field elements below the modulus). */
  private static String flip(String hex) {
    char c = hex.charAt(0);
    char d = c == '0' ? '1' : '0';
    return d + hex.substring(1);
  }
}
