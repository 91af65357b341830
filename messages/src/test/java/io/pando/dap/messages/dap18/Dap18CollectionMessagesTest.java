package io.pando.dap.messages.dap18;

import static io.pando.dap.messages.Hex.hex;
import static io.pando.dap.messages.dap18.Dap18Fixtures.BATCH_ID;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_HELPER;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_HELPER_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_LEADER;
import static io.pando.dap.messages.dap18.Dap18Fixtures.CIPHERTEXT_LEADER_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.COLLECTION_JOB_REQ;
import static io.pando.dap.messages.dap18.Dap18Fixtures.COLLECTION_JOB_REQ_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.INTERVAL;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_CONFIG_HEX;
import static io.pando.dap.messages.dap18.Dap18Fixtures.TASK_ID;
import static io.pando.dap.messages.dap18.Dap18Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregateShare;
import io.pando.dap.messages.Fixture;
import io.pando.dap.messages.Hex;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.RoundTrip;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DAP-18 §4.6 and §5 collection messages against hex from the draft's definitions. */
class Dap18CollectionMessagesTest {
  private static final String BATCH_ID_HEX =
      "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

  @Test
  void queries() throws DecodeException {
    RoundTrip.check(fixture("Query", Query.timeInterval(INTERVAL),
        hex(
            "01", // batch_mode = time_interval
            "0010", // config: length (16)
            "00000000075bcd15", "000000000000000b"), // TimeIntervalQueryConfig.batch_interval
        Query::decode));
    RoundTrip.check(fixture("Query", Query.leaderSelected(),
        hex(
            "02", // batch_mode = leader_selected
            "0000"), // config: empty
        Query::decode));
    assertEquals(INTERVAL, Query.timeInterval(INTERVAL).batchInterval());
    // A config that is not its batch mode's is refused.
    assertThrows(DecodeException.class, () -> Query.decode(Hex.bytes("020001ff")));
    assertThrows(DecodeException.class, () -> Query.decode(Hex.bytes("010000")));
    assertThrows(DecodeException.class, () -> Query.decode(Hex.bytes("000000")));
  }

  @Test
  void batchSelectors() throws DecodeException {
    RoundTrip.check(fixture("BatchSelector", BatchSelector.timeInterval(INTERVAL),
        hex(
            "01", // batch_mode = time_interval
            "0010", // config: length (16)
            "00000000075bcd15", "000000000000000b"), // batch_interval: start, duration
        BatchSelector::decode));
    RoundTrip.check(fixture("BatchSelector", BatchSelector.leaderSelected(BATCH_ID),
        hex(
            "02", // batch_mode = leader_selected
            "0020", BATCH_ID_HEX), // config: length (32), LeaderSelectedBatchSelectorConfig
        BatchSelector::decode));
    assertEquals(BATCH_ID, BatchSelector.leaderSelected(BATCH_ID).batchId());
    assertThrows(DecodeException.class, () -> BatchSelector.decode(Hex.bytes("020000")));
  }

  @Test
  void collectionJobReq() throws DecodeException {
    RoundTrip.check(fixture("CollectionJobReq", COLLECTION_JOB_REQ, COLLECTION_JOB_REQ_HEX,
        CollectionJobReq::decode));
    RoundTrip.check(fixture("CollectionJobReq",
        new CollectionJobReq(Query.leaderSelected(), new byte[0]),
        hex(
            "02", "0000", // query: leader_selected, empty config
            "00000000", // agg_param: empty
            "0000"), // extensions: empty
        CollectionJobReq::decode));
  }

  @Test
  void collectionJobExtensionOrderIsChecked() throws DecodeException {
    CollectionJobExtension a = new CollectionJobExtension(1, new byte[0]);
    CollectionJobExtension b = new CollectionJobExtension(2, Hex.bytes("00"));
    RoundTrip.check(fixture("CollectionJobExtension", b, "0002000100",
        CollectionJobExtension::decode));
    assertTrue(CollectionJobExtension.strictlyIncreasing(List.of(a, b)));
    assertFalse(CollectionJobExtension.strictlyIncreasing(List.of(b, a)));
  }

  @Test
  void collectionJobResp() throws DecodeException {
    RoundTrip.check(fixture("CollectionJobResp",
        new CollectionJobResp(100, INTERVAL, CIPHERTEXT_LEADER, CIPHERTEXT_HELPER),
        hex(
            "0000000000000064", // report_count = 100
            "00000000075bcd15", "000000000000000b", // interval: start, duration
            CIPHERTEXT_LEADER_HEX, // leader_encrypted_agg_share
            CIPHERTEXT_HELPER_HEX), // helper_encrypted_agg_share
        CollectionJobResp::decode));
  }

  @Test
  void aggregateShareReq() throws DecodeException {
    ReportIdChecksum checksum = ReportIdChecksum.of(Hex.bytes(BATCH_ID_HEX));
    RoundTrip.check(fixture("AggregateShareReq",
        new AggregateShareReq(COLLECTION_JOB_REQ, BatchSelector.timeInterval(INTERVAL), 7,
            checksum),
        hex(
            COLLECTION_JOB_REQ_HEX, // collection_job_req
            "01", "0010", "00000000075bcd15", "000000000000000b", // batch_selector
            "0000000000000007", // report_count
            BATCH_ID_HEX), // checksum[32]
        AggregateShareReq::decode));
  }

  @Test
  void aggregateShareIsDap09s() throws DecodeException {
    // §4.6.4: struct { HpkeCiphertext encrypted_aggregate_share; } AggregateShare, unchanged.
    RoundTrip.check(new Fixture<>("dap18 AggregateShare", new AggregateShare(CIPHERTEXT_LEADER),
        CIPHERTEXT_LEADER_HEX, AggregateShare::decode));
  }

  @Test
  void aggregateShareAad() throws DecodeException {
    RoundTrip.check(fixture("AggregateShareAad",
        new AggregateShareAad(TASK_ID, TASK_CONFIG, COLLECTION_JOB_REQ),
        hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", // task_id
            TASK_CONFIG_HEX, // task_configuration
            COLLECTION_JOB_REQ_HEX), // collection_job_req
        AggregateShareAad::decode));
  }
}
