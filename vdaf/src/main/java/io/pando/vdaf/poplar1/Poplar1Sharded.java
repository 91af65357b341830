package io.pando.vdaf.poplar1;

import io.pando.vdaf.idpf.IdpfPoplar;
import java.util.List;

/** The output of {@code shard}: the public share (the IDPF's) and the two input shares. */
public record Poplar1Sharded(IdpfPoplar.PublicShare publicShare,
    List<Poplar1InputShare> inputShares) {
  public Poplar1Sharded {
    inputShares = List.copyOf(inputShares);
  }
}
