package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/pando up} as from a terminal and stops it as Ctrl-C does: SIGINT to its whole
 * process group, the terminal's foreground job. Then the launcher and everything it started (both
 * aggregators, the Kafka child, PostgreSQL) are gone, PostgreSQL and Kafka were stopped by their
 * owner (their pid files are removed), and none of their ports accepts connections.
 */
class UpIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void ctrlCStopsEverythingItStarted(@TempDir Path dir) throws Exception {
    int leaderPort = LocalDeployment.freePort();
    int helperPort = LocalDeployment.freePort();
    // setsid: a process group of its own, as a terminal gives a job. env --default-signal: SIGINT
    // handled even where this JVM inherited it ignored (a background job of a script does).
    Process p = new ProcessBuilder("setsid", "env", "--default-signal=INT",
        ROOT.resolve("bin/pando").toString(), "up", "--data-dir", dir.toString(),
        "--leader-port", Integer.toString(leaderPort),
        "--helper-port", Integer.toString(helperPort))
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    StringBuffer out = new StringBuffer();
    CountDownLatch up = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.append(line).append('\n');
          // The banner's last instruction: every line above it (the URLs) has been read.
          if (line.startsWith("Ctrl-C stops everything")) {
            up.countDown();
          }
        }
      } catch (IOException e) {
        out.append(e).append('\n');
      }
    });
    reader.start();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      // The first run builds the project.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
      while (!up.await(1, TimeUnit.SECONDS)) {
        assertTrue(p.isAlive(), "bin/pando up exited:\n" + out);
        assertTrue(System.nanoTime() < deadline, "bin/pando up not up:\n" + out);
      }
      assertTrue(out.toString().contains("leader             http://127.0.0.1:" + leaderPort),
          out.toString());

      started.addAll(p.descendants().toList());
      assertEquals(2, started.stream().filter(h -> commandLine(h).contains("quarkus-run.jar"))
          .count(), out.toString());
      Path kafkaPid = dir.resolve("devstack/kafka/kafka.pid");
      long kafka = Long.parseLong(Files.readString(kafkaPid).trim());
      assertTrue(started.stream().anyMatch(h -> h.pid() == kafka), "Kafka child " + kafka
          + " is not a child of bin/pando up");
      Path pgPid = dir.resolve("devstack/postgres/pgdata/postmaster.pid");
      List<String> postmaster = Files.readAllLines(pgPid);
      started.add(ProcessHandle.of(Long.parseLong(postmaster.get(0).trim())).orElseThrow());
      List<Integer> ports = new ArrayList<>(List.of(leaderPort, helperPort,
          Integer.parseInt(postmaster.get(3).trim())));
      Matcher listener = Pattern.compile("//127\\.0\\.0\\.1:(\\d+)").matcher(
          Files.readAllLines(dir.resolve("devstack/kafka/server.properties")).stream()
              .filter(l -> l.startsWith("listeners=")).findFirst().orElseThrow());
      while (listener.find()) {
        ports.add(Integer.parseInt(listener.group(1)));
      }
      assertEquals(5, ports.size(), ports.toString());
      for (int port : ports) {
        assertTrue(accepts(port), "port " + port + " not listening while up");
      }

      Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).inheritIO().start();
      assertEquals(0, kill.waitFor(), "no process group " + p.pid());
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), "still running after SIGINT:\n" + out);
      reader.join();
      assertEquals(130, p.exitValue(), out.toString());
      assertTrue(out.toString().contains("\nStopping..."), out.toString());

      for (ProcessHandle h : started) {
        // The postmaster is reaped by PID 1, not by us; give it the time that takes.
        h.onExit().get(30, TimeUnit.SECONDS);
      }
      assertFalse(Files.exists(pgPid), "PostgreSQL was not shut down by its owner");
      assertFalse(Files.exists(kafkaPid), "Kafka was not shut down by its owner");
      for (int port : ports) {
        assertFalse(accepts(port), "port " + port + " still listening:\n" + out);
      }
    } finally {
      if (p.isAlive()) {
        p.destroy(); // SIGTERM: its shutdown hooks stop what it started
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
      started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }
  }

  private static String commandLine(ProcessHandle h) {
    return h.info().commandLine().orElse("");
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
