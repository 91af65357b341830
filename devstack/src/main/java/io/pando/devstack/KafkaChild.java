package io.pando.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Entry point of the Kafka child JVM: formats the storage if needed, then runs {@code kafka.Kafka}.
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}. The parent keeps this process's stdin
 * open; when it reads end-of-file (the parent exited, even by SIGKILL) the broker shuts down.
 * Kafka is reached by reflection so that it only has to be on the runtime class path.
 */
public final class KafkaChild {
  private KafkaChild() {}

  /** Runs the broker; exits 2 when formatting fails. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: KafkaChild <server.properties> <cluster id>");
      System.exit(64);
    }
    Thread watcher = new Thread(KafkaChild::exitWhenParentGone, "parent-watcher");
    watcher.setDaemon(true);
    watcher.start();

    Method execute = Class.forName("kafka.tools.StorageTool")
        .getMethod("execute", String[].class, PrintStream.class);
    String[] format = {"format", "-t", args[1], "-c", args[0], "--ignore-formatted"};
    int rc = (Integer) execute.invoke(null, format, System.out);
    if (rc != 0) {
      System.err.println("kafka storage format failed with exit code " + rc);
      System.exit(2);
    }
    try {
      Class.forName("kafka.Kafka").getMethod("main", String[].class)
          .invoke(null, (Object) new String[] {args[0]});
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }

  private static void exitWhenParentGone() {
    InputStream in = System.in;
    byte[] buf = new byte[256];
    try {
      while (in.read(buf) >= 0) {
        // The parent never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end-of-file.
    }
    System.err.println("parent process gone (stdin closed): shutting down");
    System.exit(0);
  }
}
