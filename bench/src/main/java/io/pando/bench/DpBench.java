package io.pando.bench;

import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.dp.ExactSampler;
import io.pando.vdaf.dp.Rational;
import io.pando.vdaf.dp.Sensitivity;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
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
 * The exact DP samplers: one draw of the discrete Laplace and of the discrete Gaussian at a
 * given scale ({@code scale} is the Laplace scale t and the Gaussian's sigma^2), and the noise
 * of one aggregate share of a 100-bucket histogram (100 Laplace draws of scale 1 added in
 * Field128), all from a default {@link SecureRandom}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DpBench {
  @Param({"1", "1000", "1000000"})
  public long scale;

  private ExactSampler sampler;
  private Rational r;
  private Prio3<Integer, List<Long>> histogram;
  private AggregateShare share;
  private DpStrategy laplace;

  @Setup(Level.Trial)
  public void setUp() {
    sampler = new ExactSampler(new SecureRandom());
    r = Rational.of(scale, 1);
    histogram = Prio3.histogram(100, 10);
    share = histogram.emptyAggregateShare();
    laplace = DpStrategy.of("pure_dp_discrete_laplace", "1");
  }

  @Benchmark
  public BigInteger discreteLaplace() {
    return sampler.discreteLaplace(r);
  }

  @Benchmark
  public BigInteger discreteGaussian() {
    return sampler.discreteGaussian(r);
  }

  @Benchmark
  public AggregateShare noiseHistogram100Share() {
    return laplace.addNoise(histogram, share, sampler, Sensitivity.histogram());
  }
}
