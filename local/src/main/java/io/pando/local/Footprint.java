package io.pando.local;

import io.pando.devstack.AggregatorProcess;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a load test left behind, per report: each aggregator database's rows and bytes
 * (tables with their indexes and TOAST, as {@code pg_total_relation_size} counts them at that
 * moment, dead rows not yet vacuumed included) and the messages written to each job topic
 * against the jobs of that kind. The inputs of the capacity model in docs/SCALING.md.
 */
final class Footprint {
  private Footprint() {}

  /** One table's live rows and bytes on disk. */
  record Table(String name, long rows, long bytes) {}

  static String report(LocalDeployment d, long reports) throws Exception {
    StringBuilder out = new StringBuilder();
    for (AggregatorProcess p : List.of(d.leader(), d.helper())) {
      List<Table> tables = tables(d, p.database());
      long bytes = tables.stream().mapToLong(Table::bytes).sum();
      out.append(String.format("PostgreSQL, %s database after %d reports: %.1f MB, %d bytes"
          + " per report (%s)%n", p.name().replaceAll("-\\d+$", ""), reports, bytes / 1e6,
          bytes / reports, tables.stream().filter(t -> t.rows() > 0)
              .map(t -> String.format("%s %d rows %.1f MB", t.name(), t.rows(), t.bytes() / 1e6))
              .collect(Collectors.joining(", "))));
      Map<String, Long> rows = tables.stream()
          .collect(Collectors.toMap(Table::name, Table::rows));
      out.append(String.format("Kafka, %s topics: %d aggregation messages for %d aggregation"
          + " jobs, %d collection messages for %d collection jobs%n",
          p.name().replaceAll("-\\d+$", ""), messages(d, p.aggregationTopic()),
          rows.get("aggregation_jobs"), messages(d, p.collectionTopic()),
          rows.get("collection_jobs")));
    }
    return out.toString().stripTrailing();
  }

  private static List<Table> tables(LocalDeployment d, String database) throws SQLException {
    List<Table> tables = new ArrayList<>();
    try (Connection c = d.stack().postgres().connect(database);
        Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT tablename FROM pg_tables"
          + " WHERE schemaname = 'public' ORDER BY tablename")) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      for (String name : names) {
        try (ResultSet r = s.executeQuery("SELECT count(*), pg_total_relation_size('public.\""
            + name + "\"') FROM public.\"" + name + "\"")) {
          r.next();
          tables.add(new Table(name, r.getLong(1), r.getLong(2)));
        }
      }
    }
    return tables;
  }

  /** Messages ever written to a topic: the sum of its partitions' end offsets. */
  private static long messages(LocalDeployment d, String topic) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, d.stack().kafka().bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
          .partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      for (int i = 0; i < partitions; i++) {
        latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(o -> o.offset()).sum();
    }
  }
}
