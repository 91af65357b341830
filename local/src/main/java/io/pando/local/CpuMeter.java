package io.pando.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time of the deployment's processes over a measured phase, from Linux's
 * {@code /proc/PID/stat} (user plus system time of each process, with its live descendants where
 * asked, in clock ticks of 1/100 s). Dividing by the work done gives each part's CPU cost per report, and
 * their sum the machine's ceiling: the loadtest names its bound with it. Elsewhere than Linux it
 * measures nothing and says so.
 */
final class CpuMeter {
  private static final double TICK_SECONDS = 0.01; // USER_HZ is 100 on Linux

  /** A process to measure, with or without its descendants. */
  record Proc(long pid, boolean withDescendants) {}

  private final Map<String, Proc> pids;
  private final Map<String, Long> start;

  /** Starts measuring the named processes. */
  CpuMeter(Map<String, Proc> pids) {
    this.pids = pids;
    this.start = ticks();
  }

  static boolean available() {
    return Files.isReadable(Path.of("/proc/self/stat"));
  }

  private Map<String, Long> ticks() {
    Map<String, Long> t = new LinkedHashMap<>();
    pids.forEach((name, p) -> t.put(name,
        p.withDescendants() ? tree(p.pid()) : ticksOf(p.pid()).orElse(0L)));
    return t;
  }

  private static long tree(long pid) {
    Stream<ProcessHandle> family = ProcessHandle.of(pid)
        .map(h -> Stream.concat(Stream.of(h), h.descendants())).orElse(Stream.empty());
    return family.mapToLong(h -> ticksOf(h.pid()).orElse(0L)).sum();
  }

  /** utime + stime (fields 14 and 15) of one process. */
  static Optional<Long> ticksOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name (field 2) is parenthesised and may hold spaces: count after it.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** CPU seconds per process since the meter started. */
  Map<String, Double> seconds() {
    Map<String, Long> now = ticks();
    Map<String, Double> s = new LinkedHashMap<>();
    now.forEach((name, t) -> s.put(name, (t - start.get(name)) * TICK_SECONDS));
    return s;
  }

  /**
   * CPU microseconds per unit of work for each process, their sum, and the rate of units at
   * which {@code cores} would be saturated.
   */
  String report(long units, String unit, int cores) {
    StringBuilder b = new StringBuilder("CPU per " + unit + ":");
    double total = 0;
    for (Map.Entry<String, Double> e : seconds().entrySet()) {
      double us = e.getValue() * 1e6 / units;
      total += us;
      b.append(String.format(" %s %.0f µs,", e.getKey(), us));
    }
    b.append(String.format(" all %.0f µs: %d cores saturate at %.0f per second", total, cores,
        cores * 1e6 / total));
    return b.toString();
  }
}
