package io.pando.bench;

import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.core.hpke.HpkeSealer;
import io.pando.core.hpke.HpkeSuite;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HPKE as DAP uses it (X25519, HKDF-SHA256, AES-128-GCM): {@code open} is what the leader does
 * once per upload and the helper once per report it prepares; {@code seal} is a client's cost
 * per aggregator; {@code x25519} is the Diffie-Hellman step inside both, alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HpkeBench {
  private static final ApplicationInfo INFO = ApplicationInfo.inputShare(Role.LEADER);

  private HpkeKeypair key;
  private HpkeSealer sealer;
  private HpkeCiphertext ciphertext;
  private byte[] plaintext;
  private byte[] aad;
  private byte[] scalar;
  private byte[] point;
  private final byte[] shared = new byte[X25519.POINT_SIZE];

  @Setup(Level.Trial)
  public void setUp() throws HpkeException {
    Random rng = new Random(42);
    key = HpkeKeypair.generate(HpkeConfigId.of(1), HpkeSuite.X25519_SHA256_AES128GCM);
    sealer = Hpke.sealer(key.config());
    // A real Prio3Count leader share and the InputShareAad a client binds it to (DAP-09 §4.4.2).
    Prio3<Boolean, Long> count = Prio3.count();
    ReportMetadata metadata = new ReportMetadata(ReportId.random(), Time.ofSeconds(1_700_000_000));
    Sharded sharded = count.shard(true, metadata.reportId().bytes());
    byte[] publicShare = count.encodePublicShare(sharded.publicShare());
    plaintext = new PlaintextInputShare(List.of(),
        count.encodeInputShare(sharded.inputShares().get(0))).encode();
    aad = new InputShareAad(TaskId.random(), metadata, publicShare).encode();
    ciphertext = sealer.seal(INFO, plaintext, aad);
    scalar = new byte[X25519.SCALAR_SIZE];
    rng.nextBytes(scalar);
    point = ciphertext.encapsulatedKey();
  }

  @Benchmark
  public byte[] open() throws HpkeException {
    return key.open(INFO, ciphertext, aad);
  }

  @Benchmark
  public HpkeCiphertext seal() {
    return sealer.seal(INFO, plaintext, aad);
  }

  @Benchmark
  public byte[] x25519() {
    X25519.calculateAgreement(scalar, 0, point, 0, shared, 0);
    return shared;
  }
}
