package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.codec.DecodeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CollectionMessagesTest {
  @Test
  void queryTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.queryTimeInterval());
  }

  @Test
  void queryByBatchId() throws DecodeException {
    RoundTrip.check(Fixtures.queryByBatchId());
  }

  @Test
  void queryCurrentBatch() throws DecodeException {
    RoundTrip.check(Fixtures.queryCurrentBatch());
  }

  @Test
  void fixedSizeQuery() throws DecodeException {
    RoundTrip.check(Fixtures.fixedSizeQuery());
  }

  @Test
  void queryType() throws DecodeException {
    RoundTrip.check(Fixtures.queryType());
  }

  @Test
  void partialBatchSelectorTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.partialBatchSelectorTimeInterval());
  }

  @Test
  void partialBatchSelectorFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.partialBatchSelectorFixedSize());
  }

  @Test
  void batchSelectorTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.batchSelectorTimeInterval());
  }

  @Test
  void batchSelectorFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.batchSelectorFixedSize());
  }

  @Test
  void collectionReqTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.collectionReqTimeInterval());
  }

  @Test
  void collectionReqFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.collectionReqFixedSize());
  }

  @Test
  void collectionTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.collectionTimeInterval());
  }

  @Test
  void collectionFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.collectionFixedSize());
  }

  @Test
  void aggregateShareReqTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.aggregateShareReqTimeInterval());
  }

  @Test
  void aggregateShareReqFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.aggregateShareReqFixedSize());
  }

  @Test
  void aggregateShare() throws DecodeException {
    RoundTrip.check(Fixtures.aggregateShare());
  }

  @Test
  void aggregateShareAadTimeInterval() throws DecodeException {
    RoundTrip.check(Fixtures.aggregateShareAadTimeInterval());
  }

  @Test
  void aggregateShareAadFixedSize() throws DecodeException {
    RoundTrip.check(Fixtures.aggregateShareAadFixedSize());
  }

  @Test
  void queryTypeCodepoints() {
    assertEquals(1, QueryType.TIME_INTERVAL.code());
    assertEquals(2, QueryType.FIXED_SIZE.code());
    assertEquals("time_interval", QueryType.TIME_INTERVAL.draftName());
    assertEquals(Optional.of(QueryType.FIXED_SIZE), QueryType.fromCode(2));
    // reserved(0) and unassigned values.
    assertEquals(Optional.empty(), QueryType.fromCode(0));
    assertEquals(Optional.empty(), QueryType.fromCode(3));
  }

  @Test
  void reservedAndUnknownQueryTypesAreRejected() {
    for (String code : new String[] {"00", "03", "ff"}) {
      byte[] query = Hex.bytes(Hex.hex(
          code, // query_type
          "0000000062eaa1c0", // batch_interval.start
          "00000000000003e8")); // batch_interval.duration
      assertThrows(DecodeException.class, () -> Query.decode(query), code);
      assertThrows(DecodeException.class, () -> BatchSelector.decode(query), code);
      assertThrows(DecodeException.class,
          () -> PartialBatchSelector.decode(Hex.bytes(code)), code);
      assertThrows(DecodeException.class, () -> QueryType.decode(Hex.bytes(code)), code);
    }
  }

  @Test
  void unknownFixedSizeQueryTypeIsRejected() {
    assertThrows(DecodeException.class, () -> Query.decode(Hex.bytes(Hex.hex(
        "02", // query_type = fixed_size
        "02")))); // fixed_size_query.query_type = 2, unassigned
  }

  @Test
  void queryTypeMismatchIsRejected() throws DecodeException {
    assertThrows(DecodeException.class,
        () -> Collection.decode(Fixtures.collectionTimeInterval().bytes(), QueryType.FIXED_SIZE));
    assertThrows(DecodeException.class,
        () -> Collection.decode(Fixtures.collectionFixedSize().bytes(), QueryType.TIME_INTERVAL));
    assertThrows(DecodeException.class,
        () -> CollectionReq.decode(Fixtures.collectionReqFixedSize().bytes(),
            QueryType.TIME_INTERVAL));
    assertThrows(DecodeException.class,
        () -> AggregateShareReq.decode(Fixtures.aggregateShareReqTimeInterval().bytes(),
            QueryType.FIXED_SIZE));
    assertThrows(DecodeException.class,
        () -> AggregateShareAad.decode(Fixtures.aggregateShareAadFixedSize().bytes(),
            QueryType.TIME_INTERVAL));
    assertThrows(DecodeException.class,
        () -> Query.decode(Fixtures.queryTimeInterval().bytes(), QueryType.FIXED_SIZE));
    assertThrows(DecodeException.class,
        () -> BatchSelector.decode(Fixtures.batchSelectorFixedSize().bytes(),
            QueryType.TIME_INTERVAL));
    assertThrows(DecodeException.class,
        () -> PartialBatchSelector.decode(Hex.bytes("01"), QueryType.FIXED_SIZE));
  }

  @Test
  void anyQueryTypeDecodesToTheRightVariant() throws DecodeException {
    Collection<?> c = Collection.decode(Fixtures.collectionFixedSize().bytes());
    assertSame(QueryType.FIXED_SIZE, c.queryType());
    assertEquals(Fixtures.BATCH_ID,
        assertInstanceOf(PartialBatchSelector.FixedSize.class, c.partialBatchSelector()).batchId());
    Query<?> q = Query.decode(Fixtures.queryCurrentBatch().bytes());
    assertInstanceOf(FixedSizeQuery.CurrentBatch.class,
        assertInstanceOf(Query.FixedSize.class, q).fixedSizeQuery());
    BatchSelector<?> b = BatchSelector.decode(Fixtures.batchSelectorTimeInterval().bytes());
    assertEquals(Fixtures.INTERVAL,
        assertInstanceOf(BatchSelector.TimeInterval.class, b).batchInterval());
    assertSame(QueryType.TIME_INTERVAL,
        CollectionReq.decode(Fixtures.collectionReqTimeInterval().bytes()).queryType());
    assertSame(QueryType.FIXED_SIZE,
        AggregateShareReq.decode(Fixtures.aggregateShareReqFixedSize().bytes()).queryType());
    assertSame(QueryType.TIME_INTERVAL,
        AggregateShareAad.decode(Fixtures.aggregateShareAadTimeInterval().bytes()).queryType());
  }

  @Test
  void reportCountAboveTwoToTheSixtyThreeIsRejected() {
    assertThrows(DecodeException.class, () -> Collection.decode(Hex.bytes(Hex.hex(
        "01", // part_batch_selector.query_type = time_interval
        "8000000000000000", // report_count = 2^63
        "0000000062eaa1c0", // interval.start
        "00000000000003e8", // interval.duration
        "2a", "0001", "00", "00000001", "00", // leader_encrypted_agg_share
        "2a", "0001", "00", "00000001", "00")))); // helper_encrypted_agg_share
    assertThrows(IllegalArgumentException.class,
        () -> new AggregateShareReq<>(BatchSelector.fixedSize(Fixtures.BATCH_ID), new byte[0], -1,
            ReportIdChecksum.ZERO));
  }
}
