package io.pando.vdaf.prio3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pando.vdaf.VdafException;
import io.pando.vdaf.VdafVersion;
import io.pando.vdaf.field.Field64;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Prio3 with any number of aggregators, both drafts: random SHARES in [2, 10] and random valid
 * parameters; unshard of the aggregate equals the sum of the measurements, and one tampered input
 * share or prep share of any one aggregator makes preparation fail. Seeded, so stable.
 */
class Prio3SharesPropertyTest {
  private static final int ROUNDS = 40;
  private static final byte[] CTX = "pando test".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** A variant with a generator of random measurements and the plain sum of those. */
  private record Case<M, R>(Prio3<M, R> prio3, Function<Random, M> measurement,
      Function<List<M>, R> expected) {}

  private static Case<?, ?> randomCase(Random rng, VdafVersion version) {
    boolean d20 = version == VdafVersion.DRAFT_20;
    int length = 1 + rng.nextInt(12);
    int chunk = 1 + rng.nextInt(5);
    switch (rng.nextInt(5)) {
      case 0 -> {
        return new Case<>(d20 ? Prio3.Draft20.count() : Prio3.count(), Random::nextBoolean,
            ms -> ms.stream().filter(b -> b).count());
      }
      case 1 -> {
        if (d20) {
          long max = 1 + rng.nextInt(5000);
          return new Case<>(Prio3.Draft20.sum(max), r -> (long) r.nextInt((int) max + 1),
              Prio3SharesPropertyTest::sumLongs);
        }
        int bits = 1 + rng.nextInt(16);
        return new Case<>(Prio3.sum(bits), r -> (long) r.nextInt(1 << bits),
            Prio3SharesPropertyTest::sumLongs);
      }
      case 2 -> {
        int bits = 1 + rng.nextInt(6);
        long max = d20 ? 1 + rng.nextInt(300) : (1L << bits) - 1;
        Prio3<List<Long>, List<BigInteger>> p = d20 ? Prio3.Draft20.sumVec(length, max, chunk)
            : rng.nextBoolean() ? Prio3.sumVec(length, bits, chunk)
            : Prio3.sumVecField64Multiproof(0xFFFFFFFF,
                io.pando.vdaf.xof.XofTurboShake128.INSTANCE, 2 + rng.nextInt(3), length, bits,
                chunk);
        if (d20 && rng.nextBoolean()) {
          p = Prio3.Draft20.sumVecWithMultiproof(Field64.INSTANCE, 2 + rng.nextInt(3), length,
              max, chunk);
        }
        return new Case<>(p, r -> {
          List<Long> m = new ArrayList<>();
          for (int i = 0; i < length; i++) {
            m.add((long) r.nextInt((int) max + 1));
          }
          return m;
        }, ms -> {
          List<BigInteger> sum = new ArrayList<>();
          for (int i = 0; i < length; i++) {
            final int k = i;
            sum.add(BigInteger.valueOf(ms.stream().mapToLong(m -> m.get(k)).sum()));
          }
          return sum;
        });
      }
      case 3 -> {
        return new Case<>(d20 ? Prio3.Draft20.histogram(length, chunk)
            : Prio3.histogram(length, chunk), r -> r.nextInt(length), ms -> {
              List<Long> counts = new ArrayList<>();
              for (int i = 0; i < length; i++) {
                final int k = i;
                counts.add(ms.stream().filter(m -> m == k).count());
              }
              return counts;
            });
      }
      default -> {
        int maxWeight = 1 + rng.nextInt(length);
        return new Case<>(d20 ? Prio3.Draft20.multihotCountVec(length, maxWeight, chunk)
            : Prio3.multihotCountVec(length, maxWeight, chunk), r -> {
              List<Boolean> m = new ArrayList<>();
              int weight = 0;
              for (int i = 0; i < length; i++) {
                boolean b = weight < maxWeight && r.nextBoolean();
                weight += b ? 1 : 0;
                m.add(b);
              }
              return m;
            }, ms -> {
              List<Long> counts = new ArrayList<>();
              for (int i = 0; i < length; i++) {
                final int k = i;
                counts.add(ms.stream().filter(m -> m.get(k)).count());
              }
              return counts;
            });
      }
    }
  }

  private static BigInteger sumLongs(List<Long> ms) {
    return BigInteger.valueOf(ms.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void anyNumberOfAggregatorsUnshardsToTheSum() throws Exception {
    Random rng = new Random(4242);
    for (int round = 0; round < ROUNDS; round++) {
      for (VdafVersion version : VdafVersion.values()) {
        int shares = 2 + rng.nextInt(9);
        check(randomCase(rng, version), shares, rng, version);
      }
    }
  }

  private static <M, R> void check(Case<M, R> c, int shares, Random rng, VdafVersion version)
      throws Exception {
    Prio3<M, R> p = c.prio3().withShares(shares);
    assertEquals(shares, p.shares());
    assertEquals(version, p.version());
    byte[] ctx = version.hasContext() ? CTX : new byte[0];
    byte[] verifyKey = random(rng, p.verifyKeySize());
    List<M> measurements = new ArrayList<>();
    List<List<OutputShare>> out = new ArrayList<>();
    for (int j = 0; j < shares; j++) {
      out.add(new ArrayList<>());
    }
    int reports = 1 + rng.nextInt(3);
    for (int n = 0; n < reports; n++) {
      M m = c.measurement().apply(rng);
      measurements.add(m);
      byte[] nonce = random(rng, Prio3.NONCE_SIZE);
      Encoded e = Encoded.of(p, ctx, m, nonce, random(rng, p.randSize()));
      List<OutputShare> got = prepare(p, verifyKey, ctx, nonce, e);
      for (int j = 0; j < shares; j++) {
        out.get(j).add(got.get(j));
      }
      tamperOne(p, verifyKey, ctx, nonce, e, rng);
    }
    List<AggregateShare> aggs = new ArrayList<>();
    for (List<OutputShare> o : out) {
      aggs.add(p.aggregate(o));
    }
    assertEquals(c.expected().apply(measurements), p.unshard(aggs, reports), p + " x" + shares);
  }

  /** The encoded shares of one report. */
  private record Encoded(byte[] publicShare, List<byte[]> inputShares) {
    static <M> Encoded of(Prio3<M, ?> p, byte[] ctx, M m, byte[] nonce, byte[] rand) {
      Sharded s = p.shard(ctx, m, nonce, rand);
      List<byte[]> in = new ArrayList<>();
      for (int j = 0; j < p.shares(); j++) {
        byte[] b = p.encodeInputShare(s.inputShares().get(j));
        assertEquals(p.inputShareLength(j), b.length);
        in.add(b);
      }
      return new Encoded(p.encodePublicShare(s.publicShare()), in);
    }

    Encoded withInputShare(int j, byte[] b) {
      List<byte[]> in = new ArrayList<>(inputShares);
      in.set(j, b);
      return new Encoded(publicShare, in);
    }
  }

  private static List<OutputShare> prepare(Prio3<?, ?> p, byte[] verifyKey, byte[] ctx,
      byte[] nonce, Encoded e) throws Exception {
    return prepare(p, verifyKey, ctx, nonce, e, -1);
  }

  /** Prepares a report; with {@code tamperPrepShare >= 0}, that aggregator's prep share changes. */
  private static List<OutputShare> prepare(Prio3<?, ?> p, byte[] verifyKey, byte[] ctx,
      byte[] nonce, Encoded e, int tamperPrepShare) throws Exception {
    PublicShare ps = p.decodePublicShare(e.publicShare());
    List<VerifyInit> inits = new ArrayList<>();
    List<VerifierShare> prepShares = new ArrayList<>();
    for (int j = 0; j < p.shares(); j++) {
      VerifyInit init = p.verifyInit(verifyKey, ctx, j, nonce, ps,
          p.decodeInputShare(j, e.inputShares().get(j)));
      inits.add(init);
      byte[] share = p.encodeVerifierShare(init.share());
      if (j == tamperPrepShare) {
        share[0] ^= 1; // the low byte of the first verifier element: stays a field element
      }
      prepShares.add(p.decodeVerifierShare(share));
    }
    VerifierMessage msg = p.verifierSharesToMessage(ctx, prepShares);
    List<OutputShare> out = new ArrayList<>();
    for (VerifyInit init : inits) {
      out.add(p.verifyNext(init.state(), msg));
    }
    return out;
  }

  /** One random tampering of one random aggregator, which preparation must refuse. */
  private static void tamperOne(Prio3<?, ?> p, byte[] verifyKey, byte[] ctx, byte[] nonce,
      Encoded e, Random rng) {
    int j = rng.nextInt(p.shares());
    switch (rng.nextInt(3)) {
      case 0 -> {
        byte[] share = e.inputShares().get(j).clone();
        if (j == 0) {
          // A field element of the measurement or proofs share (low byte: stays below p).
          int size = p.field().encodedSize();
          int elements = (share.length - (p.usesJointRand() ? p.verifyKeySize() : 0)) / size;
          share[rng.nextInt(elements) * size] ^= 1;
        } else {
          share[rng.nextInt(share.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        Encoded bad = e.withInputShare(j, share);
        assertThrows(VdafException.class, () -> prepare(p, verifyKey, ctx, nonce, bad),
            p + ": input share of aggregator " + j);
      }
      case 1 -> assertThrows(VdafException.class,
          () -> prepare(p, verifyKey, ctx, nonce, e, j), p + ": prep share of aggregator " + j);
      default -> {
        if (p.version().hasContext()) {
          byte[] otherCtx = ctx.clone();
          otherCtx[rng.nextInt(otherCtx.length)] ^= 1;
          assertThrows(VdafException.class, () -> prepare(p, verifyKey, otherCtx, nonce, e),
              p + ": another application context");
        } else {
          assertThrows(IllegalArgumentException.class,
              () -> prepare(p, verifyKey, new byte[] {1}, nonce, e),
              p + ": draft-08 has no application context");
        }
      }
    }
  }

  private static byte[] random(Random rng, int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return b;
  }
}
