package io.pando.dap.messages;

import static io.pando.dap.messages.Hex.hex;

import java.util.List;

/**
 * Hex fixtures for every DAP-09 wire type, one commented line per field, laid out from the
 * structure definitions of draft-ietf-ppm-dap-09.
 */
final class Fixtures {
  private Fixtures() {}

  // Shared values.
  static final TaskId TASK_ID =
      TaskId.of(Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  static final ReportId REPORT_ID_1 = ReportId.of(Hex.bytes("0102030405060708090a0b0c0d0e0f10"));
  static final ReportId REPORT_ID_2 = ReportId.of(Hex.bytes("100f0e0d0c0b0a090807060504030201"));
  static final BatchId BATCH_ID =
      BatchId.of(Hex.bytes("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"));
  static final Interval INTERVAL = Interval.of(1659544000L, 1000L);
  static final HpkeCiphertext CIPHERTEXT_LEADER =
      new HpkeCiphertext(HpkeConfigId.of(42), Hex.bytes("656e6321"), Hex.bytes("7061796c6f6164"));
  static final HpkeCiphertext CIPHERTEXT_HELPER =
      new HpkeCiphertext(HpkeConfigId.of(7), Hex.bytes("6c6561"), Hex.bytes("68656c706572"));
  static final ReportMetadata METADATA_1 = new ReportMetadata(REPORT_ID_1, Time.ofSeconds(12345));
  static final ReportMetadata METADATA_2 = new ReportMetadata(REPORT_ID_2, Time.ofSeconds(54321));
  static final ReportShare REPORT_SHARE =
      new ReportShare(METADATA_1, Hex.bytes("7075626c6963"), CIPHERTEXT_HELPER);
  /** A VDAF-08 ping-pong {@code finish} message: type 2, prep_msg "prep". */
  static final byte[] PING_PONG_FINISH = Hex.bytes("020000000470726570");

  // ----- identifiers, time -----

  static Fixture<TaskId> taskId() {
    return new Fixture<>("TaskId", TASK_ID,
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", // task_id
        TaskId::decode);
  }

  static Fixture<ReportId> reportId() {
    return new Fixture<>("ReportId", REPORT_ID_1,
        "0102030405060708090a0b0c0d0e0f10", // report_id
        ReportId::decode);
  }

  static Fixture<BatchId> batchId() {
    return new Fixture<>("BatchId", BATCH_ID,
        "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", // batch_id
        BatchId::decode);
  }

  static Fixture<AggregationJobId> aggregationJobId() {
    return new Fixture<>("AggregationJobId",
        AggregationJobId.of(Hex.bytes("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")),
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", // aggregation_job_id
        AggregationJobId::decode);
  }

  static Fixture<CollectionJobId> collectionJobId() {
    return new Fixture<>("CollectionJobId",
        CollectionJobId.of(Hex.bytes("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf")),
        "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", // collection_job_id
        CollectionJobId::decode);
  }

  static Fixture<ReportIdChecksum> checksum() {
    return new Fixture<>("ReportIdChecksum",
        ReportIdChecksum.of(
            Hex.bytes("e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")),
        "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", // checksum
        ReportIdChecksum::decode);
  }

  static Fixture<Time> time() {
    return new Fixture<>("Time", Time.ofSeconds(12345),
        "0000000000003039", // time
        Time::decode);
  }

  static Fixture<Duration> duration() {
    return new Fixture<>("Duration", Duration.ofSeconds(3600),
        "0000000000000e10", // duration
        Duration::decode);
  }

  static Fixture<Interval> interval() {
    return new Fixture<>("Interval", INTERVAL,
        hex(
            "0000000062eaa1c0", // start
            "00000000000003e8"), // duration
        Interval::decode);
  }

  static Fixture<Role> role() {
    return new Fixture<>("Role", Role.HELPER,
        "03", // role = helper
        Role::decode);
  }

  // ----- HPKE -----

  static Fixture<HpkeConfigId> hpkeConfigId() {
    return new Fixture<>("HpkeConfigId", HpkeConfigId.of(255),
        "ff", // config_id
        HpkeConfigId::decode);
  }

  static Fixture<HpkeKemId> hpkeKemId() {
    return new Fixture<>("HpkeKemId", HpkeKemId.X25519_HKDF_SHA256,
        "0020", // kem_id
        HpkeKemId::decode);
  }

  static Fixture<HpkeKdfId> hpkeKdfId() {
    return new Fixture<>("HpkeKdfId", HpkeKdfId.HKDF_SHA256,
        "0001", // kdf_id
        HpkeKdfId::decode);
  }

  static Fixture<HpkeAeadId> hpkeAeadId() {
    return new Fixture<>("HpkeAeadId", HpkeAeadId.CHACHA20_POLY1305,
        "0003", // aead_id
        HpkeAeadId::decode);
  }

  static Fixture<HpkePublicKey> hpkePublicKey() {
    return new Fixture<>("HpkePublicKey", HpkePublicKey.of(Hex.bytes("7075626c6963")),
        hex(
            "0006", // length
            "7075626c6963"), // public_key
        HpkePublicKey::decode);
  }

  static Fixture<HpkeConfig> hpkeConfig() {
    return new Fixture<>("HpkeConfig",
        new HpkeConfig(HpkeConfigId.of(12), HpkeKemId.P256_HKDF_SHA256, HpkeKdfId.HKDF_SHA512,
            HpkeAeadId.AES_256_GCM, HpkePublicKey.of(Hex.bytes("7075626c6963"))),
        hex(
            "0c", // id
            "0010", // kem_id
            "0003", // kdf_id
            "0002", // aead_id
            "0006", "7075626c6963"), // public_key: length, bytes
        HpkeConfig::decode);
  }

  static Fixture<HpkeConfigList> hpkeConfigList() {
    return new Fixture<>("HpkeConfigList",
        HpkeConfigList.of(
            new HpkeConfig(HpkeConfigId.of(1), HpkeKemId.X25519_HKDF_SHA256,
                HpkeKdfId.HKDF_SHA256, HpkeAeadId.AES_128_GCM, HpkePublicKey.of(Hex.bytes("01"))),
            new HpkeConfig(HpkeConfigId.of(2), HpkeKemId.of(0x1234), HpkeKdfId.of(0x5678),
                HpkeAeadId.of(0x9abc), HpkePublicKey.of(Hex.bytes("0203")))),
        hex(
            "0015", // length of configs (21)
            // configs[0]
            "01", // id
            "0020", // kem_id = X25519-HKDF-SHA256
            "0001", // kdf_id = HKDF-SHA256
            "0001", // aead_id = AES-128-GCM
            "0001", "01", // public_key: length, bytes
            // configs[1], with algorithms nobody knows
            "02", // id
            "1234", // kem_id (unknown)
            "5678", // kdf_id (unknown)
            "9abc", // aead_id (unknown)
            "0002", "0203"), // public_key: length, bytes
        HpkeConfigList::decode);
  }

  static Fixture<HpkeCiphertext> hpkeCiphertext() {
    return new Fixture<>("HpkeCiphertext", CIPHERTEXT_LEADER,
        hex(
            "2a", // config_id
            "0004", "656e6321", // enc: length, bytes
            "00000007", "7061796c6f6164"), // payload: length, bytes
        HpkeCiphertext::decode);
  }

  // ----- upload -----

  static Fixture<ReportMetadata> reportMetadata() {
    return new Fixture<>("ReportMetadata", METADATA_2,
        hex(
            "100f0e0d0c0b0a090807060504030201", // report_id
            "000000000000d431"), // time
        ReportMetadata::decode);
  }

  static Fixture<ExtensionType> extensionType() {
    return new Fixture<>("ExtensionType", ExtensionType.TASKPROV,
        "ff00", // extension_type = taskprov
        ExtensionType::decode);
  }

  static Fixture<Extension> extension() {
    return new Fixture<>("Extension", new Extension(ExtensionType.TBD, Hex.bytes("657874")),
        hex(
            "0000", // extension_type = TBD
            "0003", "657874"), // extension_data: length, bytes
        Extension::decode);
  }

  static Fixture<PlaintextInputShare> plaintextInputShare() {
    return new Fixture<>("PlaintextInputShare",
        new PlaintextInputShare(
            List.of(new Extension(ExtensionType.TASKPROV, new byte[0]),
                new Extension(ExtensionType.of(0x0102), Hex.bytes("657874"))),
            Hex.bytes("7368617265")),
        hex(
            "000b", // length of extensions (11)
            "ff00", "0000", // extensions[0]: taskprov, empty data
            "0102", "0003", "657874", // extensions[1]: unknown type, data
            "00000005", "7368617265"), // payload: length, bytes
        PlaintextInputShare::decode);
  }

  static Fixture<Report> report() {
    return new Fixture<>("Report",
        new Report(METADATA_1, Hex.bytes("7075626c6963"), CIPHERTEXT_LEADER, CIPHERTEXT_HELPER),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_metadata.report_id
            "0000000000003039", // report_metadata.time
            "00000006", "7075626c6963", // public_share: length, bytes
            "2a", // leader_encrypted_input_share.config_id
            "0004", "656e6321", // leader_encrypted_input_share.enc
            "00000007", "7061796c6f6164", // leader_encrypted_input_share.payload
            "07", // helper_encrypted_input_share.config_id
            "0003", "6c6561", // helper_encrypted_input_share.enc
            "00000006", "68656c706572"), // helper_encrypted_input_share.payload
        Report::decode);
  }

  static Fixture<InputShareAad> inputShareAad() {
    return new Fixture<>("InputShareAad", new InputShareAad(TASK_ID, METADATA_1, new byte[0]),
        hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", // task_id
            "0102030405060708090a0b0c0d0e0f10", // report_metadata.report_id
            "0000000000003039", // report_metadata.time
            "00000000"), // public_share: length 0
        InputShareAad::decode);
  }

  // ----- aggregation -----

  static Fixture<ReportShare> reportShare() {
    return new Fixture<>("ReportShare", REPORT_SHARE,
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_metadata.report_id
            "0000000000003039", // report_metadata.time
            "00000006", "7075626c6963", // public_share: length, bytes
            "07", // encrypted_input_share.config_id
            "0003", "6c6561", // encrypted_input_share.enc
            "00000006", "68656c706572"), // encrypted_input_share.payload
        ReportShare::decode);
  }

  static Fixture<PrepareInit> prepareInit() {
    return new Fixture<>("PrepareInit", new PrepareInit(REPORT_SHARE, Hex.bytes("00000000")),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_share.report_metadata.report_id
            "0000000000003039", // report_share.report_metadata.time
            "00000006", "7075626c6963", // report_share.public_share
            "07", // report_share.encrypted_input_share.config_id
            "0003", "6c6561", // report_share.encrypted_input_share.enc
            "00000006", "68656c706572", // report_share.encrypted_input_share.payload
            "00000004", "00000000"), // payload: length, bytes (a ping-pong message)
        PrepareInit::decode);
  }

  static Fixture<PrepareResp> prepareRespContinue() {
    return new Fixture<>("PrepareResp(continue)",
        new PrepareResp(REPORT_ID_1, PrepareStepResult.continueWith(PING_PONG_FINISH)),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_id
            "00", // prepare_resp_state = continue
            "00000009", "020000000470726570"), // payload: length, ping-pong finish("prep")
        PrepareResp::decode);
  }

  static Fixture<PrepareResp> prepareRespFinished() {
    return new Fixture<>("PrepareResp(finished)",
        new PrepareResp(REPORT_ID_2, PrepareStepResult.finished()),
        hex(
            "100f0e0d0c0b0a090807060504030201", // report_id
            "01"), // prepare_resp_state = finished
        PrepareResp::decode);
  }

  static Fixture<PrepareResp> prepareRespReject() {
    return new Fixture<>("PrepareResp(reject)",
        new PrepareResp(REPORT_ID_1, PrepareStepResult.reject(PrepareError.VDAF_PREP_ERROR)),
        hex(
            "0102030405060708090a0b0c0d0e0f10", // report_id
            "02", // prepare_resp_state = reject
            "05"), // prepare_error = vdaf_prep_error
        PrepareResp::decode);
  }

  static Fixture<PrepareError> prepareError() {
    return new Fixture<>("PrepareError", PrepareError.REPORT_TOO_EARLY,
        "09", // prepare_error = report_too_early
        PrepareError::decode);
  }

  static Fixture<PrepareContinue> prepareContinue() {
    return new Fixture<>("PrepareContinue", new PrepareContinue(REPORT_ID_2, PING_PONG_FINISH),
        hex(
            "100f0e0d0c0b0a090807060504030201", // report_id
            "00000009", "020000000470726570"), // payload: length, bytes
        PrepareContinue::decode);
  }

  static Fixture<AggregationJobStep> aggregationJobStep() {
    return new Fixture<>("AggregationJobStep", AggregationJobStep.of(0x1234),
        "1234", // step
        AggregationJobStep::decode);
  }

  static Fixture<AggregationJobInitReq<QueryType.TimeInterval>>
      aggregationJobInitReqTimeInterval() {
    return new Fixture<>("AggregationJobInitReq(time_interval)",
        new AggregationJobInitReq<>(new byte[0], PartialBatchSelector.timeInterval(),
            List.of(new PrepareInit(REPORT_SHARE, Hex.bytes("70726570")))),
        hex(
            "00000000", // agg_param: length 0
            "01", // part_batch_selector.query_type = time_interval
            "0000003a", // length of prepare_inits (58)
            "0102030405060708090a0b0c0d0e0f10", // prepare_inits[0].report_share.metadata.report_id
            "0000000000003039", // prepare_inits[0].report_share.metadata.time
            "00000006", "7075626c6963", // prepare_inits[0].report_share.public_share
            "07", // prepare_inits[0].report_share.encrypted_input_share.config_id
            "0003", "6c6561", // ....encrypted_input_share.enc
            "00000006", "68656c706572", // ....encrypted_input_share.payload
            "00000004", "70726570"), // prepare_inits[0].payload
        d -> AggregationJobInitReq.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<AggregationJobInitReq<QueryType.FixedSize>> aggregationJobInitReqFixedSize() {
    return new Fixture<>("AggregationJobInitReq(fixed_size)",
        new AggregationJobInitReq<>(Hex.bytes("706172616d"),
            PartialBatchSelector.fixedSize(BATCH_ID),
            List.of(
                new PrepareInit(REPORT_SHARE, new byte[0]),
                new PrepareInit(new ReportShare(METADATA_2, new byte[0], CIPHERTEXT_LEADER),
                    Hex.bytes("70726570")))),
        hex(
            "00000005", "706172616d", // agg_param: length, bytes
            "02", // part_batch_selector.query_type = fixed_size
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", // batch_id
            "0000006c", // length of prepare_inits (108)
            // prepare_inits[0]
            "0102030405060708090a0b0c0d0e0f10", // report_share.metadata.report_id
            "0000000000003039", // report_share.metadata.time
            "00000006", "7075626c6963", // report_share.public_share
            "07", // report_share.encrypted_input_share.config_id
            "0003", "6c6561", // report_share.encrypted_input_share.enc
            "00000006", "68656c706572", // report_share.encrypted_input_share.payload
            "00000000", // payload: length 0
            // prepare_inits[1]
            "100f0e0d0c0b0a090807060504030201", // report_share.metadata.report_id
            "000000000000d431", // report_share.metadata.time
            "00000000", // report_share.public_share: length 0
            "2a", // report_share.encrypted_input_share.config_id
            "0004", "656e6321", // report_share.encrypted_input_share.enc
            "00000007", "7061796c6f6164", // report_share.encrypted_input_share.payload
            "00000004", "70726570"), // payload
        d -> AggregationJobInitReq.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<AggregationJobContinueReq> aggregationJobContinueReq() {
    return new Fixture<>("AggregationJobContinueReq",
        new AggregationJobContinueReq(AggregationJobStep.of(1),
            List.of(new PrepareContinue(REPORT_ID_1, Hex.bytes("70726570")),
                new PrepareContinue(REPORT_ID_2, new byte[0]))),
        hex(
            "0001", // step
            "0000002c", // length of prepare_continues (44)
            "0102030405060708090a0b0c0d0e0f10", // prepare_continues[0].report_id
            "00000004", "70726570", // prepare_continues[0].payload
            "100f0e0d0c0b0a090807060504030201", // prepare_continues[1].report_id
            "00000000"), // prepare_continues[1].payload: length 0
        AggregationJobContinueReq::decode);
  }

  static Fixture<AggregationJobResp> aggregationJobResp() {
    return new Fixture<>("AggregationJobResp",
        new AggregationJobResp(List.of(
            new PrepareResp(REPORT_ID_1, PrepareStepResult.continueWith(PING_PONG_FINISH)),
            new PrepareResp(REPORT_ID_2, PrepareStepResult.reject(PrepareError.BATCH_COLLECTED)),
            new PrepareResp(REPORT_ID_1, PrepareStepResult.finished()))),
        hex(
            "00000041", // length of prepare_resps (65)
            "0102030405060708090a0b0c0d0e0f10", // prepare_resps[0].report_id
            "00", // prepare_resps[0].prepare_resp_state = continue
            "00000009", "020000000470726570", // prepare_resps[0].payload
            "100f0e0d0c0b0a090807060504030201", // prepare_resps[1].report_id
            "02", // prepare_resps[1].prepare_resp_state = reject
            "00", // prepare_resps[1].prepare_error = batch_collected
            "0102030405060708090a0b0c0d0e0f10", // prepare_resps[2].report_id
            "01"), // prepare_resps[2].prepare_resp_state = finished
        AggregationJobResp::decode);
  }

  // ----- queries, selectors, collection -----

  static Fixture<Query<QueryType.TimeInterval>> queryTimeInterval() {
    return new Fixture<>("Query(time_interval)", Query.timeInterval(INTERVAL),
        hex(
            "01", // query_type = time_interval
            "0000000062eaa1c0", // batch_interval.start
            "00000000000003e8"), // batch_interval.duration
        d -> Query.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<Query<QueryType.FixedSize>> queryByBatchId() {
    return new Fixture<>("Query(fixed_size, by_batch_id)", Query.byBatchId(BATCH_ID),
        hex(
            "02", // query_type = fixed_size
            "00", // fixed_size_query.query_type = by_batch_id
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), // batch_id
        d -> Query.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<Query<QueryType.FixedSize>> queryCurrentBatch() {
    return new Fixture<>("Query(fixed_size, current_batch)", Query.currentBatch(),
        hex(
            "02", // query_type = fixed_size
            "01"), // fixed_size_query.query_type = current_batch
        d -> Query.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<FixedSizeQuery> fixedSizeQuery() {
    return new Fixture<>("FixedSizeQuery", FixedSizeQuery.byBatchId(BATCH_ID),
        hex(
            "00", // query_type = by_batch_id
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), // batch_id
        FixedSizeQuery::decode);
  }

  static Fixture<QueryType> queryType() {
    return new Fixture<>("QueryType", QueryType.FIXED_SIZE,
        "02", // query_type = fixed_size
        QueryType::decode);
  }

  static Fixture<PartialBatchSelector<QueryType.TimeInterval>> partialBatchSelectorTimeInterval() {
    return new Fixture<>("PartialBatchSelector(time_interval)", PartialBatchSelector.timeInterval(),
        "01", // query_type = time_interval (body is Empty)
        d -> PartialBatchSelector.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<PartialBatchSelector<QueryType.FixedSize>> partialBatchSelectorFixedSize() {
    return new Fixture<>("PartialBatchSelector(fixed_size)",
        PartialBatchSelector.fixedSize(BATCH_ID),
        hex(
            "02", // query_type = fixed_size
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), // batch_id
        d -> PartialBatchSelector.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<BatchSelector<QueryType.TimeInterval>> batchSelectorTimeInterval() {
    return new Fixture<>("BatchSelector(time_interval)", BatchSelector.timeInterval(INTERVAL),
        hex(
            "01", // query_type = time_interval
            "0000000062eaa1c0", // batch_interval.start
            "00000000000003e8"), // batch_interval.duration
        d -> BatchSelector.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<BatchSelector<QueryType.FixedSize>> batchSelectorFixedSize() {
    return new Fixture<>("BatchSelector(fixed_size)", BatchSelector.fixedSize(BATCH_ID),
        hex(
            "02", // query_type = fixed_size
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), // batch_id
        d -> BatchSelector.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<CollectionReq<QueryType.TimeInterval>> collectionReqTimeInterval() {
    return new Fixture<>("CollectionReq(time_interval)",
        new CollectionReq<>(Query.timeInterval(INTERVAL), new byte[0]),
        hex(
            "01", // query.query_type = time_interval
            "0000000062eaa1c0", // query.batch_interval.start
            "00000000000003e8", // query.batch_interval.duration
            "00000000"), // agg_param: length 0
        d -> CollectionReq.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<CollectionReq<QueryType.FixedSize>> collectionReqFixedSize() {
    return new Fixture<>("CollectionReq(fixed_size)",
        new CollectionReq<>(Query.currentBatch(), Hex.bytes("706172616d")),
        hex(
            "02", // query.query_type = fixed_size
            "01", // query.fixed_size_query.query_type = current_batch
            "00000005", "706172616d"), // agg_param: length, bytes
        d -> CollectionReq.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<Collection<QueryType.TimeInterval>> collectionTimeInterval() {
    return new Fixture<>("Collection(time_interval)",
        new Collection<>(PartialBatchSelector.timeInterval(), 23, INTERVAL, CIPHERTEXT_LEADER,
            CIPHERTEXT_HELPER),
        hex(
            "01", // part_batch_selector.query_type = time_interval
            "0000000000000017", // report_count
            "0000000062eaa1c0", // interval.start
            "00000000000003e8", // interval.duration
            "2a", // leader_encrypted_agg_share.config_id
            "0004", "656e6321", // leader_encrypted_agg_share.enc
            "00000007", "7061796c6f6164", // leader_encrypted_agg_share.payload
            "07", // helper_encrypted_agg_share.config_id
            "0003", "6c6561", // helper_encrypted_agg_share.enc
            "00000006", "68656c706572"), // helper_encrypted_agg_share.payload
        d -> Collection.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<Collection<QueryType.FixedSize>> collectionFixedSize() {
    return new Fixture<>("Collection(fixed_size)",
        new Collection<>(PartialBatchSelector.fixedSize(BATCH_ID), 100,
            Interval.of(1700000000L, 86400L), CIPHERTEXT_HELPER, CIPHERTEXT_LEADER),
        hex(
            "02", // part_batch_selector.query_type = fixed_size
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", // batch_id
            "0000000000000064", // report_count
            "000000006553f100", // interval.start
            "0000000000015180", // interval.duration
            "07", // leader_encrypted_agg_share.config_id
            "0003", "6c6561", // leader_encrypted_agg_share.enc
            "00000006", "68656c706572", // leader_encrypted_agg_share.payload
            "2a", // helper_encrypted_agg_share.config_id
            "0004", "656e6321", // helper_encrypted_agg_share.enc
            "00000007", "7061796c6f6164"), // helper_encrypted_agg_share.payload
        d -> Collection.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<AggregateShareReq<QueryType.TimeInterval>> aggregateShareReqTimeInterval() {
    return new Fixture<>("AggregateShareReq(time_interval)",
        new AggregateShareReq<>(BatchSelector.timeInterval(INTERVAL), new byte[0], 439,
            checksum().value()),
        hex(
            "01", // batch_selector.query_type = time_interval
            "0000000062eaa1c0", // batch_selector.batch_interval.start
            "00000000000003e8", // batch_selector.batch_interval.duration
            "00000000", // agg_param: length 0
            "00000000000001b7", // report_count
            "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), // checksum
        d -> AggregateShareReq.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<AggregateShareReq<QueryType.FixedSize>> aggregateShareReqFixedSize() {
    return new Fixture<>("AggregateShareReq(fixed_size)",
        new AggregateShareReq<>(BatchSelector.fixedSize(BATCH_ID), Hex.bytes("706172616d"), 0,
            ReportIdChecksum.ZERO),
        hex(
            "02", // batch_selector.query_type = fixed_size
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", // batch_id
            "00000005", "706172616d", // agg_param: length, bytes
            "0000000000000000", // report_count
            "0000000000000000000000000000000000000000000000000000000000000000"), // checksum
        d -> AggregateShareReq.decode(d, QueryType.FIXED_SIZE));
  }

  static Fixture<AggregateShare> aggregateShare() {
    return new Fixture<>("AggregateShare", new AggregateShare(CIPHERTEXT_HELPER),
        hex(
            "07", // encrypted_aggregate_share.config_id
            "0003", "6c6561", // encrypted_aggregate_share.enc
            "00000006", "68656c706572"), // encrypted_aggregate_share.payload
        AggregateShare::decode);
  }

  static Fixture<AggregateShareAad<QueryType.TimeInterval>> aggregateShareAadTimeInterval() {
    return new Fixture<>("AggregateShareAad(time_interval)",
        new AggregateShareAad<>(TASK_ID, new byte[0], BatchSelector.timeInterval(INTERVAL)),
        hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", // task_id
            "00000000", // agg_param: length 0
            "01", // batch_selector.query_type = time_interval
            "0000000062eaa1c0", // batch_selector.batch_interval.start
            "00000000000003e8"), // batch_selector.batch_interval.duration
        d -> AggregateShareAad.decode(d, QueryType.TIME_INTERVAL));
  }

  static Fixture<AggregateShareAad<QueryType.FixedSize>> aggregateShareAadFixedSize() {
    return new Fixture<>("AggregateShareAad(fixed_size)",
        new AggregateShareAad<>(
            TASK_ID, Hex.bytes("706172616d"), BatchSelector.fixedSize(BATCH_ID)),
        hex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", // task_id
            "00000005", "706172616d", // agg_param: length, bytes
            "02", // batch_selector.query_type = fixed_size
            "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"), // batch_id
        d -> AggregateShareAad.decode(d, QueryType.FIXED_SIZE));
  }

  /** Every fixture above. */
  static List<Fixture<?>> all() {
    return List.of(
        taskId(), reportId(), batchId(), aggregationJobId(), collectionJobId(), checksum(),
        time(), duration(), interval(), role(),
        hpkeConfigId(), hpkeKemId(), hpkeKdfId(), hpkeAeadId(), hpkePublicKey(), hpkeConfig(),
        hpkeConfigList(), hpkeCiphertext(),
        reportMetadata(), extensionType(), extension(), plaintextInputShare(), report(),
        inputShareAad(),
        reportShare(), prepareInit(), prepareRespContinue(), prepareRespFinished(),
        prepareRespReject(), prepareError(), prepareContinue(), aggregationJobStep(),
        aggregationJobInitReqTimeInterval(), aggregationJobInitReqFixedSize(),
        aggregationJobContinueReq(), aggregationJobResp(),
        queryTimeInterval(), queryByBatchId(), queryCurrentBatch(), fixedSizeQuery(), queryType(),
        partialBatchSelectorTimeInterval(), partialBatchSelectorFixedSize(),
        batchSelectorTimeInterval(), batchSelectorFixedSize(),
        collectionReqTimeInterval(), collectionReqFixedSize(),
        collectionTimeInterval(), collectionFixedSize(),
        aggregateShareReqTimeInterval(), aggregateShareReqFixedSize(), aggregateShare(),
        aggregateShareAadTimeInterval(), aggregateShareAadFixedSize(),
        taskprovTaskConfig(), taskprovQueryConfig(), taskprovVdafConfig(), taskprovVdafType());
  }

  // ----- taskprov (draft-wang-ppm-dap-taskprov-06 §3) -----

  static Fixture<io.pando.dap.messages.taskprov.TaskConfig> taskprovTaskConfig() {
    return new Fixture<>("taskprov.TaskConfig", new io.pando.dap.messages.taskprov.TaskConfig(
        Hex.bytes("66"), "https://l/", "https://h/",
        io.pando.dap.messages.taskprov.QueryConfig.timeInterval(Duration.ofSeconds(60), 1, 10),
        Time.ofSeconds(1700000000L), taskprovVdafConfig().value()),
        hex("01", "66",                        // task_info
            "000a", "68747470733a2f2f6c2f",    // leader_aggregator_endpoint "https://l/"
            "000a", "68747470733a2f2f682f",    // helper_aggregator_endpoint "https://h/"
            "000f", "000000000000003c", "0001", "0000000a", "01", // query_config
            "000000006553f100",                // task_expiration
            "0010", "0001", "01",              // vdaf_config length, dp_config: none
            "00000002", "00000001", "02", "00000000"), // vdaf_type sum_vec(1, 2, 0)
        io.pando.dap.messages.taskprov.TaskConfig::decode);
  }

  static Fixture<io.pando.dap.messages.taskprov.QueryConfig> taskprovQueryConfig() {
    return new Fixture<>("taskprov.QueryConfig",
        io.pando.dap.messages.taskprov.QueryConfig.fixedSize(Duration.ofSeconds(3600), 1, 10, 20),
        hex("0000000000000e10", // time_precision
            "0001",             // max_batch_query_count
            "0000000a",         // min_batch_size
            "02",               // query_type fixed_size
            "00000014"),        // max_batch_size
        io.pando.dap.messages.taskprov.QueryConfig::decode);
  }

  static Fixture<io.pando.dap.messages.taskprov.VdafConfig> taskprovVdafConfig() {
    return new Fixture<>("taskprov.VdafConfig", new io.pando.dap.messages.taskprov.VdafConfig(
        io.pando.dap.messages.taskprov.DpConfig.NO_DP,
        new io.pando.dap.messages.taskprov.VdafType.Prio3SumVec(1, 2, 0)),
        hex("0001", "01",  // dp_config: none
            "00000002",    // vdaf_type prio3_sum_vec
            "00000001",    // length
            "02",          // bits
            "00000000"),   // chunk_length
        io.pando.dap.messages.taskprov.VdafConfig::decode);
  }

  static Fixture<io.pando.dap.messages.taskprov.VdafType> taskprovVdafType() {
    return new Fixture<>("taskprov.VdafType",
        new io.pando.dap.messages.taskprov.VdafType.Prio3Histogram(4, 2),
        hex("00000003", "00000004", "00000002"), // prio3_histogram, length, chunk_length
        io.pando.dap.messages.taskprov.VdafType::decode);
  }
}
