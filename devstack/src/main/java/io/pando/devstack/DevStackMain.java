package io.pando.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Starts PostgreSQL and Kafka, prints the connection details as {@code key=value} lines, and runs
 * until Ctrl-C or SIGTERM.
 *
 * <pre>
 * DevStackMain [--data-dir=DIR] [--postgres-port=N] [--kafka-port=N] [--database=NAME]...
 *              [--topic=NAME[:PARTITIONS]]...
 * </pre>
 */
public final class DevStackMain {
  private DevStackMain() {}

  /** The command line; an unknown option or a malformed value exits 2 with its usage. */
  @Command(name = "pando devstack", sortOptions = false,
      description = "PostgreSQL and Kafka on this machine until Ctrl-C; prints key=value lines.")
  static final class Options {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this and exit")
    boolean help;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "keep the data there (default: a temporary directory)")
    Path dataDir;

    @Option(names = "--postgres-port", defaultValue = "0", paramLabel = "N",
        description = "PostgreSQL's port (default: a free one)")
    int pgPort;

    @Option(names = "--kafka-port", defaultValue = "0", paramLabel = "N",
        description = "Kafka's port (default: a free one)")
    int kafkaPort;

    @Option(names = "--database", paramLabel = "NAME", description = "create this database")
    List<String> databases = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "NAME[:PARTITIONS]", converter = TopicSpec.class,
        description = "create this topic (default 1 partition)")
    List<Topic> topics = new ArrayList<>();
  }

  record Topic(String name, int partitions) {}

  static final class TopicSpec implements ITypeConverter<Topic> {
    @Override
    public Topic convert(String t) {
      int colon = t.lastIndexOf(':');
      try {
        Topic topic = colon < 0 ? new Topic(t, 1)
            : new Topic(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
        if (topic.name().isEmpty() || topic.partitions() < 1) {
          throw new NumberFormatException();
        }
        return topic;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + t + "' is not NAME[:PARTITIONS]");
      }
    }
  }

  /**
   * Parses the command line. Invalid input: prints why and the usage to {@code err}, returns null
   * (the caller exits 2). {@code --help}: prints the usage to {@code out}.
   */
  static Options parse(String[] args, PrintStream out, PrintStream err) {
    Options o = new Options();
    CommandLine cl = new CommandLine(o);
    try {
      cl.parseArgs(args);
    } catch (ParameterException e) {
      err.println(e.getMessage());
      cl.usage(err);
      return null;
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
    }
    return o;
  }

  /** Runs the stack until the JVM is asked to stop. */
  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", StdoutLogProvider.class.getName());
      System.setProperty("slf4j.internal.verbosity", "WARN");
      System.setProperty("pando.devstack.log.level",
          System.getProperty("pando.devstack.log.level", "WARN"));
    }
    Options o = parse(args, System.out, System.err);
    if (o == null) {
      System.exit(2);
      return;
    }
    if (o.help) {
      return;
    }
    Path dataDir = o.dataDir;
    int pgPort = o.pgPort;
    int kafkaPort = o.kafkaPort;
    List<String> databases = o.databases;

    long t0 = System.nanoTime();
    DevStack stack;
    try {
      stack = DevStack.start(dataDir, pgPort, kafkaPort);
    } catch (RuntimeException e) {
      System.err.println("devstack: " + e.getMessage());
      for (Throwable s : e.getSuppressed()) {
        System.err.println("devstack: " + s.getMessage());
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.close();
      stopped.countDown();
    }, "devstack-shutdown"));

    for (String db : databases) {
      stack.postgres().createDatabase(db);
    }
    for (Topic t : o.topics) {
      stack.kafka().createTopic(t.name(), t.partitions());
    }

    LocalPostgres pg = stack.postgres();
    PrintStream out = System.out;
    out.println("postgres.host=" + Ports.HOST);
    out.println("postgres.port=" + pg.port());
    out.println("postgres.user=" + pg.user());
    out.println("postgres.jdbc-url=" + pg.jdbcUrl("postgres"));
    out.println("postgres.reactive-url=" + pg.reactiveUrl("postgres"));
    for (String db : databases) {
      out.println("postgres.database." + db + ".jdbc-url=" + pg.jdbcUrl(db));
      out.println("postgres.database." + db + ".reactive-url=" + pg.reactiveUrl(db));
    }
    out.println("postgres.data-dir=" + pg.dataDir());
    out.println("kafka.bootstrap-servers=" + stack.kafka().bootstrapServers());
    out.println("kafka.pid=" + stack.kafka().pid());
    out.println("kafka.data-dir=" + stack.kafka().dataDir());
    out.println("startup-ms=" + (System.nanoTime() - t0) / 1_000_000);
    out.println("ready=true");
    out.flush();
    stopped.await();
  }
}
