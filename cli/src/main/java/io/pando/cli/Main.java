package io.pando.cli;

import io.pando.cli.commands.CollectCommand;
import io.pando.cli.commands.UploadCommand;
import io.pando.cli.commands.ConfigSigningKeygenCommand;
import io.pando.cli.commands.DapDecodeCommand;
import io.pando.cli.commands.HeavyHittersCommand;
import io.pando.cli.commands.HpkeKeygenCommand;
import io.pando.cli.commands.TaskprovCommand;
import io.pando.cli.commands.VdafCommand;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/pando}. */
@Command(
    name = "pando",
    mixinStandardHelpOptions = true,
    description = "Privacy-preserving measurement with DAP and Prio3.",
    footer = {
      "",
      "Commands of the launcher besides these (bin/pando COMMAND --help for each):",
      "  demo, up, loadtest, chaos  the whole deployment on this machine (local/README.md)",
      "  relay                      a local Oblivious HTTP relay (local/README.md)",
      "  aggregator                 the aggregator service (aggregator/README.md)",
      "  interop-aggregator, interop-collector, interop-client",
      "                             the DAP interop test API (docs/INTEROP.md)",
      "  devstack                   PostgreSQL and Kafka on this machine (devstack/README.md)",
      "  image                      the aggregator's container image (k8s/README.md)",
      "  bench                      JMH benchmarks (docs/PERFORMANCE.md)"
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      VdafCommand.class,
      HpkeKeygenCommand.class,
      ConfigSigningKeygenCommand.class,
      UploadCommand.class,
      CollectCommand.class,
      HeavyHittersCommand.class,
      DapDecodeCommand.class,
      TaskprovCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.system()).execute(args));
  }

  /**
   * The command tree with its error handling: usage errors exit 2 (picocli's default), a
   * {@link CommandFailure} prints its message and exits 1. Commands that take a
   * {@link CliEnvironment} in their constructor get {@code env}.
   */
  public static CommandLine commandLine(CliEnvironment env) {
    CommandLine cl = new CommandLine(new Main(), new Factory(env));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      String name = cmd.getCommandSpec().qualifiedName();
      if (e instanceof CommandFailure) {
        cmd.getErr().println(name + ": " + e.getMessage());
      } else {
        cmd.getErr().println(name + ": unexpected error: " + e);
        e.printStackTrace(cmd.getErr());
      }
      cmd.getErr().flush();
      return 1;
    });
    return cl;
  }

  private static final class Factory implements CommandLine.IFactory {
    private final CliEnvironment env;

    Factory(CliEnvironment env) {
      this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      Constructor<K> withEnv;
      try {
        withEnv = cls.getDeclaredConstructor(CliEnvironment.class);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
      return withEnv.newInstance(env);
    }
  }
}
