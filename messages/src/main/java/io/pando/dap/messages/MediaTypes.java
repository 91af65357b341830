package io.pando.dap.messages;

/**
 * The DAP-09 message media types (§8.1). Each names the body of one request or response.
 */
public final class MediaTypes {
  /** {@link HpkeConfigList}, the answer to {@code GET {aggregator}/hpke_config} (§4.4.1). */
  public static final String HPKE_CONFIG_LIST = "application/dap-hpke-config-list";

  /** {@link Report}, the body of {@code PUT {leader}/tasks/{task-id}/reports} (§4.4.2). */
  public static final String REPORT = "application/dap-report";

  /** {@link AggregationJobInitReq}, the body of {@code PUT .../aggregation_jobs/{id}}. */
  public static final String AGGREGATION_JOB_INIT_REQ = "application/dap-aggregation-job-init-req";

  /** {@link AggregationJobResp}, the Helper's answer to init and continue (§4.5.1.2). */
  public static final String AGGREGATION_JOB_RESP = "application/dap-aggregation-job-resp";

  /**
   * {@link AggregationJobContinueReq}, the body of {@code POST .../aggregation_jobs/{id}}
   * (§4.5.2.1).
   */
  public static final String AGGREGATION_JOB_CONTINUE_REQ =
      "application/dap-aggregation-job-continue-req";

  /** {@link AggregateShareReq}, the body of {@code POST .../aggregate_shares} (§4.6.2). */
  public static final String AGGREGATE_SHARE_REQ = "application/dap-aggregate-share-req";

  /** {@link AggregateShare}, the Helper's answer to an aggregate share request (§4.6.2). */
  public static final String AGGREGATE_SHARE = "application/dap-aggregate-share";

  /** {@link CollectionReq}, the body of {@code PUT .../collection_jobs/{id}} (§4.6.1). */
  public static final String COLLECT_REQ = "application/dap-collect-req";

  /** {@link Collection}, the Leader's answer to a finished collection job poll (§4.6.1). */
  public static final String COLLECTION = "application/dap-collection";

  /** RFC 9457 problem details, the body of error responses (§3.2). */
  public static final String PROBLEM_JSON = "application/problem+json";

  private MediaTypes() {}
}
