package io.pando.bench;

import io.pando.vdaf.VdafException;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1AggParam;
import io.pando.vdaf.poplar1.Poplar1OutputShare;
import io.pando.vdaf.poplar1.Poplar1VerifyInit;
import io.pando.vdaf.poplar1.Poplar1VerifierMessage;
import io.pando.vdaf.poplar1.Poplar1VerifyStep;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import java.math.BigInteger;
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
 * Poplar1 (VDAF-08) per operation, for BITS of 16, 64 and 256:
 *
 * <ul>
 *   <li>{@code shard}: one client shard;
 *   <li>{@code prepareInner} / {@code prepareLeaf}: one report through both aggregators (two
 *       verifyInit, two rounds of verifierSharesToMessage and verifyNext) with 10 candidate prefixes at
 *       level BITS/2 (Field64) and at the leaf level BITS-1 (Field255).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Poplar1Bench {
  private static final int PREFIXES = 10;

  @Param({"16", "64", "256"})
  public int bits;

  private Poplar1 poplar;
  private BigInteger measurement;
  private byte[] nonce;
  private byte[] verifyKey;
  private Poplar1Sharded report;
  private Poplar1AggParam inner;
  private Poplar1AggParam leaf;

  @Setup(Level.Trial)
  public void setUp() {
    Random rng = new Random(42);
    poplar = new Poplar1(bits);
    measurement = new BigInteger(bits, rng);
    nonce = new byte[Poplar1.NONCE_SIZE];
    rng.nextBytes(nonce);
    verifyKey = new byte[Poplar1.VERIFY_KEY_SIZE];
    rng.nextBytes(verifyKey);
    report = poplar.shard(measurement, nonce);
    inner = candidates(bits / 2, rng);
    leaf = candidates(bits - 1, rng);
  }

  /** The measurement's prefix at the level and nine others, in increasing order. */
  private Poplar1AggParam candidates(int level, Random rng) {
    java.util.TreeSet<BigInteger> set = new java.util.TreeSet<>();
    set.add(measurement.shiftRight(bits - 1 - level));
    while (set.size() < PREFIXES) {
      set.add(new BigInteger(level + 1, rng));
    }
    return new Poplar1AggParam(level, new ArrayList<>(set));
  }

  private List<Poplar1OutputShare> prepare(Poplar1AggParam aggParam) throws VdafException {
    Poplar1VerifyInit l = poplar.verifyInit(verifyKey, 0, aggParam, nonce, report.publicShare(),
        report.inputShares().get(0));
    Poplar1VerifyInit h = poplar.verifyInit(verifyKey, 1, aggParam, nonce, report.publicShare(),
        report.inputShares().get(1));
    Poplar1VerifierMessage m1 = poplar.verifierSharesToMessage(aggParam, List.of(l.share(), h.share()));
    Poplar1VerifyStep.Continue l2 = (Poplar1VerifyStep.Continue) poplar.verifyNext(l.state(), m1);
    Poplar1VerifyStep.Continue h2 = (Poplar1VerifyStep.Continue) poplar.verifyNext(h.state(), m1);
    Poplar1VerifierMessage m2 = poplar.verifierSharesToMessage(aggParam, List.of(l2.share(), h2.share()));
    return List.of(((Poplar1VerifyStep.Finish) poplar.verifyNext(l2.state(), m2)).outputShare(),
        ((Poplar1VerifyStep.Finish) poplar.verifyNext(h2.state(), m2)).outputShare());
  }

  @Benchmark
  public Poplar1Sharded shard() {
    return poplar.shard(measurement, nonce);
  }

  @Benchmark
  public List<Poplar1OutputShare> prepareInner() throws VdafException {
    return prepare(inner);
  }

  @Benchmark
  public List<Poplar1OutputShare> prepareLeaf() throws VdafException {
    return prepare(leaf);
  }
}
