package io.pando.vdaf.prio3;

import java.util.List;

/** The output of {@code shard}: the public share and one input share per aggregator. */
public record Sharded(PublicShare publicShare, List<InputShare> inputShares) {
  public Sharded {
    inputShares = List.copyOf(inputShares);
  }
}
