package io.pando.aggregator.dp;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.task.Task;
import io.pando.core.vdaf.DapVdaf;
import io.pando.core.vdaf.Prio3DapVdaf;
import io.pando.core.vdaf.DpStrategies;
import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.dp.ExactSampler;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.Prio3;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import org.jboss.logging.Logger;

/**
 * Aggregator-added differential privacy noise: a task with a {@code dp_strategy} has each of
 * its aggregate shares noised, by this aggregator alone, before the share is sealed to the
 * collector. The leader calls it when it records a collection job's share, the helper when it
 * answers an aggregate share request; both store the sealed share in the same transaction, so
 * a share is noised once and every later read or retry releases the same bytes.
 *
 * <p>Metrics: {@code pando_dp_noised_shares_total{role, type}}; one log line per noised share
 * (the strategy, never a value).
 */
@ApplicationScoped
public class ShareNoise {
  private static final Logger LOG = Logger.getLogger(ShareNoise.class);

  private final MeterRegistry meters;
  private final ExactSampler sampler;

  @Inject
  public ShareNoise(MeterRegistry meters) {
    this(meters, new SecureRandom());
  }

  /** With a chosen random source (tests). */
  public ShareNoise(MeterRegistry meters, SecureRandom random) {
    this.meters = meters;
    this.sampler = new ExactSampler(random);
  }

  /** The share noised by the task's strategy, or the share itself for a task without one. */
  public Object apply(Task task, DapVdaf vdaf, Object share, String what) {
    if (task.dpStrategy().isEmpty()) {
      return share;
    }
    DpStrategy s = task.dpStrategy().get();
    // Noise is defined for Prio3 only; a task of another VDAF cannot have a strategy.
    Prio3<?, ?> prio3 = ((Prio3DapVdaf) vdaf).prio3();
    AggregateShare noised = s.addNoise(prio3, (AggregateShare) share, sampler,
        DpStrategies.sensitivity(task.vdaf()));
    String role = task.role().name().toLowerCase(java.util.Locale.ROOT);
    meters.counter("pando_dp_noised_shares_total", "role", role, "type", s.type()).increment();
    LOG.infof("task %s: %s aggregate share of %s noised, %s", task.id(), role, what,
        s.describe(DpStrategies.sensitivity(task.vdaf())));
    return noised;
  }
}
