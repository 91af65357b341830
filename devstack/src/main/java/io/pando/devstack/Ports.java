package io.pando.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers. Every server started here binds to 127.0.0.1 only. */
final class Ports {
  static final String HOST = "127.0.0.1";

  private Ports() {}

  static InetAddress loopback() {
    try {
      return InetAddress.getByName(HOST);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port that was free on 127.0.0.1 a moment ago. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(loopback(), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** True if a server socket can be bound to 127.0.0.1:port right now. */
  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(loopback(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns {@code port}, or a free port when it is 0; fails clearly when the port is taken. */
  static int choose(int port, String what) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " port out of range: " + port);
    }
    if (port == 0) {
      return freePort();
    }
    if (!isFree(port)) {
      throw new IllegalStateException(what + " port " + port + " is already in use on " + HOST
          + " (see `ss -ltnp 'sport = :" + port + "'`); pick another port or 0 for a free one");
    }
    return port;
  }

  /** True if something accepts TCP connections on 127.0.0.1:port. */
  static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(loopback(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
