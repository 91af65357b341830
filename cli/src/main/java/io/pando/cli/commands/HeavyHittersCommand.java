package io.pando.cli.commands;

import io.pando.cli.CliEnvironment;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.collector.Poplar1Collector;
import io.pando.collector.PrefixCounts;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pando heavy-hitters}: the measurements of a Poplar1 batch counted at least a threshold
 * times, found level by level (draft-irtf-cfrg-vdaf-08 §8: one collection per level, each with the
 * children of the previous level's prefixes that reached the threshold).
 */
@Command(
    name = "heavy-hitters",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Finds the heavy hitters of a Poplar1 batch from a DAP-09 or DAP-18 leader.",
      "",
      "Collects level 0 with the prefixes 0 and 1, then each next level with the children of the"
          + " prefixes counted at least --threshold times, up to level bits-1 (or until no prefix"
          + " reaches the threshold); prints each level's counts and the heavy hitters.",
      "",
      "Every level is another collection of the same batch: the task needs a"
          + " max_batch_query_count of at least --bits, and no level of the batch may have been"
          + " collected before (VDAF-08 lets each level be collected once, in increasing order)."
          + " Takes the options of `pando collect` with --vdaf Poplar1 --bits N and a time"
          + " interval, without --level and --prefixes (DAP-18: --dap-version dap-18"
          + " --task-config of a Poplar1 task and its batch).",
      ""
    })
public final class HeavyHittersCommand extends CollectCommand {
  @Option(names = "--threshold", required = true, paramLabel = "T",
      description = "The smallest count of a heavy hitter (at least 1).")
  long threshold;

  public HeavyHittersCommand(CliEnvironment env) {
    super(env);
  }

  public HeavyHittersCommand() {
    super();
  }

  @Override
  List<String> poplar1(Poplar1Collector c, BatchQuery query,
      Collector.ProgressListener progress) throws CollectorException {
    if (level != null || prefixes != null) {
      throw usageError("heavy-hitters chooses the levels and prefixes itself (no --level or"
          + " --prefixes)");
    }
    if (threshold < 1) {
      throw usageError("--threshold must be at least 1");
    }
    Poplar1Collector.HeavyHitters hh = query.heavyHitters(c, threshold, timeout(), progress);
    List<String> out = new ArrayList<>();
    out.add("VDAF:         Poplar1 (bits=" + c.bits() + ")");
    out.add("Threshold:    " + threshold);
    for (CollectionResult<PrefixCounts> r : hh.levels()) {
      out.addAll(poplar1Counts(r.aggregate()));
    }
    out.add("Heavy hitters: " + hh.heavyHitters().size());
    hh.heavyHitters().forEach((m, n) -> out.add("  " + m + "  " + n));
    return out;
  }
}
