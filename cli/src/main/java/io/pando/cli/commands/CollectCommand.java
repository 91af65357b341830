package io.pando.cli.commands;

import io.pando.cli.CliEnvironment;
import io.pando.cli.CommandFailure;
import io.pando.cli.collect.ResultPrinter;
import io.pando.cli.collect.TimeoutConverter;
import io.pando.cli.keys.CollectorKeyFile;
import io.pando.collector.CollectionResult;
import io.pando.collector.Collector;
import io.pando.collector.CollectorException;
import io.pando.collector.Poplar1Collector;
import io.pando.collector.PrefixCounts;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.vdaf.Dap18Vdafs;
import io.pando.core.vdaf.DpStrategies;
import io.pando.core.vdaf.VdafInstance;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.DapVersion;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.dap18.TaskConfiguration;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.dp.DpStrategy;
import io.pando.vdaf.prio3.Prio3;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pando collect}: one DAP-09 or DAP-18 collection, from the collection request to the
 * result.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Collects an aggregate from a DAP-09 or DAP-18 leader.",
      "",
      "Starts a collection job, polls it until it is ready (progress on stderr), decrypts both"
          + " aggregate shares with the key file and prints the result on stdout.",
      "",
      "The VDAF and its parameters must be the task's, and so must --dp-strategy when the"
          + " task's aggregators add noise. A Poplar1 task (--vdaf Poplar1 --bits N) is"
          + " collected at --level L for --prefixes of L+1 bits and prints each prefix's count;"
          + " each level collected is another query of the batch, so the task's"
          + " max_batch_query_count bounds how many levels can be. Exits 1 when the leader refuses the"
          + " collection (the DAP problem type is shown) or it fails otherwise, 2 on usage errors.",
      "",
      "DAP-18 (--dap-version dap-18): the task is --task-id and --task-config, the task's encoded"
          + " TaskConfiguration (draft-ietf-ppm-dap-18 §4.2), which names the leader, the VDAF,"
          + " the time precision and the batch mode; --leader, --vdaf and its parameters are then"
          + " not given. The batch is --interval-start/--interval-duration in seconds (multiples"
          + " of the time precision) for a time_interval task, --current-batch for a"
          + " leader_selected one.",
      ""
    })
public class CollectCommand implements Callable<Integer> {
  /** The environment variable read when neither --token nor --token-file is given. */
  public static final String TOKEN_VARIABLE = "PANDO_COLLECTOR_TOKEN";

  private static final Pattern MISSING = Pattern.compile("missing VDAF parameter (\\w+)");

  private final CliEnvironment env;

  @Spec
  CommandSpec spec;

  @Option(names = "--task-id", required = true, paramLabel = "ID",
      description = "The task id (unpadded base64url, 32 bytes).")
  String taskId;

  @Option(names = "--dap-version", paramLabel = "VERSION", defaultValue = "dap-09",
      description = "The task's protocol: dap-09 or dap-18 (default: ${DEFAULT-VALUE}).")
  String dapVersion;

  @Option(names = "--task-config", paramLabel = "FILE|BASE64URL",
      description = "DAP-18: the task's encoded TaskConfiguration, a file (the bytes, or their"
          + " base64url) or the base64url text itself.")
  String taskConfig;

  @Option(names = "--leader", paramLabel = "URL",
      description = "DAP-09: the leader's DAP API base URL (http or https; required).")
  String leader;

  @Option(names = "--vdaf", paramLabel = "TYPE",
      completionCandidates = VdafTypes.class,
      description = "DAP-09: the task's VDAF (required): ${COMPLETION-CANDIDATES}"
          + " (case-insensitive; the Prio3 prefix may be left out).")
  String vdaf;

  @Option(names = "--bits", paramLabel = "N",
      description = "Sum, SumVec: bits per value; Poplar1: bits per measurement.")
  Integer bits;

  @Option(names = "--length", paramLabel = "N",
      description = "SumVec, Histogram, MultihotCountVec: the vector length.")
  Integer length;

  @Option(names = "--chunk-length", paramLabel = "N",
      description = "SumVec, Histogram, MultihotCountVec: the task's chunk length.")
  Integer chunkLength;

  @Option(names = "--max-weight", paramLabel = "N",
      description = "MultihotCountVec: the maximum number of ones.")
  Integer maxWeight;

  @Option(names = "--dp-strategy", paramLabel = "TYPE:BUDGET",
      description = "The task's differential privacy strategy, when its aggregators add noise:"
          + " pure_dp_discrete_laplace:EPSILON or zcdp_discrete_gaussian:RHO, the budget an"
          + " integer or a/b (e.g. pure_dp_discrete_laplace:1/2). The protocol does not carry"
          + " it; with it the result is shown as noised and read as signed integers.")
  String dpStrategy;

  @Option(names = "--level", paramLabel = "L",
      description = "Poplar1: the level to collect, in [0, bits).")
  Integer level;

  @Option(names = "--prefixes", paramLabel = "P", split = ",",
      description = "Poplar1: the candidate prefixes, bit strings of L+1 characters"
          + " (e.g. 00,01,11).")
  List<String> prefixes;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  TokenSource token;

  @Option(names = "--key-file", required = true, paramLabel = "FILE",
      description = "The collector key file from `pando hpke-keygen`.")
  Path keyFile;

  @ArgGroup(exclusive = true, multiplicity = "1",
      heading = "%nBatch (one of: a time interval, a batch id, the current batch):%n")
  Batch batch;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
      converter = TimeoutConverter.class,
      description = "Give up when the result is not ready by then: 90s, 10m, 1h, PT10M"
          + " (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--no-progress",
      description = "No progress on stderr (it is shown only when stderr is a terminal).")
  boolean noProgress;

  /** Where the collector auth token comes from. */
  static final class TokenSource {
    @Option(names = "--token", paramLabel = "TOKEN",
        description = "The task's collector auth token (visible to other local users in the"
            + " process list; prefer --token-file or " + TOKEN_VARIABLE + ").")
    String value;

    @Option(names = "--token-file", paramLabel = "FILE",
        description = "A file holding the token (surrounding whitespace is ignored).")
    Path file;
  }

  /** The query: time interval, batch id or current batch. */
  static final class Batch {
    @ArgGroup(exclusive = false, multiplicity = "1")
    TimeInterval interval;

    @Option(names = "--batch-id", paramLabel = "ID",
        description = "Fixed-size task: the batch (unpadded base64url, 32 bytes).")
    String batchId;

    @Option(names = "--current-batch",
        description = "Fixed-size task: the next batch the leader has ready.")
    boolean currentBatch;
  }

  /** A time-interval query. */
  static final class TimeInterval {
    @Option(names = "--interval-start", required = true, paramLabel = "SECONDS",
        description = "Time-interval task: the batch interval's start (UNIX seconds).")
    long start;

    @Option(names = "--interval-duration", required = true, paramLabel = "SECONDS",
        description = "Time-interval task: the batch interval's length in seconds.")
    long duration;
  }

  /** The VDAF names, for the help text. */
  static final class VdafTypes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("Poplar1", "Prio3Count", "Prio3Sum", "Prio3SumVec", "Prio3Histogram",
          "Prio3MultihotCountVec", "Prio3SumVecField64MultiproofHmacSha256Aes128").iterator();
    }
  }

  public CollectCommand(CliEnvironment env) {
    this.env = env;
  }

  public CollectCommand() {
    this(CliEnvironment.system());
  }

  /** The leader the command talks to, for error messages. */
  private URI leaderUsed;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    DapVersion version = DapVersion.ofTag(dapVersion.trim()).orElseThrow(() -> usage(
        "--dap-version must be dap-09 or dap-18, not " + dapVersion));
    TaskId task = parseId("--task-id", taskId, TaskId::fromBase64Url);
    TaskConfiguration configuration = null;
    VdafInstance instance;
    Optional<DpStrategy> dp;
    if (version == DapVersion.DAP_18) {
      configuration = taskConfiguration();
      if (leader != null || vdaf != null || bits != null || length != null
          || chunkLength != null || maxWeight != null) {
        throw usage("a DAP-18 task's leader and VDAF are its --task-config (no --leader,"
            + " --vdaf, --bits, --length, --chunk-length or --max-weight)");
      }
      if (dpStrategy != null) {
        throw usage("--dp-strategy is not taken for DAP-18 tasks");
      }
      if (batch.batchId != null) {
        throw usage("DAP-18 has no query by batch id: --current-batch or a time interval");
      }
      try {
        instance = Dap18Vdafs.instance(configuration.vdaf());
      } catch (IllegalArgumentException e) {
        throw usage("--task-config: " + e.getMessage());
      }
      leaderUsed = URI.create(configuration.leaderAggregatorEndpoint());
      dp = Optional.empty();
    } else {
      if (taskConfig != null) {
        throw usage("--task-config is DAP-18's (with --dap-version dap-18)");
      }
      if (leader == null || vdaf == null) {
        throw usage("a DAP-09 collection needs --leader and --vdaf");
      }
      leaderUsed = leaderUri();
      instance = vdafInstance();
      dp = dpStrategy(instance);
    }
    String authToken = authToken();
    HpkeKeypair key = readKeyFile();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    boolean progress = !noProgress && env.stderrIsTerminal();
    long started = System.nanoTime();
    Collector.ProgressListener listener = !progress ? null : (id, polls, next) -> {
      stderr.println("collection job " + (id == null ? "" : id + ": ") + "not ready (poll "
          + polls + "), next poll in " + human(next) + ", elapsed " + elapsed(started));
      stderr.flush();
    };
    if (instance instanceof VdafInstance.Poplar1 p) {
      if (json) {
        throw usage("Poplar1 results are printed as text only (no --json)");
      }
      Poplar1Collector c = configuration != null
          ? Poplar1Collector.dap18(task, configuration, authToken, Collector.AuthHeader.BEARER,
              key, http)
          : new Poplar1Collector(task, leaderUsed, authToken, Collector.AuthHeader.BEARER, key,
              p.bits(), http);
      BatchQuery query = configuration != null ? dap18Query(c.collector())
          : new BatchQuery(query(), null);
      try {
        List<String> lines = poplar1(c, query, listener);
        lines.forEach(stdout::println);
        stdout.flush();
        return 0;
      } catch (CollectorException e) {
        report(stderr, e, authToken);
        return 1;
      }
    }
    if (level != null || prefixes != null) {
      throw usage(instance.type() + " takes no --level or --prefixes (Poplar1 only)");
    }
    CollectionResult<?> result;
    try {
      result = configuration != null
          ? collect18(instance.prio3(), task, configuration, authToken, key, http, listener)
          : collect(instance.prio3(), dp, task, leaderUsed, authToken, key, query(), timeout,
              listener);
    } catch (CollectorException e) {
      report(stderr, e, authToken);
      return 1;
    }
    if (progress) {
      stderr.println("collection ready, elapsed " + elapsed(started));
      stderr.flush();
    }
    if (json) {
      stdout.println(ResultPrinter.json(instance, result));
    } else {
      int columns = env.columns().orElse(0);
      ResultPrinter.text(instance, result, columns).forEach(stdout::println);
    }
    stdout.flush();
    return 0;
  }

  /** The batch of a collection: a DAP-09 query or a DAP-18 one. */
  record BatchQuery(Query<?> dap09, io.pando.dap.messages.dap18.Query dap18) {
    CollectionResult<PrefixCounts> collect(Poplar1Collector c, int level, List<String> prefixes,
        Duration timeout, Collector.ProgressListener progress) throws CollectorException {
      return dap18 != null ? c.collect(dap18, level, prefixes, timeout, progress)
          : c.collect(dap09, level, prefixes, timeout, progress);
    }

    Poplar1Collector.HeavyHitters heavyHitters(Poplar1Collector c, long threshold,
        Duration timeout, Collector.ProgressListener progress) throws CollectorException {
      return dap18 != null ? c.heavyHitters(dap18, threshold, timeout, progress)
          : c.heavyHitters(dap09, threshold, timeout, progress);
    }
  }

  private <R> CollectionResult<R> collect18(Prio3<?, R> vdaf, TaskId task,
      TaskConfiguration configuration, String token, HpkeKeypair key, HttpClient http,
      Collector.ProgressListener progress) throws CollectorException {
    Collector<R> c = Collector.dap18(task, configuration, token, Collector.AuthHeader.BEARER,
        key, vdaf, http);
    return c.collect(dap18Query(c).dap18(), timeout, progress);
  }

  /** The DAP-18 query: the time interval in seconds, converted to time_precision units. */
  private BatchQuery dap18Query(Collector<?> c) {
    try {
      if (batch.interval != null) {
        if (batch.interval.start < 0 || batch.interval.duration <= 0) {
          throw usage("--interval-start must be >= 0 and --interval-duration > 0");
        }
        return new BatchQuery(null, c.timeIntervalQuery(
            Instant.ofEpochSecond(batch.interval.start),
            Duration.ofSeconds(batch.interval.duration)));
      }
      return new BatchQuery(null, c.leaderSelectedQuery());
    } catch (IllegalArgumentException e) {
      throw usage("the batch does not fit the task: " + e.getMessage());
    }
  }

  private TaskConfiguration taskConfiguration() {
    return taskConfiguration(taskConfig, this::usage);
  }

  /** --task-config: a file holding the bytes or their base64url, or the base64url itself. */
  static TaskConfiguration taskConfiguration(String taskConfig,
      Function<String, ParameterException> usage) {
    if (taskConfig == null) {
      throw usage.apply("a DAP-18 task needs --task-config");
    }
    byte[] encoded;
    Path file = null;
    try {
      file = Path.of(taskConfig.trim());
    } catch (RuntimeException e) {
      // not a path: base64url text
    }
    try {
      if (file != null && Files.isRegularFile(file)) {
        byte[] b = Files.readAllBytes(file);
        String text = new String(b, StandardCharsets.US_ASCII).strip();
        encoded = text.matches("[A-Za-z0-9_-]+=*") ? Base64.getUrlDecoder().decode(text) : b;
      } else {
        encoded = Base64.getUrlDecoder().decode(taskConfig.trim());
      }
    } catch (IOException e) {
      throw new CommandFailure("cannot read --task-config " + taskConfig + ": "
          + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw usage.apply("--task-config is neither a file nor base64url: " + taskConfig);
    }
    try {
      return TaskConfiguration.decode(encoded);
    } catch (DecodeException e) {
      throw usage.apply("--task-config is not an encoded TaskConfiguration: " + e.getMessage());
    }
  }

  /**
   * A Poplar1 collection at --level for --prefixes; the lines to print. {@code pando
   * heavy-hitters} overrides it.
   */
  List<String> poplar1(Poplar1Collector c, BatchQuery query,
      Collector.ProgressListener progress) throws CollectorException {
    if (level == null || prefixes == null || prefixes.isEmpty()) {
      throw usage("Poplar1 needs --level and --prefixes");
    }
    CollectionResult<PrefixCounts> r;
    try {
      c.aggregationParameter(level, prefixes);
    } catch (IllegalArgumentException e) {
      throw usage("--level " + level + " --prefixes " + String.join(",", prefixes) + ": "
          + e.getMessage());
    }
    r = query.collect(c, level, prefixes, timeout, progress);
    List<String> out = new java.util.ArrayList<>();
    out.add("VDAF:         Poplar1 (bits=" + c.bits() + ")");
    out.add("Reports:      " + r.reportCount());
    out.add("Interval:     " + ResultPrinter.describe(r.interval()));
    out.addAll(poplar1Counts(r.aggregate()));
    return out;
  }

  /** "Level:        1", then one "  PREFIX  COUNT" line per prefix. */
  static List<String> poplar1Counts(PrefixCounts counts) {
    List<String> out = new java.util.ArrayList<>();
    out.add("Level:        " + counts.level());
    counts.counts().forEach((p, n) -> out.add("  " + p + "  " + n));
    return out;
  }

  /** The parsed --timeout. */
  Duration timeout() {
    return timeout;
  }

  /** A usage error of this command (exit 2). */
  ParameterException usageError(String message) {
    return usage(message);
  }

  private static <R> CollectionResult<R> collect(Prio3<?, R> vdaf, Optional<DpStrategy> dp,
      TaskId task, URI leader, String token, HpkeKeypair key, Query<?> query, Duration timeout,
      Collector.ProgressListener progress) throws CollectorException {
    Collector<R> c = new Collector<>(task, leader, token, key, vdaf);
    return dp.map(c::withDpStrategy).orElse(c).collect(query, timeout, progress);
  }

  /** --dp-strategy, checked against the VDAF. */
  private Optional<DpStrategy> dpStrategy(VdafInstance instance) {
    if (dpStrategy == null) {
      return Optional.empty();
    }
    try {
      DpStrategy s = DpStrategies.parse(dpStrategy.trim());
      DpStrategies.check(s, instance);
      return Optional.of(s);
    } catch (IllegalArgumentException e) {
      throw usage("--dp-strategy " + dpStrategy + ": " + e.getMessage());
    }
  }

  /** The failure on stderr: the message, the HTTP status and the problem document's fields. */
  private void report(PrintWriter stderr, CollectorException e, String authToken) {
    String name = spec.qualifiedName();
    stderr.println(name + ": " + redact(e.getMessage(), authToken));
    if (e.status() != 0) {
      stderr.println("  HTTP status:  " + e.status());
    }
    if (e.problem().isPresent()) {
      ProblemDocument p = e.problem().get();
      String type = e.problemType().map(t -> t.token() + " (" + t.uri() + ")").orElse(p.type());
      if (type != null) {
        stderr.println("  problem type: " + redact(type, authToken));
      }
      if (p.title() != null) {
        stderr.println("  title:        " + redact(p.title(), authToken));
      }
      if (p.detail() != null) {
        stderr.println("  detail:       " + redact(p.detail(), authToken));
      }
    } else if (e.status() == 0 && e.getCause() instanceof IOException) {
      stderr.println("  no answer from the leader at " + leaderUsed);
    } else if (e.status() == 0 && e.getCause() != null && e.getCause().getMessage() != null
        && !e.getMessage().contains(e.getCause().getMessage())) {
      stderr.println("  cause:        " + redact(String.valueOf(e.getCause().getMessage()),
          authToken));
    }
    stderr.flush();
  }

  /**
   * Masks the token should a server echo it back. Very short tokens are left alone: masking
   * them would mangle ordinary words.
   */
  private static String redact(String text, String secret) {
    return text == null || secret.length() < 6 ? text : text.replace(secret, "[token]");
  }

  private URI leaderUri() {
    URI u;
    try {
      u = new URI(leader.trim());
    } catch (URISyntaxException e) {
      throw usage("--leader is not a URL: " + leader);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw usage("--leader must be an http or https URL, not " + leader);
    }
    return u;
  }

  private VdafInstance vdafInstance() {
    return vdafInstance(vdaf, bits, length, chunkLength, maxWeight, this::usage);
  }

  /** The DAP-09 VDAF of --vdaf and its parameter options. */
  static VdafInstance vdafInstance(String vdaf, Integer bits, Integer length,
      Integer chunkLength, Integer maxWeight, Function<String, ParameterException> usage) {
    Map<String, Integer> given = new LinkedHashMap<>();
    putIfSet(given, "bits", bits);
    putIfSet(given, "length", length);
    putIfSet(given, "chunk_length", chunkLength);
    putIfSet(given, "max_weight", maxWeight);
    String type = vdaf.trim();
    if (!type.toLowerCase(Locale.ROOT).startsWith("prio3")
        && !type.equalsIgnoreCase("poplar1")) {
      type = "Prio3" + type;
    }
    for (String known : new VdafTypes()) {
      if (known.equalsIgnoreCase(type)) {
        type = known;
      }
    }
    VdafInstance instance;
    try {
      instance = VdafInstance.of(type, given);
    } catch (IllegalArgumentException e) {
      String msg = String.valueOf(e.getMessage());
      Matcher m = MISSING.matcher(msg);
      throw usage.apply(m.find() ? type + " needs " + option(m.group(1)) : "--vdaf " + vdaf + ": "
          + msg);
    }
    Set<String> used = instance.parameters().keySet();
    for (String p : given.keySet()) {
      if (!used.contains(p)) {
        throw usage.apply(instance.type() + " takes no " + option(p));
      }
    }
    return instance;
  }

  private static void putIfSet(Map<String, Integer> m, String name, Integer value) {
    if (value != null) {
      m.put(name, value);
    }
  }

  private static String option(String parameter) {
    return "--" + parameter.replace('_', '-');
  }

  private Query<?> query() {
    if (batch.interval != null) {
      long start = batch.interval.start;
      long duration = batch.interval.duration;
      if (start < 0 || duration <= 0) {
        throw usage("--interval-start must be >= 0 and --interval-duration > 0");
      }
      try {
        return Query.timeInterval(Interval.of(start, duration));
      } catch (IllegalArgumentException e) {
        throw usage("bad interval: " + e.getMessage());
      }
    }
    if (batch.batchId != null) {
      return Query.byBatchId(parseId("--batch-id", batch.batchId, BatchId::fromBase64Url));
    }
    return Query.currentBatch();
  }

  private String authToken() {
    String t;
    if (token != null && token.value != null) {
      t = token.value;
    } else if (token != null && token.file != null) {
      try {
        t = Files.readString(token.file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw usage("--token-file: no such file: " + token.file);
      } catch (IOException e) {
        throw new CommandFailure("cannot read --token-file " + token.file + ": "
            + e.getMessage(), e);
      }
    } else {
      t = env.variable(TOKEN_VARIABLE).orElseThrow(() -> usage(
          "no collector token: give --token, --token-file or set " + TOKEN_VARIABLE));
    }
    t = t.strip();
    if (t.isEmpty()) {
      throw usage("the collector token is empty");
    }
    if (t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw usage("the collector token must be printable ASCII without spaces");
    }
    return t;
  }

  private HpkeKeypair readKeyFile() {
    if (!Files.exists(keyFile)) {
      throw usage("--key-file: no such file: " + keyFile);
    }
    return CollectorKeyFile.read(keyFile);
  }

  private <T> T parseId(String option, String text, Function<String, T> f) {
    try {
      return f.apply(text.trim());
    } catch (IllegalArgumentException e) {
      throw usage(option + " is not a 32-byte base64url id: " + text);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String elapsed(long startedNanos) {
    double s = (System.nanoTime() - startedNanos) / 1e9;
    return s < 60 ? String.format(Locale.ROOT, "%.1fs", s) : human(Duration.ofSeconds((long) s));
  }

  /** 0s, 45s, 2m5s, 1h0m3s. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m" + s % 60 + "s";
  }
}
