package io.pando.cli.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The official draft-20 vectors (draft-17+ schema with {@code operations}), replayed by the same
 * checker as {@code bin/pando vdaf check-vectors}; negative vectors must be refused at the step
 * they name and nowhere else.
 */
class Vdaf20VectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path vectorDir() {
    String base = System.getProperty("vdaf.testvectors", "../../shared/testvectors");
    Path dir = Path.of(base, "vdaf-20");
    assumeTrue(Files.isDirectory(dir),
        "official draft-20 vectors not found at " + dir.toAbsolutePath()
            + "; they come from github.com/cfrg/draft-irtf-cfrg-vdaf (tag draft-irtf-cfrg-vdaf-20,"
            + " test_vec/)");
    return dir;
  }

  @TestFactory
  Stream<DynamicTest> everyOfficialVectorReplays() throws IOException {
    List<Path> files = VectorChecker.vectorFiles(List.of(vectorDir()));
    assertTrue(files.size() >= 28, "expected the 28 official files, found " + files.size());
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().startsWith("Poplar1_")));
    VectorChecker checker = new VectorChecker();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      Outcome o = checker.check(f);
      String name = f.getFileName().toString();
      assertEquals(Outcome.Status.PASSED, o.status(), o.line());
      if (name.contains("_bad_")) {
        assertTrue(o.detail().contains("1 refused where the vector says so"), o.line());
      }
    }));
  }

  @Test
  void aChangedIntermediateValueFails(@TempDir Path tmp) throws IOException {
    Path src = vectorDir().resolve("Prio3Histogram_0.json");
    String[] edits = {"public_share", "input_shares", "verifier_shares", "verifier_messages",
        "out_shares", "agg_shares", "ctx"};
    VectorChecker checker = new VectorChecker();
    for (String edit : edits) {
      ObjectNode v = (ObjectNode) JSON.readTree(src.toFile());
      ObjectNode report = (ObjectNode) v.get("reports").get(0);
      switch (edit) {
        case "public_share" -> report.put("public_share", flip(report.get("public_share").asText()));
        case "input_shares" -> flipAt((ArrayNode) report.get("input_shares"), 1);
        case "verifier_shares" -> flipAt((ArrayNode) report.get("verifier_shares").get(0), 1);
        case "verifier_messages" -> flipAt((ArrayNode) report.get("verifier_messages"), 0);
        case "out_shares" -> flipAt((ArrayNode) report.get("out_shares"), 0);
        case "agg_shares" -> flipAt((ArrayNode) v.get("agg_shares"), 1);
        default -> v.put("ctx", flip(v.get("ctx").asText()));
      }
      Outcome o = checker.check(write(tmp, edit, v));
      assertEquals(Outcome.Status.FAILED, o.status(), edit + ": " + o.line());
    }
    ObjectNode v = (ObjectNode) JSON.readTree(src.toFile());
    v.set("agg_result", JSON.readTree("[0, 0, 2, 0]"));
    assertEquals(Outcome.Status.FAILED, checker.check(write(tmp, "agg_result", v)).status());
  }

  @Test
  void aRefusalTheVectorDoesNotExpectFailsAndSoDoesAMissingOne(@TempDir Path tmp)
      throws IOException {
    VectorChecker checker = new VectorChecker();
    // A negative vector whose failing step is marked as a success: the checker must object.
    ObjectNode bad = (ObjectNode) JSON.readTree(
        vectorDir().resolve("Prio3Count_bad_meas_share.json").toFile());
    for (JsonNode op : bad.get("operations")) {
      ((ObjectNode) op).put("success", true);
    }
    Outcome o = checker.check(write(tmp, "Prio3Count_bad_as_good", bad));
    assertEquals(Outcome.Status.FAILED, o.status(), o.line());
    // A positive vector with one step marked as a failure: the step succeeds, which is wrong.
    ObjectNode good = (ObjectNode) JSON.readTree(
        vectorDir().resolve("Prio3Count_0.json").toFile());
    ((ObjectNode) good.get("operations").get(3)).put("success", false);
    o = checker.check(write(tmp, "Prio3Count_good_as_bad", good));
    assertEquals(Outcome.Status.FAILED, o.status(), o.line());
  }

  private static Path write(Path dir, String name, JsonNode v) throws IOException {
    Path f = dir.resolve(name + ".json");
    JSON.writeValue(f.toFile(), v);
    return f;
  }

  private static void flipAt(ArrayNode a, int index) {
    a.set(index, a.textNode(flip(a.get(index).asText())));
  }

  /** Changes the first hex digit (keeps field elements below the modulus). */
  private static String flip(String hex) {
    char c = hex.charAt(0);
    char d = c == '0' ? '1' : '0';
    return d + hex.substring(1);
  }
}
