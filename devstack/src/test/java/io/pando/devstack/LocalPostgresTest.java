package io.pando.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  @Test
  void createsDatabaseAndRoundTripsRows() throws Exception {
    int port;
    Path root;
    try (LocalPostgres pg = LocalPostgres.start(null, 0)) {
      port = pg.port();
      root = pg.dataDir();
      assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/demo", pg.jdbcUrl("demo"));
      assertEquals("postgresql://127.0.0.1:" + port + "/demo", pg.reactiveUrl("demo"));
      pg.createDatabase("demo");
      pg.createDatabase("demo");
      try (Connection c = pg.connect("demo"); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)");
        assertEquals(2, s.executeUpdate("INSERT INTO item VALUES (1, 'one'), (2, 'two')"));
        try (ResultSet rs = s.executeQuery("SELECT name FROM item ORDER BY id")) {
          assertTrue(rs.next());
          assertEquals("one", rs.getString(1));
          assertTrue(rs.next());
          assertEquals("two", rs.getString(1));
          assertFalse(rs.next());
        }
        try (ResultSet rs = s.executeQuery("SHOW listen_addresses")) {
          assertTrue(rs.next());
          assertEquals("127.0.0.1", rs.getString(1));
        }
      }
    }
    assertTrue(Ports.isFree(port), "port " + port + " still bound after close");
    assertFalse(Files.exists(root), "temporary data directory left behind: " + root);
  }

  @Test
  void reusesDataDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
    try (LocalPostgres pg = LocalPostgres.start(dir, 0)) {
      try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('survives restart')");
      }
    }
    try (LocalPostgres pg = LocalPostgres.start(dir, 0)) {
      try (Connection c = pg.connect("postgres");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
        assertTrue(rs.next());
        assertEquals("survives restart", rs.getString(1));
      }
    }
    assertTrue(Files.isDirectory(dir.resolve("pgdata")), "persistent data directory was deleted");
  }

  @Test
  void refusesPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(Ports.loopback(), 0));
      int port = taken.getLocalPort();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> LocalPostgres.start(null, port));
      assertTrue(e.getMessage().contains("port " + port + " is already in use"), e.getMessage());
    }
  }
}
