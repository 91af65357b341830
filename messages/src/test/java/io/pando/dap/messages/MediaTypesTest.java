package io.pando.dap.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MediaTypesTest {
  @Test
  void dap09MediaTypes() {
    assertEquals("application/dap-hpke-config-list", MediaTypes.HPKE_CONFIG_LIST);
    assertEquals("application/dap-report", MediaTypes.REPORT);
    assertEquals("application/dap-aggregation-job-init-req", MediaTypes.AGGREGATION_JOB_INIT_REQ);
    assertEquals("application/dap-aggregation-job-resp", MediaTypes.AGGREGATION_JOB_RESP);
    assertEquals("application/dap-aggregation-job-continue-req",
        MediaTypes.AGGREGATION_JOB_CONTINUE_REQ);
    assertEquals("application/dap-aggregate-share-req", MediaTypes.AGGREGATE_SHARE_REQ);
    assertEquals("application/dap-aggregate-share", MediaTypes.AGGREGATE_SHARE);
    assertEquals("application/dap-collect-req", MediaTypes.COLLECT_REQ);
    assertEquals("application/dap-collection", MediaTypes.COLLECTION);
    assertEquals("application/problem+json", MediaTypes.PROBLEM_JSON);
  }
}
