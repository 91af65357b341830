package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to the servers when their owner JVM is SIGKILLed, and how a restart recovers. */
class OrphanTest {

  @Test
  void restartAfterOwnerWasKilled(@TempDir Path root) throws Exception {
    Path pgDir = root.resolve("postgres");
    Path kafkaDir = root.resolve("kafka");
    Process owner = new ProcessBuilder(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dslf4j.provider=" + StdoutLogProvider.class.getName(),
        "-Dslf4j.internal.verbosity=WARN",
        "-Dpando.devstack.log.level=WARN",
        "-cp", LocalKafka.childClassPath(),
        OrphanOwner.class.getName(), root.toString()))
        .redirectErrorStream(true)
        .start();
    long kafkaPid = -1;
    long postmasterPid = -1;
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        seen.append(line).append('\n');
      }
      if (line == null) {
        fail("owner JVM exited before it was ready:\n" + seen);
      }
      kafkaPid = DataDir.readPid(kafkaDir.resolve(DataDir.KAFKA_PID)).orElseThrow();
      postmasterPid = DataDir.readPid(pgDir.resolve(DataDir.PG_PID)).orElseThrow();

      owner.destroyForcibly();
      owner.waitFor(10, TimeUnit.SECONDS);

      ProcessHandle kafka = ProcessHandle.of(kafkaPid).orElse(null);
      assertTrue(kafka == null || DataDir.waitExit(kafka, Duration.ofSeconds(30)),
          "Kafka child outlived its SIGKILLed parent");
      assertTrue(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false),
          "expected the orphaned postmaster to be still running");

      try (DevStack stack = DevStack.start(root)) {
        assertFalse(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false),
            "stale postmaster was not stopped");
        try (Connection c = stack.postgres().connect("postgres");
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT v FROM marker")) {
          assertTrue(rs.next());
          assertEquals("before kill", rs.getString(1));
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
          assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("kept"));
        }
      }
    } finally {
      owner.destroyForcibly();
      for (long pid : new long[] {kafkaPid, postmasterPid}) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
