package io.pando.devstack;

import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;

/** Test helper run in its own JVM: starts a stack on a directory, leaves a marker, then waits. */
public final class OrphanOwner {
  private OrphanOwner() {}

  /** Argument: the stack's root directory. */
  public static void main(String[] args) throws Exception {
    DevStack stack = DevStack.start(Paths.get(args[0]));
    try (Connection c = stack.postgres().connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE marker (v text)");
      s.execute("INSERT INTO marker VALUES ('before kill')");
    }
    stack.kafka().createTopic("kept", 1);
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
