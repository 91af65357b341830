package io.pando.cli.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pando.collector.CollectionResult;
import io.pando.core.vdaf.DpStrategies;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.Interval;
import io.pando.vdaf.dp.DpStrategy;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders a collection result as text (with a bar chart for vectors) or as JSON. */
public final class ResultPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultPrinter() {}

  /** The aggregate as numbers: one for Count and Sum, one per bucket for the vector VDAFs. */
  static List<BigInteger> values(Object aggregate) {
    if (aggregate instanceof List<?> list) {
      List<BigInteger> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(number(o));
      }
      return out;
    }
    return List.of(number(aggregate));
  }

  private static BigInteger number(Object o) {
    if (o instanceof BigInteger b) {
      return b;
    }
    if (o instanceof Long || o instanceof Integer) {
      return BigInteger.valueOf(((Number) o).longValue());
    }
    throw new IllegalArgumentException("not an integer aggregate: " + o);
  }

  /** "Prio3Histogram (length=3, chunk_length=2)". */
  public static String describe(VdafInstance vdaf) {
    Map<String, Integer> p = vdaf.parameters();
    if (p.isEmpty()) {
      return vdaf.type();
    }
    return vdaf.type() + " (" + p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ")) + ")";
  }

  /** "2023-11-14T22:13:20Z/PT1H (start 1700000000 s, duration 3600 s)". */
  public static String describe(Interval interval) {
    long start = interval.start().seconds();
    long duration = interval.duration().seconds();
    return Instant.ofEpochSecond(start) + "/" + Duration.ofSeconds(duration) + " (start " + start
        + " s, duration " + duration + " s)";
  }

  /**
   * "pure DP, epsilon=1/2 per aggregator (discrete Laplace, scale 2); entries may be negative".
   */
  static String noised(VdafInstance vdaf, DpStrategy s) {
    return s.describe(DpStrategies.sensitivity(vdaf)) + "; entries may be negative";
  }

  /**
   * The text form.
   *
   * @param columns the terminal width for the bar chart, or 0 if unknown
   */
  public static List<String> text(VdafInstance vdaf, CollectionResult<?> r, int columns) {
    List<String> out = new ArrayList<>();
    out.add("VDAF:         " + describe(vdaf));
    out.add("Reports:      " + r.reportCount());
    out.add("Interval:     " + describe(r.interval()));
    r.batchId().ifPresent(b -> out.add("Batch ID:     " + b.toBase64Url()));
    r.dpStrategy().ifPresent(s -> out.add("Noised:       " + noised(vdaf, s)));
    List<BigInteger> values = values(r.aggregate());
    if (r.aggregate() instanceof List<?>) {
      out.add("Aggregate:    " + values);
      out.add("");
      out.addAll(BarChart.lines(values, columns));
    } else {
      out.add("Aggregate:    " + values.get(0));
    }
    return out;
  }

  /**
   * The JSON form: {@code {"vdaf", "report_count", "interval": {"start", "duration"},
   * "batch_id", "dp_strategy", "aggregate"}}, integers as JSON numbers, {@code batch_id} null for
   * time-interval tasks, {@code dp_strategy} null for a result without noise, else {@code
   * {"type", "epsilon" or "rho", "description"}}.
   */
  public static String json(VdafInstance vdaf, CollectionResult<?> r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("vdaf", vdaf.type());
    ObjectNode params = root.putObject("vdaf_parameters");
    vdaf.parameters().forEach(params::put);
    root.put("report_count", r.reportCount());
    ObjectNode interval = root.putObject("interval");
    interval.put("start", r.interval().start().seconds());
    interval.put("duration", r.interval().duration().seconds());
    Optional<BatchId> batch = r.batchId();
    if (batch.isPresent()) {
      root.put("batch_id", batch.get().toBase64Url());
    } else {
      root.putNull("batch_id");
    }
    if (r.dpStrategy().isPresent()) {
      DpStrategy s = r.dpStrategy().get();
      ObjectNode dp = root.putObject("dp_strategy");
      DpStrategies.toJson(s).forEach((k, v) -> dp.put(k, v.toString()));
      dp.put("description", s.describe(DpStrategies.sensitivity(vdaf)));
    } else {
      root.putNull("dp_strategy");
    }
    List<BigInteger> values = values(r.aggregate());
    if (r.aggregate() instanceof List<?>) {
      ArrayNode a = root.putArray("aggregate");
      values.forEach(a::add);
    } else {
      root.put("aggregate", values.get(0));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
