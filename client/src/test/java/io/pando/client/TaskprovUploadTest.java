package io.pando.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.taskprov.Taskprov;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.taskprov.DpConfig;
import io.pando.dap.messages.taskprov.QueryConfig;
import io.pando.dap.messages.taskprov.TaskConfig;
import io.pando.dap.messages.taskprov.VdafConfig;
import io.pando.dap.messages.taskprov.VdafType;
import io.pando.vdaf.prio3.Prio3;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uploads to a taskprov task (draft-wang-ppm-dap-taskprov-06 §4): header, extension, task id. */
class TaskprovUploadTest {
  static final TaskConfig CONFIG = new TaskConfig("demo".getBytes(), "https://leader.test/",
      "https://helper.test/", QueryConfig.timeInterval(Duration.ofSeconds(3600), 1, 10),
      Time.ofSeconds(4_000_000_000L),
      new VdafConfig(DpConfig.NO_DP, new VdafType.Prio3Histogram(4, 2)));

  @Test
  void uploadCarriesTheHeaderAndBothSharesTheExtension() throws Exception {
    HpkeKeypair leaderKey = HpkeKeypair.generate(HpkeConfigId.of(1),
        HpkeSuite.X25519_SHA256_AES128GCM);
    HpkeKeypair helperKey = HpkeKeypair.generate(HpkeConfigId.of(2),
        HpkeSuite.X25519_SHA256_AES128GCM);
    List<HttpTransport.Request> seen = new ArrayList<>();
    HttpTransport http = r -> {
      seen.add(r);
      if (r.method().equals("GET")) {
        HpkeKeypair k = r.uri().getHost().startsWith("leader") ? leaderKey : helperKey;
        return new HttpTransport.Response(200, Map.of(),
            new HpkeConfigList(List.of(k.config())).encode());
      }
      return new HttpTransport.Response(201, Map.of(), new byte[0]);
    };
    DapTask<Integer> task = DapTask.taskprov(CONFIG, Prio3.histogram(4, 2));
    assertEquals(CONFIG.taskId(), task.id());
    assertEquals(URI.create("https://leader.test/"), task.leader());
    new DapClient<>(task, http).upload(3);

    // The task is unknown until this upload: the configs are the global ones (no task_id).
    assertEquals(URI.create("https://leader.test/hpke_config"), seen.get(0).uri());
    assertEquals(URI.create("https://helper.test/hpke_config"), seen.get(1).uri());
    HttpTransport.Request put = seen.get(2);
    assertEquals(URI.create("https://leader.test/tasks/" + CONFIG.taskId().toBase64Url()
        + "/reports"), put.uri());
    assertEquals(CONFIG.toHeader(), put.headers().get(TaskConfig.HEADER));
    Report report = Report.decode(put.body());
    byte[] aad = report.inputShareAad(task.id()).encode();
    PlaintextInputShare leader = PlaintextInputShare.decode(leaderKey.open(
        ApplicationInfo.inputShare(Role.LEADER), report.leaderEncryptedInputShare(), aad));
    PlaintextInputShare helper = PlaintextInputShare.decode(helperKey.open(
        ApplicationInfo.inputShare(Role.HELPER), report.helperEncryptedInputShare(), aad));
    assertEquals(List.of(Taskprov.EXTENSION), leader.extensions());
    assertEquals(List.of(Taskprov.EXTENSION), helper.extensions());
  }

  @Test
  void theVdafMustBeTheConfigs() {
    assertThrows(IllegalArgumentException.class,
        () -> DapTask.taskprov(CONFIG, Prio3.histogram(5, 2)));
    assertThrows(IllegalArgumentException.class, () -> DapTask.taskprov(CONFIG, Prio3.count()));
  }
}
