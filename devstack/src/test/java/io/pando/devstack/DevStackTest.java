package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class DevStackTest {

  @Test
  void startsBothServers() throws Exception {
    int pgPort;
    int kafkaPort;
    long kafkaPid;
    try (DevStack stack = DevStack.start(null)) {
      pgPort = stack.postgres().port();
      kafkaPort = stack.kafka().port();
      kafkaPid = stack.kafka().pid();
      assertNotEquals(pgPort, kafkaPort);

      stack.postgres().createDatabase("pando");
      try (Connection c = stack.postgres().connect("pando");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_database(), version()")) {
        assertTrue(rs.next());
        assertEquals("pando", rs.getString(1));
        assertTrue(rs.getString(2).startsWith("PostgreSQL 18."), rs.getString(2));
      }

      stack.kafka().createTopic("aggregation-jobs", 4);
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
      try (Admin admin = Admin.create(p)) {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertTrue(names.contains("aggregation-jobs"), names.toString());
        assertEquals(4, admin.describeTopics(Set.of("aggregation-jobs")).allTopicNames()
            .get(30, TimeUnit.SECONDS).get("aggregation-jobs").partitions().size());
      }
    }
    assertTrue(Ports.isFree(pgPort));
    assertTrue(Ports.isFree(kafkaPort));
    assertFalse(ProcessHandle.of(kafkaPid).map(ProcessHandle::isAlive).orElse(false));
  }
}
