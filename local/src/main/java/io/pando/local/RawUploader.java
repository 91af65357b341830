package io.pando.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's HTTP side: PUTs prepared report bodies over C keep-alive HTTP/1.1
 * connections, one request in flight per connection, all driven by one selector thread. It does
 * the least work a client can do per request (one gathered write, one read), so that on a shared
 * machine the figure measures the leader rather than the generator. Not a general HTTP client:
 * it understands the responses the leader sends (Content-Length or chunked bodies).
 */
final class RawUploader {
  /** Counts of the uploads: created (201) and anything else. */
  record Result(int created, int failed) {}

  private final InetSocketAddress address;
  private final String path;

  RawUploader(InetSocketAddress address, String path) {
    this.address = address;
    this.path = path;
  }

  private final class Connection {
    final SocketChannel channel;
    final ByteBuffer[] request = new ByteBuffer[2];
    ByteBuffer response = ByteBuffer.allocate(4096);

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void send(byte[] body) {
      String head = "PUT " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":"
          + address.getPort() + "\r\nContent-Type: application/dap-report\r\nContent-Length: "
          + body.length + "\r\n\r\n";
      request[0] = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
      request[1] = ByteBuffer.wrap(body);
      response.clear();
    }

    boolean written() {
      return !request[1].hasRemaining();
    }

    /** The status of a complete response in the buffer, or -1 while it is incomplete. */
    int complete() {
      byte[] b = response.array();
      int n = response.position();
      int end = indexOf(b, n, "\r\n\r\n", 0);
      if (end < 0) {
        return -1;
      }
      String head = new String(b, 0, end, StandardCharsets.US_ASCII);
      int status = Integer.parseInt(head.substring(9, 12));
      int bodyStart = end + 4;
      for (String line : head.split("\r\n")) {
        String l = line.toLowerCase(Locale.ROOT);
        if (l.startsWith("content-length:")) {
          int length = Integer.parseInt(l.substring(15).trim());
          return n >= bodyStart + length ? status : -1;
        }
        if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
          return indexOf(b, n, "0\r\n\r\n", bodyStart) >= 0 ? status : -1;
        }
      }
      return status;
    }

    void read() throws IOException {
      if (!response.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(response.capacity() * 2);
        response.flip();
        bigger.put(response);
        response = bigger;
      }
      if (channel.read(response) < 0) {
        throw new IOException("connection closed by the leader");
      }
    }
  }

  private static int indexOf(byte[] b, int n, String s, int from) {
    outer:
    for (int i = from; i + s.length() <= n; i++) {
      for (int j = 0; j < s.length(); j++) {
        if (b[i + j] != s.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Uploads every body once; returns when all have an answer. */
  Result upload(List<byte[]> bodies, int connections) throws IOException {
    int next = 0;
    int created = 0;
    int failed = 0;
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < connections && next < bodies.size(); c++) {
        SocketChannel ch = SocketChannel.open(address);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        Connection conn = new Connection(ch);
        conn.send(bodies.get(next++));
        ch.register(selector, SelectionKey.OP_WRITE, conn);
      }
      int open = selector.keys().size();
      while (open > 0) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          Connection conn = (Connection) key.attachment();
          try {
            if (key.isWritable()) {
              conn.channel.write(conn.request);
              if (conn.written()) {
                key.interestOps(SelectionKey.OP_READ);
              }
            } else if (key.isReadable()) {
              conn.read();
              int status = conn.complete();
              if (status < 0) {
                continue;
              }
              if (status == 201) {
                created++;
              } else {
                failed++;
              }
              if (next < bodies.size()) {
                conn.send(bodies.get(next++));
                conn.channel.write(conn.request);
                key.interestOps(conn.written() ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
              } else {
                key.cancel();
                conn.channel.close();
                open--;
              }
            }
          } catch (IOException e) {
            // The request in flight on a broken connection counts as failed; stop using it.
            failed++;
            key.cancel();
            conn.channel.close();
            open--;
          }
        }
        selector.selectedKeys().clear();
      }
    }
    // Bodies never sent because every connection broke count as failed too.
    failed += bodies.size() - next;
    return new Result(created, failed);
  }
}
