package io.pando.client;

import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.dap18.ReportError;
import io.pando.dap.messages.dap18.ReportUploadStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a DAP-18 bulk upload (draft-ietf-ppm-dap-18 §4.4.2): the id of every report
 * sent, in the order of the measurements, and the statuses of the reports the leader refused
 * ({@code UploadErrors}, in request order). A report not refused was accepted.
 */
public record UploadResult(List<ReportId> reportIds, List<ReportUploadStatus> refused) {
  public UploadResult {
    reportIds = List.copyOf(reportIds);
    refused = List.copyOf(refused);
  }

  /** The ids of the accepted reports, in measurement order. */
  public List<ReportId> accepted() {
    List<ReportId> out = new ArrayList<>();
    for (ReportId id : reportIds) {
      if (!error(id).isPresent()) {
        out.add(id);
      }
    }
    return out;
  }

  /** Why the leader refused report {@code id}; empty if it was accepted. */
  public Optional<ReportError> error(ReportId id) {
    for (ReportUploadStatus s : refused) {
      if (s.id().equals(id)) {
        return Optional.of(s.error());
      }
    }
    return Optional.empty();
  }

  /** Whether every report was accepted. */
  public boolean allAccepted() {
    return refused.isEmpty();
  }

  /** The refused reports by error. */
  public Map<ReportError, Integer> refusedByError() {
    Map<ReportError, Integer> m = new HashMap<>();
    for (ReportUploadStatus s : refused) {
      m.merge(s.error(), 1, Integer::sum);
    }
    return m;
  }
}
