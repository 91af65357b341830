package io.pando.bench;

import io.pando.vdaf.VdafException;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyInit;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prio3 (VDAF-08, and draft-20 for the {@code d20-} cases with a 39-byte application context
 * as DAP builds it; two aggregators) per operation:
 *
 * <ul>
 *   <li>{@code shard}: one client shard of a valid measurement;
 *   <li>{@code prepare}: one report through both aggregators: two verifyInit, verifierSharesToMessage, two
 *       verifyNext;
 *   <li>{@code aggregate}: 100 output shares of one aggregator summed into an aggregate share.
 * </ul>
 *
 * The same definitions as bench/ts/bench.mjs, so the two can be compared line by line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Prio3Bench {
  @Param({
    "count", "sum-8", "sum-32", "sumvec-10", "sumvec-100", "sumvec-1000", "histogram-10",
    "histogram-100", "histogram-1000", "histogram-10000", "multihotcountvec",
    "d20-count", "d20-sum-255", "d20-sumvec-100", "d20-histogram-100", "d20-histogram-1000"
  })
  public String vdaf;

  private Prio3<Object, Object> prio3;
  private Object measurement;
  private byte[] nonce;
  private byte[] ctx;
  private byte[] verifyKey;
  private Sharded report;
  private List<OutputShare> outputShares;

  @Setup(Level.Trial)
  public void setUp() throws VdafException {
    Random rng = new Random(42);
    Cases.Case c = Cases.get(vdaf);
    prio3 = c.prio3();
    measurement = c.measurements().next(rng);
    nonce = new byte[Prio3.NONCE_SIZE];
    rng.nextBytes(nonce);
    ctx = new byte[prio3.version().hasContext() ? 39 : 0]; // "dap-NN" || task_id
    rng.nextBytes(ctx);
    verifyKey = new byte[prio3.verifyKeySize()];
    rng.nextBytes(verifyKey);
    report = prio3.shard(ctx, measurement, nonce);
    outputShares = new ArrayList<>();
    int distinct = vdaf.equals("histogram-10000") ? 10 : 100;
    List<OutputShare> distinctShares = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      Sharded s = prio3.shard(ctx, c.measurements().next(rng), nonce);
      distinctShares.add(prepareBoth(s).get(0));
    }
    for (int i = 0; i < 100; i++) {
      outputShares.add(distinctShares.get(i % distinct));
    }
  }

  private List<OutputShare> prepareBoth(Sharded s) throws VdafException {
    VerifyInit leader = prio3.verifyInit(verifyKey, ctx, 0, nonce, s.publicShare(),
        s.inputShares().get(0));
    VerifyInit helper = prio3.verifyInit(verifyKey, ctx, 1, nonce, s.publicShare(),
        s.inputShares().get(1));
    VerifierMessage msg = prio3.verifierSharesToMessage(ctx, List.of(leader.share(), helper.share()));
    return List.of(prio3.verifyNext(leader.state(), msg), prio3.verifyNext(helper.state(), msg));
  }

  @Benchmark
  public Sharded shard() {
    return prio3.shard(ctx, measurement, nonce);
  }

  @Benchmark
  public List<OutputShare> prepare() throws VdafException {
    return prepareBoth(report);
  }

  @Benchmark
  public AggregateShare aggregate() {
    return prio3.aggregate(outputShares);
  }
}
