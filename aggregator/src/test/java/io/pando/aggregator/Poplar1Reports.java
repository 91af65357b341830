package io.pando.aggregator;

import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeSealer;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.vdaf.poplar1.Poplar1;
import io.pando.vdaf.poplar1.Poplar1Sharded;
import java.math.BigInteger;
import java.util.List;

/** Poplar1 reports for tests, sealed as a DAP-09 client seals them. */
public final class Poplar1Reports {
  private Poplar1Reports() {}

  /** A report of {@code measurement} at {@code time}, both shares sealed with {@code sealer}. */
  public static Report report(TaskId id, Poplar1 poplar, long measurement, long time,
      HpkeSealer sealer) {
    ReportId rid = ReportId.random();
    Poplar1Sharded s = poplar.shard(BigInteger.valueOf(measurement), rid.bytes());
    byte[] pub = poplar.encodePublicShare(s.publicShare());
    ReportMetadata md = new ReportMetadata(rid, Time.ofSeconds(time));
    byte[] aad = new InputShareAad(id, md, pub).encode();
    HpkeCiphertext[] shares = new HpkeCiphertext[2];
    for (int j = 0; j < 2; j++) {
      shares[j] = sealer.seal(ApplicationInfo.inputShare(j == 0 ? Role.LEADER : Role.HELPER),
          new PlaintextInputShare(List.of(), poplar.encodeInputShare(s.inputShares().get(j)))
              .encode(), aad);
    }
    return new Report(md, pub, shares[0], shares[1]);
  }
}
