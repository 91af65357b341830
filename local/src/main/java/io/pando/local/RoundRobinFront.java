package io.pando.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small TCP front for several replicas of one role on this machine: each accepted connection
 * goes to the next replica in turn (round robin per connection, as a layer-4 load balancer
 * does), bytes are copied both ways, and a replica that refuses the connection is skipped. HTTP
 * clients keep several connections open, so their requests spread over every replica.
 */
public final class RoundRobinFront implements AutoCloseable {
  private final ServerSocket server;
  private final List<URI> backends;
  private final AtomicLong next = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;

  /** Listens on 127.0.0.1 on a free port in front of these {@code http://host:port/} URIs. */
  public RoundRobinFront(String name, List<URI> backends) throws IOException {
    this.backends = List.copyOf(backends);
    this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, name + "-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread t = new Thread(() -> serve(client), "front-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket client) {
    Socket backend = null;
    for (int i = 0; i < backends.size() && backend == null; i++) {
      URI u = backends.get((int) Math.floorMod(next.getAndIncrement(), (long) backends.size()));
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 2000);
        backend = s;
      } catch (IOException e) {
        // that replica is down: try the next one
      }
    }
    if (backend == null) {
      closeQuietly(client);
      return;
    }
    try {
      client.setTcpNoDelay(true);
      backend.setTcpNoDelay(true);
    } catch (IOException ignored) {
      // best effort
    }
    Socket b = backend;
    Thread up = new Thread(() -> pipe(client, b), "front-up");
    up.setDaemon(true);
    up.start();
    pipe(b, client);
  }

  private static void pipe(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
