package io.pando.collector;

import io.pando.codec.DecodeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.core.vdaf.Poplar1Bits;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1AggregateShare;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The DAP-09 collector of a Poplar1 task (VDAF-08 Poplar1, {@code {"type":"Poplar1","bits":N}}):
 * each collection names an aggregation parameter, a level and candidate prefixes of {@code level
 * + 1} bits (draft-irtf-cfrg-vdaf-08 §8.2), and yields each prefix's count. Each collection of a
 * batch is another query of it (DAP-09 §4.6.6), so the task's {@code max_batch_query_count} must be
 * at least the number of levels collected, and draft-08's is_valid lets each level be collected
 * once, in increasing order. Thread-safe.
 *
 * <p>{@link #dap18} makes the DAP-18 collector of a Poplar1 task (draft-20 Poplar1, the
 * configuration's {@code bits}); its collections take {@link io.pando.dap.messages.dap18.Query
 * dap18.Query}s and go through {@link Collector}'s DAP-18 flow, the aggregation parameter in the
 * {@code CollectionJobReq}.
 */
public final class Poplar1Collector {
  private final Poplar1 vdaf;
  private final Collector<List<Long>> collector;

  public Poplar1Collector(TaskId taskId, URI leader, String authToken, HpkeKeypair collectorKey,
      int bits) {
    this(taskId, leader, authToken, Collector.AuthHeader.BEARER, collectorKey, bits,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build());
  }

  public Poplar1Collector(TaskId taskId, URI leader, String authToken,
      Collector.AuthHeader authHeader, HpkeKeypair collectorKey, int bits, HttpClient http) {
    this(new Poplar1(VdafVersion.DRAFT_08, bits), u -> new Collector<>(taskId, leader, authToken,
        authHeader, collectorKey, u, http));
  }

  /**
   * The collector of a DAP-18 Poplar1 task: the leader is the configuration's, the VDAF its
   * draft-20 Poplar1.
   *
   * @throws IllegalArgumentException if the configuration's VDAF is not Poplar1
   */
  public static Poplar1Collector dap18(TaskId taskId, TaskConfiguration configuration,
      String authToken, Collector.AuthHeader authHeader, HpkeKeypair collectorKey,
      HttpClient http) {
    return new Poplar1Collector(Dap18Vdafs.poplar1(configuration.vdaf()),
        u -> new Collector<>(taskId, configuration, authToken, authHeader, collectorKey, u, http));
  }

  private interface CollectorOf {
    Collector<List<Long>> make(Collector.Unsharder<List<Long>> unsharder);
  }

  private Poplar1Collector(Poplar1 vdaf, CollectorOf collectorOf) {
    this.vdaf = vdaf;
    this.collector = collectorOf.make(new Collector.Unsharder<>() {
      @Override
      public List<Long> unshard(byte[] aggregationParameter, byte[] leaderShare,
          byte[] helperShare, long reportCount) throws DecodeException {
        Poplar1AggParam param = vdaf.decodeAggParam(aggregationParameter);
        List<Poplar1AggregateShare> shares = List.of(
            vdaf.decodeAggregateShare(param, leaderShare),
            vdaf.decodeAggregateShare(param, helperShare));
        return vdaf.unshard(param, shares, reportCount);
      }

      @Override
      public String name() {
        return vdaf + "";
      }
    });
  }

  /** The collector the collections go through (its {@link Collector#version()} and queries). */
  public Collector<List<Long>> collector() {
    return collector;
  }

  /** The measurement length in bits. */
  public int bits() {
    return vdaf.bits();
  }

  /**
   * The aggregation parameter of {@code level} and {@code prefixes} (bit strings of {@code level
   * + 1} characters, each taken once, sorted as draft-08 wants).
   *
   * @throws IllegalArgumentException if the level is not below {@code bits} or a prefix is not a
   *     bit string of {@code level + 1} characters
   */
  public Poplar1AggParam aggregationParameter(int level, List<String> prefixes) {
    if (level < 0 || level >= vdaf.bits()) {
      throw new IllegalArgumentException("level " + level + " not in [0, " + vdaf.bits() + ")");
    }
    TreeSet<BigInteger> sorted = new TreeSet<>();
    for (String p : prefixes) {
      sorted.add(Poplar1Bits.parse(p, level + 1));
    }
    return new Poplar1AggParam(level, new ArrayList<>(sorted));
  }

  /**
   * Decodes an encoded aggregation parameter (this collector's draft's encoding), e.g. one a
   * caller received already encoded.
   *
   * @throws DecodeException if it is malformed or its level is not below {@code bits}
   */
  public Poplar1AggParam decodeAggregationParameter(byte[] encoded) throws DecodeException {
    return vdaf.decodeAggParam(encoded);
  }

  /**
   * Starts a DAP-09 collection job of {@code query} with {@code param} and returns its id, for
   * callers that poll themselves: {@code collector().poll(id)} answers the counts in the order of
   * {@code param}'s prefixes.
   */
  public io.pando.dap.messages.CollectionJobId start(Query<?> query, Poplar1AggParam param)
      throws CollectorException {
    return collector.start(query, vdaf.encodeAggParam(param));
  }

  /**
   * {@link #start(Query, Poplar1AggParam)} of DAP-18: {@code collector().poll(job)} answers the
   * counts.
   */
  public Collector.Dap18Job start(io.pando.dap.messages.dap18.Query query,
      Poplar1AggParam param) throws CollectorException {
    return collector.start(query, vdaf.encodeAggParam(param));
  }

  /**
   * Starts a collection job of {@code query} with the aggregation parameter of {@code level} and
   * {@code prefixes} ({@link #aggregationParameter}), polls it until ready and returns the count of
   * each prefix.
   */
  public CollectionResult<PrefixCounts> collect(Query<?> query, int level, List<String> prefixes,
      Duration timeout, Collector.ProgressListener progress) throws CollectorException {
    Poplar1AggParam param = aggregationParameter(level, prefixes);
    return counts(param, collector.collect(query, vdaf.encodeAggParam(param), timeout,
        progress));
  }

  /** {@link #collect(Query, int, List, Duration, Collector.ProgressListener)} of DAP-18. */
  public CollectionResult<PrefixCounts> collect(io.pando.dap.messages.dap18.Query query,
      int level, List<String> prefixes, Duration timeout, Collector.ProgressListener progress)
      throws CollectorException {
    Poplar1AggParam param = aggregationParameter(level, prefixes);
    return counts(param, collector.collect(query, vdaf.encodeAggParam(param), timeout,
        progress));
  }

  private static CollectionResult<PrefixCounts> counts(Poplar1AggParam param,
      CollectionResult<List<Long>> r) {
    int level = param.level();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < param.prefixCount(); i++) {
      counts.put(Poplar1Bits.format(param.prefixes().get(i), level + 1), r.aggregate().get(i));
    }
    return new CollectionResult<>(new PrefixCounts(level, counts), r.reportCount(), r.interval(),
        r.batchId());
  }

  /** The outcome of {@link #heavyHitters}: each level's counts and the final heavy hitters. */
  public record HeavyHitters(List<CollectionResult<PrefixCounts>> levels,
      Map<String, Long> heavyHitters) {
    public HeavyHitters {
      levels = List.copyOf(levels);
      heavyHitters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(heavyHitters));
    }
  }

  /**
   * The heavy hitters of a batch: collects level 0 with the prefixes "0" and "1", then each next
   * level with the children of the previous level's prefixes counted at least {@code threshold}
   * times, up to level {@code bits - 1}; the measurements counted at least {@code threshold}
   * times there are the heavy hitters. Stops early, with none, when no prefix reaches the
   * threshold. Makes up to {@code bits} queries of the batch.
   */
  public HeavyHitters heavyHitters(Query<?> query, long threshold, Duration timeoutPerLevel,
      Collector.ProgressListener progress) throws CollectorException {
    return heavyHitters((level, prefixes) -> collect(query, level, prefixes, timeoutPerLevel,
        progress), threshold);
  }

  /** {@link #heavyHitters(Query, long, Duration, Collector.ProgressListener)} of DAP-18. */
  public HeavyHitters heavyHitters(io.pando.dap.messages.dap18.Query query, long threshold,
      Duration timeoutPerLevel, Collector.ProgressListener progress) throws CollectorException {
    return heavyHitters((level, prefixes) -> collect(query, level, prefixes, timeoutPerLevel,
        progress), threshold);
  }

  private interface LevelCollector {
    CollectionResult<PrefixCounts> collect(int level, List<String> prefixes)
        throws CollectorException;
  }

  private HeavyHitters heavyHitters(LevelCollector levelCollector, long threshold)
      throws CollectorException {
    if (threshold < 1) {
      throw new IllegalArgumentException("the threshold must be at least 1");
    }
    List<CollectionResult<PrefixCounts>> levels = new ArrayList<>();
    List<String> candidates = List.of("0", "1");
    Map<String, Long> hitters = new LinkedHashMap<>();
    for (int level = 0; level < vdaf.bits() && !candidates.isEmpty(); level++) {
      CollectionResult<PrefixCounts> r = levelCollector.collect(level, candidates);
      levels.add(r);
      hitters = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : r.aggregate().counts().entrySet()) {
        if (e.getValue() >= threshold) {
          hitters.put(e.getKey(), e.getValue());
        }
      }
      List<String> next = new ArrayList<>();
      for (String p : hitters.keySet()) {
        next.add(p + "0");
        next.add(p + "1");
      }
      candidates = next;
    }
    return new HeavyHitters(levels, hitters);
  }
}
