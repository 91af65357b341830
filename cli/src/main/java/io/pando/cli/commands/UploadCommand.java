package io.pando.cli.commands;

import io.pando.client.DapClient;
import io.pando.client.DapClientException;
import io.pando.client.DapTask;
import io.pando.client.HttpTransport;
import io.pando.client.Poplar1Task;
import io.pando.client.UploadResult;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.core.vdaf.VdafInstance;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.vdaf.prio3.Prio3;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pando upload}: shards, encrypts and uploads measurements with the client library. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Uploads measurements to a DAP-09 or DAP-18 leader.",
      "",
      "Fetches both aggregators' HPKE configs, shards each --measurement with the task's VDAF,"
          + " encrypts one input share to each aggregator and uploads the reports; prints one"
          + " line per report: its id and accepted, or the leader's refusal.",
      "",
      "DAP-09: --leader, --helper, --vdaf with its parameters and --time-precision, one request"
          + " per report. DAP-18 (--dap-version dap-18): --task-config, the task's encoded"
          + " TaskConfiguration, names the aggregators, the VDAF and the time precision; all"
          + " reports go in one request and the leader's UploadErrors are printed.",
      "",
      "Measurements: Count 0/1, Sum an integer, Histogram a bucket index, SumVec and"
          + " MultihotCountVec comma-separated values, Poplar1 a bit string of bits characters."
          + " Exits 1 when a report is refused or the upload fails, 2 on usage errors.",
      ""
    })
public final class UploadCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--dap-version", paramLabel = "VERSION", defaultValue = "dap-09",
      description = "The task's protocol: dap-09 or dap-18 (default: ${DEFAULT-VALUE}).")
  String dapVersion;

  @Option(names = "--task-id", required = true, paramLabel = "ID",
      description = "The task id (unpadded base64url, 32 bytes).")
  String taskId;

  @Option(names = "--task-config", paramLabel = "FILE|BASE64URL",
      description = "DAP-18: the task's encoded TaskConfiguration, a file (the bytes, or their"
          + " base64url) or the base64url text itself.")
  String taskConfig;

  @Option(names = "--leader", paramLabel = "URL", description = "DAP-09: the leader's URL.")
  String leader;

  @Option(names = "--helper", paramLabel = "URL", description = "DAP-09: the helper's URL.")
  String helper;

  @Option(names = "--vdaf", paramLabel = "TYPE",
      description = "DAP-09: the task's VDAF, as for `pando collect`.")
  String vdaf;

  @Option(names = "--bits", paramLabel = "N", description = "DAP-09 Sum, SumVec, Poplar1.")
  Integer bits;

  @Option(names = "--length", paramLabel = "N",
      description = "DAP-09 SumVec, Histogram, MultihotCountVec.")
  Integer length;

  @Option(names = "--chunk-length", paramLabel = "N",
      description = "DAP-09 SumVec, Histogram, MultihotCountVec.")
  Integer chunkLength;

  @Option(names = "--max-weight", paramLabel = "N", description = "DAP-09 MultihotCountVec.")
  Integer maxWeight;

  @Option(names = "--time-precision", paramLabel = "SECONDS",
      description = "DAP-09: the task's time precision in seconds.")
  Long timePrecision;

  @Option(names = "--measurement", required = true, paramLabel = "VALUE",
      description = "A measurement (repeatable): one report each.")
  List<String> measurements;

  @Option(names = "--time", paramLabel = "SECONDS",
      description = "The reports' time in UNIX seconds (default: now), rounded down to the"
          + " time precision.")
  Long time;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DapVersion version = DapVersion.ofTag(dapVersion.trim()).orElseThrow(() -> usage(
        "--dap-version must be dap-09 or dap-18, not " + dapVersion));
    TaskId task;
    try {
      task = TaskId.fromBase64Url(taskId.trim());
    } catch (IllegalArgumentException e) {
      throw usage("--task-id is not a 32-byte base64url id: " + taskId);
    }
    Instant at = time == null ? Instant.now() : Instant.ofEpochSecond(time);
    HttpTransport http = HttpTransport.platformDefault();
    try {
      if (version == DapVersion.DAP_18) {
        return dap18(task, at, http, out, err);
      }
      return dap09(task, at, http, out, err);
    } catch (DapClientException e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      err.flush();
      return 1;
    } catch (IllegalArgumentException e) {
      // The VDAF refused a measurement: nothing was sent.
      throw usage("--measurement: " + e.getMessage());
    }
  }

  private int dap18(TaskId task, Instant at, HttpTransport http, PrintWriter out,
      PrintWriter err) throws DapClientException {
    if (leader != null || helper != null || vdaf != null || bits != null || length != null
        || chunkLength != null || maxWeight != null || timePrecision != null) {
      throw usage("a DAP-18 task's aggregators, VDAF and time precision are its --task-config");
    }
    TaskConfiguration config = CollectCommand.taskConfiguration(taskConfig, this::usage);
    VdafInstance instance;
    try {
      instance = Dap18Vdafs.instance(config.vdaf());
    } catch (IllegalArgumentException e) {
      throw usage("--task-config: " + e.getMessage());
    }
    UploadResult result;
    if (instance instanceof VdafInstance.Poplar1) {
      result = DapClient.poplar1(task, config, http, Clock.systemUTC())
          .uploadAll(measurements, at);
    } else {
      result = uploadAll18(task, config, Dap18Vdafs.prio3(config.vdaf()), instance, http, at);
    }
    for (ReportId id : result.reportIds()) {
      Optional<ReportError> e = result.error(id);
      out.println(id + "  " + (e.isPresent() ? "refused: " + e.get().draftName() : "accepted"));
    }
    out.flush();
    return result.allAccepted() ? 0 : 1;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private UploadResult uploadAll18(TaskId task, TaskConfiguration config, Prio3 vdaf,
      VdafInstance instance, HttpTransport http, Instant at) throws DapClientException {
    DapClient client = new DapClient<>(DapTask.dap18(task, config, vdaf), http);
    return client.uploadAll(parsed(instance), at);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private int dap09(TaskId task, Instant at, HttpTransport http, PrintWriter out,
      PrintWriter err) throws DapClientException {
    if (taskConfig != null) {
      throw usage("--task-config is DAP-18's (with --dap-version dap-18)");
    }
    if (leader == null || helper == null || vdaf == null || timePrecision == null) {
      throw usage("a DAP-09 upload needs --leader, --helper, --vdaf and --time-precision");
    }
    if (timePrecision <= 0) {
      throw usage("--time-precision must be positive");
    }
    VdafInstance instance = CollectCommand.vdafInstance(vdaf, bits, length, chunkLength,
        maxWeight, this::usage);
    URI l = url("--leader", leader);
    URI h = url("--helper", helper);
    Duration precision = Duration.ofSeconds(timePrecision);
    DapClient client;
    List<Object> values;
    if (instance instanceof VdafInstance.Poplar1 p) {
      client = DapClient.poplar1(new Poplar1Task(task, l, h, p.bits(), precision), http,
          Clock.systemUTC());
      values = new ArrayList<>(measurements);
    } else {
      client = new DapClient<>(new DapTask<>(task, l, h, (Prio3) instance.prio3(), precision),
          http);
      values = parsed(instance);
    }
    for (Object m : values) {
      ReportId id;
      try {
        id = client.upload(m, at);
      } catch (IllegalArgumentException e) {
        throw usage("--measurement " + m + ": " + e.getMessage());
      }
      out.println(id + "  accepted");
      out.flush();
    }
    return 0;
  }

  /** The --measurement values as the VDAF's measurement type. */
  private List<Object> parsed(VdafInstance instance) {
    List<Object> out = new ArrayList<>();
    for (String m : measurements) {
      try {
        out.add(parse(instance.type(), m.trim()));
      } catch (IllegalArgumentException e) {
        throw usage("--measurement " + m + " is not a " + instance.type() + " measurement");
      }
    }
    return out;
  }

  private static Object parse(String type, String m) {
    switch (type) {
      case "Prio3Count":
        if (m.equals("1") || m.equalsIgnoreCase("true")) {
          return Boolean.TRUE;
        }
        if (m.equals("0") || m.equalsIgnoreCase("false")) {
          return Boolean.FALSE;
        }
        throw new IllegalArgumentException(m);
      case "Prio3Sum":
        return Long.parseLong(m);
      case "Prio3Histogram":
        return Integer.parseInt(m);
      case "Prio3MultihotCountVec": {
        List<Boolean> v = new ArrayList<>();
        for (String x : m.split(",")) {
          v.add((Boolean) parse("Prio3Count", x.trim()));
        }
        return v;
      }
      default: {
        if (!type.toLowerCase(Locale.ROOT).startsWith("prio3sumvec")) {
          throw new IllegalArgumentException(type);
        }
        List<Long> v = new ArrayList<>();
        for (String x : m.split(",")) {
          v.add(Long.parseLong(x.trim()));
        }
        return v;
      }
    }
  }

  private URI url(String option, String text) {
    try {
      URI u = new URI(text.trim());
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return u;
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw usage(option + " is not an http or https URL: " + text);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
