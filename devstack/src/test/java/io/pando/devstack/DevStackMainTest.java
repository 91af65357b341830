package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code pando devstack}'s command line: everything it takes, and a refusal for the rest. */
class DevStackMainTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private DevStackMain.Options parse(String... args) {
    return DevStackMain.parse(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String firstErrorLine() {
    return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
  }

  @Test
  void takesEachOptionInBothForms() {
    DevStackMain.Options o = parse("--data-dir=.data/x", "--postgres-port", "5433",
        "--kafka-port=9093", "--database=a", "--database", "b", "--topic=jobs:4", "--topic=t");
    assertNotNull(o);
    assertEquals(Path.of(".data/x"), o.dataDir);
    assertEquals(5433, o.pgPort);
    assertEquals(9093, o.kafkaPort);
    assertEquals(List.of("a", "b"), o.databases);
    assertEquals(List.of(new DevStackMain.Topic("jobs", 4), new DevStackMain.Topic("t", 1)),
        o.topics);
  }

  @Test
  void refusesUnknownOptionsAndMalformedValuesByName() {
    assertNull(parse("--databse=pando"));
    assertTrue(firstErrorLine().contains("--databse"), firstErrorLine());
    err.reset();
    assertNull(parse("--kafka-port=ninety"));
    assertTrue(firstErrorLine().contains("--kafka-port"), firstErrorLine());
    err.reset();
    assertNull(parse("--topic=jobs:0"));
    assertTrue(firstErrorLine().contains("--topic"), firstErrorLine());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: pando devstack"));
  }
}
