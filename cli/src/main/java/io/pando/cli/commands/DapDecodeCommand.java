package io.pando.cli.commands;

import io.pando.cli.CliEnvironment;
import io.pando.cli.CommandFailure;
import io.pando.cli.decode.InputFormat;
import io.pando.cli.decode.MessageType;
import io.pando.cli.decode.MessageTypes;
import io.pando.cli.decode.StructurePrinter;
import io.pando.codec.DecodeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pando dap-decode}: prints the structure of an encoded DAP-09 message. */
@Command(
    name = "dap-decode",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Decodes a DAP-09 message and prints its structure.",
      "",
      "Decoding is strict (trailing bytes are an error). Ids print as base64url, byte strings"
          + " as their length and a hex prefix.",
      "",
      "Reads raw bytes by default, or hex / base64 text. Exits 1 if the input does not decode.",
      ""
    })
public final class DapDecodeCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec
  CommandSpec spec;

  @Option(names = "--type", required = true, paramLabel = "TYPE",
      description = {"The message type, e.g. report or collection-req, or media:TYPE with a"
          + " media type, e.g. media:application/dap-report.", "`--type list` lists them."})
  String type;

  @Parameters(arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
      description = "The encoded message; - or nothing for stdin.")
  String input;

  @Option(names = "--hex", description = "The input is hex text (whitespace and : ignored).")
  boolean hex;

  @Option(names = "--base64",
      description = "The input is base64 text, standard or URL-safe, padded or not.")
  boolean base64;

  public DapDecodeCommand(CliEnvironment env) {
    this.env = env;
  }

  public DapDecodeCommand() {
    this(CliEnvironment.system());
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    if (type.trim().equalsIgnoreCase("list")) {
      list(stdout);
      return 0;
    }
    MessageType t = MessageTypes.find(type).orElseThrow(() -> usage("unknown --type " + type
        + " (`pando dap-decode --type list` shows the types)"));
    if (hex && base64) {
      throw usage("--hex and --base64 are mutually exclusive");
    }
    InputFormat format = hex ? InputFormat.HEX : base64 ? InputFormat.BASE64 : InputFormat.RAW;
    byte[] encoded;
    try {
      encoded = format.bytes(read());
    } catch (IllegalArgumentException e) {
      throw new CommandFailure("cannot read the input: " + e.getMessage());
    }
    Object value;
    try {
      value = t.decode(encoded);
    } catch (DecodeException | RuntimeException e) {
      throw new CommandFailure("not a valid " + t.name() + ": " + e.getMessage());
    }
    stdout.print(StructurePrinter.print(value, encoded.length));
    stdout.flush();
    return 0;
  }

  private byte[] read() {
    try {
      if (input.equals("-")) {
        return env.stdin().readAllBytes();
      }
      return Files.readAllBytes(Path.of(input));
    } catch (NoSuchFileException e) {
      throw usage("no such file: " + input);
    } catch (IOException e) {
      throw new CommandFailure("cannot read " + input + ": " + e.getMessage(), e);
    }
  }

  private static void list(PrintWriter out) {
    List<MessageType> all = MessageTypes.all();
    out.println("Message bodies (also --type media:<media type>):");
    for (MessageType t : all) {
      t.mediaType().ifPresent(m -> out.printf("  %-30s %s%n", t.name(), m));
    }
    out.println("Structures inside them:");
    for (MessageType t : all) {
      if (t.mediaType().isEmpty()) {
        out.printf("  %s%n", t.name());
      }
    }
    out.flush();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
