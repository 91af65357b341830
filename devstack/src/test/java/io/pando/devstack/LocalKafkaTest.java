package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LocalKafkaTest {

  @Test
  void producesAndConsumesWithAGroup() throws Exception {
    int port;
    int controllerPort;
    long pid;
    Path root;
    try (LocalKafka kafka = LocalKafka.start(null, 0)) {
      port = kafka.port();
      controllerPort = kafka.controllerPort();
      pid = kafka.pid();
      root = kafka.dataDir();
      assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
      kafka.createTopic("jobs", 2);
      kafka.createTopic("jobs", 2);

      List<String> sent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
        for (int i = 0; i < 10; i++) {
          String v = "job-" + i;
          producer.send(new ProducerRecord<>("jobs", Integer.toString(i), v)).get();
          sent.add(v);
        }
      }

      Set<String> received = new TreeSet<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(kafka))) {
        consumer.subscribe(List.of("jobs"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.size() < sent.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            received.add(r.value());
          }
        }
        consumer.commitSync();
      }
      assertEquals(new TreeSet<>(sent), received);
      assertTrue(Files.size(kafka.logFile()) > 0, "broker log is empty");
    }
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "broker child " + pid + " still alive");
    assertTrue(Ports.isFree(port), "broker port " + port + " still bound");
    assertTrue(Ports.isFree(controllerPort), "controller port " + controllerPort + " still bound");
    assertFalse(Files.exists(root), "temporary data directory left behind: " + root);
  }

  @Test
  void refusesPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(Ports.loopback(), 0));
      int port = taken.getLocalPort();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> LocalKafka.start(null, port));
      assertTrue(e.getMessage().contains("port " + port + " is already in use"), e.getMessage());
    }
  }

  static Properties producerProps(LocalKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }

  static Properties consumerProps(LocalKafka kafka) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "devstack-test");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return p;
  }
}
