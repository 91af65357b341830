package io.pando.devstack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing data directories: the one implementation the launcher commands share. */
public final class DirectoryTrees {
  private DirectoryTrees() {}

  /** Deletes a directory tree (nothing when it is missing); files already gone are fine. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.deleteIfExists(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** {@link #delete}, reporting a failure on stderr instead of throwing (for clean-ups). */
  public static void deleteQuietly(Path dir) {
    try {
      delete(dir);
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }
}
