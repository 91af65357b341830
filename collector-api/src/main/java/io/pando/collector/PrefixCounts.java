package io.pando.collector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Poplar1 aggregate (draft-irtf-cfrg-vdaf-08 §8): at {@code level}, how many measurements start
 * with each candidate prefix. Prefixes are bit strings of {@code level + 1} characters '0'/'1',
 * in increasing order.
 */
public record PrefixCounts(int level, Map<String, Long> counts) {
  public PrefixCounts {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** The count of {@code prefix}; 0 if it was not a candidate. */
  public long count(String prefix) {
    return counts.getOrDefault(prefix, 0L);
  }
}
