package io.pando.aggregator.hpke;

import static io.pando.aggregator.Management.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.pando.aggregator.AtOnce;
import io.pando.aggregator.Infra;
import io.pando.aggregator.datastore.HibernateReactive;
import io.pando.aggregator.hpke.HpkeKeys.State;
import io.pando.aggregator.hpke.KeyRotator.Schedule;
import io.pando.aggregator.hpke.RotatedKeySet.Applied;
import io.pando.aggregator.hpke.RotatedKeySet.RotatedKey;
import io.pando.aggregator.ohttp.OhttpKeys;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The key rotator against the real key table: two rotators run every pass at the same moment and
 * between passes the test moves the keys' clocks back (what the database clock would show after
 * that much time), through a full cycle, each step happening once.
 */
@QuarkusTest
@WithTestResource(Infra.class)
class KeyRotationTest {
  /** A suite no other test makes keys of, so that the cycle sees only its own keys. */
  static final HpkeSuite SUITE = HpkeSuite.P256_SHA256_CHACHA20POLY1305;
  static final Duration PENDING = Duration.ofHours(1);
  static final Duration ACTIVE = Duration.ofDays(84);
  static final Duration EXPIRED = Duration.ofDays(7);
  static final Schedule SCHEDULE = new Schedule(true, PENDING, ACTIVE, EXPIRED, List.of(SUITE));

  @Inject HpkeKeys keys;
  @Inject OhttpKeys gatewayKeys;
  @Inject MeterRegistry meters;

  @Test
  void twoRotatorsRunAFullCycleOneStepAtATime() throws Exception {
    KeyRotator one = new KeyRotator(null, meters);
    KeyRotator two = new KeyRotator(null, meters);
    double activated = rotations("PENDING->ACTIVE");
    try {
      assertEquals(List.of("none->ACTIVE"), bothPass(one, two), "bootstrap: one active key");
      int a = only(State.ACTIVE);
      assertTrue(advertised().contains(a));
      assertEquals(List.of(), bothPass(one, two), "nothing due");

      age(ACTIVE);
      assertEquals(List.of("none->PENDING"), bothPass(one, two), "one successor");
      int b = only(State.PENDING);
      assertEquals(a, only(State.ACTIVE));
      assertFalse(advertised().contains(b), "a pending key is not advertised");
      assertTrue(keys.opener(HpkeConfigId.of(b)).isPresent(), "but already opens reports");
      assertEquals(List.of(), bothPass(one, two), "the successor waits out the delay");

      age(PENDING);
      assertEquals(List.of("ACTIVE->EXPIRED", "PENDING->ACTIVE"), bothPass(one, two));
      assertEquals(b, only(State.ACTIVE));
      assertEquals(a, only(State.EXPIRED));
      assertTrue(advertised().contains(b));
      assertFalse(advertised().contains(a));
      assertTrue(keys.opener(HpkeConfigId.of(a)).isPresent(), "an expired key still opens");
      assertEquals(activated + 1, rotations("PENDING->ACTIVE"));
      Map<String, Object> expired = adminKey(a);
      assertEquals("EXPIRED", expired.get("state"));
      assertEquals("deleted", expired.get("next_state"));
      assertEquals(Instant.parse((String) expired.get("state_changed_at")).plus(EXPIRED),
          Instant.parse((String) expired.get("next_transition_at")));
      assertEquals(keys.all().stream().filter(k -> k.state() == State.EXPIRED).count(),
          meters.get("pando_hpke_keys").tag("state", "EXPIRED").gauge().value());

      age(EXPIRED);
      assertEquals(List.of("EXPIRED->deleted"), bothPass(one, two));
      assertTrue(keys.opener(HpkeConfigId.of(a)).isEmpty());
      assertEquals(List.of(b), ofSuite().stream().map(RotatedKey::id).toList());
      assertEquals(List.of(), bothPass(one, two));
    } finally {
      ofSuite().forEach(k -> keys.delete(k.id()));
    }
  }

  /**
   * The OHTTP gateway's keys go through the same rotator and the same cycle (the gateway is off
   * in this profile, so nothing is published; what the rotator does to the table is the same).
   */
  @Test
  void theGatewayKeysRotateOnTheSameSchedule() throws Exception {
    KeyRotator one = new KeyRotator(null, meters);
    KeyRotator two = new KeyRotator(null, meters);
    try {
      assertEquals(List.of("none->ACTIVE"), bothPass(gatewayKeys, one, two));
      int a = only(gatewayKeys, State.ACTIVE);
      age(gatewayKeys, ACTIVE);
      assertEquals(List.of("none->PENDING"), bothPass(gatewayKeys, one, two));
      int b = only(gatewayKeys, State.PENDING);
      assertTrue(gatewayKeys.opener(b).isPresent(), "a pending gateway key already opens");
      assertFalse(gatewayKeys.activeConfigs().stream().anyMatch(c -> c.keyId() == b));
      age(gatewayKeys, PENDING);
      assertEquals(List.of("ACTIVE->EXPIRED", "PENDING->ACTIVE"),
          bothPass(gatewayKeys, one, two));
      assertTrue(gatewayKeys.activeConfigs().stream().anyMatch(c -> c.keyId() == b));
      assertTrue(gatewayKeys.opener(a).isPresent(), "an expired gateway key still opens");
      age(gatewayKeys, EXPIRED);
      assertEquals(List.of("EXPIRED->deleted"), bothPass(gatewayKeys, one, two));
      assertTrue(gatewayKeys.opener(a).isEmpty());
      assertEquals(List.of(b), ofSuite(gatewayKeys).stream().map(RotatedKey::id).toList());
    } finally {
      ofSuite(gatewayKeys).forEach(k -> gatewayKeys.delete(k.id()));
    }
  }

  /** Both rotators pass at once; the transitions they made, sorted. */
  private List<String> bothPass(KeyRotator one, KeyRotator two) throws Exception {
    return bothPass(keys, one, two);
  }

  private List<String> bothPass(RotatedKeySet set, KeyRotator one, KeyRotator two)
      throws Exception {
    List<List<Applied>> made = AtOnce.run(List.of(() -> one.pass(set, SCHEDULE),
        () -> two.pass(set, SCHEDULE)));
    return made.stream().flatMap(List::stream).map(Applied::transition).sorted().toList();
  }

  private List<RotatedKey> ofSuite() {
    return ofSuite(keys);
  }

  private List<RotatedKey> ofSuite(RotatedKeySet set) {
    set.rotate(v -> List.of());
    return set.keys().stream().filter(k -> k.suite().equals(SUITE)).toList();
  }

  /** The one key of the suite in this state. */
  private int only(State state) {
    return only(keys, state);
  }

  private int only(RotatedKeySet set, State state) {
    List<RotatedKey> in = ofSuite(set).stream().filter(k -> k.state() == state).toList();
    assertEquals(1, in.size(), state + " keys: " + in);
    return in.get(0).id();
  }

  /** Moves the suite's keys {@code d} into the past, as if that much time had gone by. */
  private void age(Duration d) {
    age(keys, d);
  }

  private void age(RotatedKeySet set, Duration d) {
    String ids = ofSuite(set).stream().map(k -> String.valueOf(k.id()))
        .collect(Collectors.joining(","));
    String table = set == keys ? "hpke_keys" : "ohttp_keys";
    String id = set == keys ? "config_id" : "key_id";
    long s = d.toSeconds();
    HibernateReactive.await(() -> Panache.withTransaction(() -> Panache.getSession()
        .chain(session -> session.createNativeQuery("UPDATE " + table + " SET created_at = "
            + "created_at - make_interval(secs => " + s + "), state_changed_at = "
            + "state_changed_at - make_interval(secs => " + s + ") WHERE " + id + " IN ("
            + ids + ")").executeUpdate())));
  }

  private Set<Integer> advertised() throws Exception {
    byte[] body = given().when().get("/hpke_config").then().statusCode(200).extract().asByteArray();
    return HpkeConfigList.decode(body).configs().stream().map(c -> c.id().value())
        .collect(Collectors.toSet());
  }

  private Map<String, Object> adminKey(int id) {
    List<Map<String, Object>> all = admin().when().get("/admin/hpke_keys").then().statusCode(200)
        .extract().jsonPath().getList("$");
    return all.stream().filter(m -> ((Number) m.get("config_id")).intValue() == id).findFirst()
        .orElseThrow();
  }

  private double rotations(String transition) {
    var c = meters.find("pando_key_rotations_total").tag("key_set", "hpke")
        .tag("transition", transition).counter();
    return c == null ? 0 : c.count();
  }
}
