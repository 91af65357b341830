package io.pando.cli.commands;

import io.pando.cli.CommandFailure;
import io.pando.codec.DecodeException;
import io.pando.core.taskprov.Taskprov;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.QueryConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.dap.messages.taskprov.VdafConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pando taskprov}: TaskConfigs of draft-wang-ppm-dap-taskprov-06. */
@Command(
    name = "taskprov",
    mixinStandardHelpOptions = true,
    description = {
      "TaskConfigs for in-band task provisioning (draft-wang-ppm-dap-taskprov-06).",
      "",
      "A taskprov task is named by its TaskConfig: its id is SHA-256 of the encoding, and"
          + " clients, the leader and the collector send the encoding, base64url, in the"
          + " dap-taskprov header (aggregator/README.md, \"Taskprov\").",
      ""
    },
    subcommands = {TaskprovCommand.Encode.class, TaskprovCommand.Decode.class})
public final class TaskprovCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static void print(PrintWriter out, TaskConfig c) {
    out.println("task_id:      " + c.taskId().toBase64Url());
    out.println("dap-taskprov: " + c.toHeader());
    out.println("leader:       " + c.leaderAggregatorEndpoint());
    out.println("helper:       " + c.helperAggregatorEndpoint());
    QueryConfig q = c.queryConfig();
    out.println("query:        " + q.queryType() + ", time_precision "
        + q.timePrecision().seconds() + " s, min_batch_size " + q.minBatchSize()
        + ", max_batch_query_count " + q.maxBatchQueryCount()
        + (q.maxBatchSize().isPresent() ? ", max_batch_size " + q.maxBatchSize().getAsLong()
            : ""));
    out.println("expiration:   " + c.taskExpiration().seconds() + " ("
        + c.taskExpiration().toInstant() + ")");
    out.println("vdaf:         " + c.vdafConfig().vdafType() + ", " + c.vdafConfig().dpConfig());
    out.flush();
  }

  /** {@code pando taskprov encode}: builds a TaskConfig and prints its id and header. */
  @Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Builds a TaskConfig; prints its task id and dap-taskprov header value.")
  static final class Encode implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--task-info", required = true, paramLabel = "TEXT",
        description = "Opaque task info (1 to 255 bytes of UTF-8), e.g. a task's name.")
    String taskInfo;

    @Option(names = "--leader", required = true, paramLabel = "URL",
        description = "The leader's DAP API URL.")
    String leader;

    @Option(names = "--helper", required = true, paramLabel = "URL",
        description = "The helper's DAP API URL.")
    String helper;

    @Option(names = "--vdaf", required = true, paramLabel = "TYPE",
        description = "Prio3Count, Prio3Sum, Prio3SumVec, Prio3Histogram or"
            + " Prio3SumVecField64MultiproofHmacSha256Aes128.")
    String vdaf;

    @Option(names = "--bits", paramLabel = "N", description = "Sum, SumVec: bits per value.")
    Integer bits;

    @Option(names = "--length", paramLabel = "N", description = "SumVec, Histogram: length.")
    Integer length;

    @Option(names = "--chunk-length", paramLabel = "N",
        description = "SumVec, Histogram: chunk length.")
    Integer chunkLength;

    @Option(names = "--time-precision", paramLabel = "SECONDS", defaultValue = "3600",
        description = "Default: ${DEFAULT-VALUE}.")
    long timePrecision;

    @Option(names = "--min-batch-size", paramLabel = "N", defaultValue = "100",
        description = "Default: ${DEFAULT-VALUE}.")
    long minBatchSize;

    @Option(names = "--max-batch-query-count", paramLabel = "N", defaultValue = "1",
        description = "Default: ${DEFAULT-VALUE}.")
    int maxBatchQueryCount;

    @Option(names = "--max-batch-size", paramLabel = "N",
        description = "Makes the task fixed_size with this max batch size (else time_interval).")
    Long maxBatchSize;

    @Option(names = "--expiration", required = true, paramLabel = "SECONDS",
        description = "task_expiration, seconds since the epoch.")
    long expiration;

    @Override
    public Integer call() {
      Map<String, Integer> params = new LinkedHashMap<>();
      if (bits != null) {
        params.put("bits", bits);
      }
      if (length != null) {
        params.put("length", length);
      }
      if (chunkLength != null) {
        params.put("chunk_length", chunkLength);
      }
      TaskConfig c;
      try {
        String type = vdaf.toLowerCase(Locale.ROOT).startsWith("prio3") ? vdaf : "Prio3" + vdaf;
        VdafInstance v = VdafInstance.of(type, params);
        Duration precision = Duration.ofSeconds(timePrecision);
        QueryConfig q = maxBatchSize == null
            ? QueryConfig.timeInterval(precision, maxBatchQueryCount, minBatchSize)
            : QueryConfig.fixedSize(precision, maxBatchQueryCount, minBatchSize, maxBatchSize);
        c = new TaskConfig(taskInfo.getBytes(StandardCharsets.UTF_8), leader, helper, q,
            Time.ofSeconds(expiration), new VdafConfig(DpConfig.NO_DP, Taskprov.typeOf(v)));
      } catch (IllegalArgumentException e) {
        throw new CommandFailure(e.getMessage());
      }
      print(spec.commandLine().getOut(), c);
      return 0;
    }
  }

  /** {@code pando taskprov decode}: the task id and fields of a dap-taskprov header value. */
  @Command(name = "decode", aliases = "task-id", mixinStandardHelpOptions = true,
      description = "Decodes a dap-taskprov header value (base64url TaskConfig): its task id"
          + " and fields.")
  static final class Decode implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", description = "The base64url TaskConfig.")
    String config;

    @Override
    public Integer call() {
      try {
        print(spec.commandLine().getOut(), TaskConfig.decode(TaskConfig.headerBytes(config)));
      } catch (DecodeException e) {
        throw new CommandFailure("not a TaskConfig: " + e.getMessage());
      }
      return 0;
    }
  }
}
