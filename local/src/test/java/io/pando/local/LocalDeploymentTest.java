package io.pando.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The port check that {@code bin/pando up} makes before it starts anything. */
class LocalDeploymentTest {
  private static final String MESSAGE = "port %d (leader) is already in use; stop whatever"
      + " listens there or choose another with --leader-port";

  @Test
  void aPortBoundOnLoopbackIsReportedByName() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> LocalDeployment.requireFree(port, "leader", "--leader-port"));
      assertEquals(MESSAGE.formatted(port), e.getMessage());
    }
  }

  /** What {@code python3 -m http.server PORT} does: every address, not only loopback. */
  @Test
  void aPortBoundOnEveryAddressIsReportedByName() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> LocalDeployment.requireFree(port, "leader", "--leader-port"));
      assertEquals(MESSAGE.formatted(port), e.getMessage());
    }
  }

  @Test
  void aFreePortAndPortZeroPass() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    LocalDeployment.requireFree(port, "leader", "--leader-port");
    LocalDeployment.requireFree(0, "leader", "--leader-port");
  }
}
