package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTreesTest {
  @TempDir Path tmp;

  @Test
  void deletesANestedTreeAndToleratesAMissingOne() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("a/b/c"));
    Files.writeString(root.resolve("a/b/c/file"), "x");
    Files.writeString(root.resolve("top"), "y");
    DirectoryTrees.delete(root);
    assertFalse(Files.exists(root));
    DirectoryTrees.delete(root); // already gone: nothing to do, no error
    DirectoryTrees.deleteQuietly(tmp.resolve("never-existed"));
    assertTrue(Files.isDirectory(tmp), "only the given tree is removed");
  }
}
