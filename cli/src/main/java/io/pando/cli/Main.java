package io.pando.cli;

import io.pando.cli.commands.VdafCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/pando}. */
@Command(
    name = "pando",
    mixinStandardHelpOptions = true,
    description = "Privacy-preserving measurement with DAP and Prio3.",
    subcommands = {CommandLine.HelpCommand.class, VdafCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
