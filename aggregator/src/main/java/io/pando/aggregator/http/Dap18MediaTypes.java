package io.pando.aggregator.http;

/** The DAP-18 media types the aggregator serves (draft-ietf-ppm-dap-18 §9.1). */
public final class Dap18MediaTypes {
  public static final String HPKE_CONFIG_LIST = "application/ppm-dap;message=hpke-config-list";
  public static final String UPLOAD_REQ = "application/ppm-dap;message=upload-req";
  public static final String UPLOAD_ERRORS = "application/ppm-dap;message=upload-errors";

  private Dap18MediaTypes() {}
}
