package io.pando.cli.commands;

import io.pando.cli.vectors.Outcome;
import io.pando.cli.vectors.VectorChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pando vdaf ...}: tools for the VDAF layer. */
@Command(
    name = "vdaf",
    description = "VDAF tools.",
    mixinStandardHelpOptions = true,
    subcommands = {VdafCommand.CheckVectors.class})
public final class VdafCommand {

  /** {@code pando vdaf check-vectors DIR...}. */
  @Command(
      name = "check-vectors",
      mixinStandardHelpOptions = true,
      description = {
        "Replays VDAF test vectors of draft-irtf-cfrg-vdaf-08 (poc/test_vec/08) and -20"
            + " (test_vec/, negative vectors included) step by step and prints one line per file,"
            + " then 'N passed, M failed'.",
        "Files are recognised by content; VDAFs that are not implemented are reported as skipped.",
        "Exits 1 if any file failed, 2 if no file was found."
      })
  public static final class CheckVectors implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Directories or files.")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
      for (Path p : paths) {
        if (!Files.exists(p)) {
          System.err.println("no such file or directory: " + p);
          return 2;
        }
      }
      List<Path> files = VectorChecker.vectorFiles(paths);
      if (files.isEmpty()) {
        System.err.println("no .json vector files found in " + paths);
        return 2;
      }
      VectorChecker checker = new VectorChecker();
      int passed = 0;
      int failed = 0;
      int skipped = 0;
      for (Path f : files) {
        Outcome o = checker.check(f);
        System.out.println(o.line());
        switch (o.status()) {
          case PASSED -> passed++;
          case FAILED -> failed++;
          case SKIPPED -> skipped++;
        }
      }
      System.out.println(passed + " passed, " + failed + " failed"
          + (skipped > 0 ? ", " + skipped + " skipped" : ""));
      return failed > 0 ? 1 : 0;
    }
  }
}
