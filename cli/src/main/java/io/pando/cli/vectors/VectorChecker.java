package io.pando.cli.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.codec.DecodeException;
import io.pando.vdaf.VdafException;
import io.pando.vdaf.field.Field;
import io.pando.vdaf.field.Field128;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.InputShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyInit;
import io.pando.vdaf.prio3.VerifierMessage;
import io.pando.vdaf.prio3.VerifierShare;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.PublicShare;
import io.pando.vdaf.prio3.Sharded;
import io.pando.vdaf.xof.Xof;
import io.pando.vdaf.xof.XofFixedKeyAes128;
import io.pando.vdaf.xof.XofTurboShake128;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays the official VDAF test vectors step by step, comparing every intermediate encoding, not
 * only the result: the draft-08 format ({@code poc/test_vec/08}: shard, every aggregator's
 * prep_init, prep_shares_to_prep, prep_next, aggregate and unshard) and the draft-20 format (its
 * {@code operations} list, negative vectors included, see {@link Draft20Prio3}). XOF vectors are
 * checked for derive_seed and expand_into_vec under each draft's XOF.
 *
 * <p>The draft is recognised from the file's content (the draft-20 schema has {@code ctx} and
 * {@code operations}; a draft-20 TurboSHAKE128 seed is 32 bytes), the VDAF from its name and
 * parameters. A file of a VDAF not implemented here would be reported as skipped.
 */
public final class VectorChecker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** Every .json file under the given paths (files or directories), sorted. */
  public static List<Path> vectorFiles(List<Path> roots) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".json"))
              .sorted()
              .forEach(files::add);
        }
      } else {
        files.add(root);
      }
    }
    return files;
  }

  /** Checks one file. Never throws. */
  public Outcome check(Path file) {
    JsonNode v;
    try {
      v = JSON.readTree(file.toFile());
    } catch (IOException e) {
      return Outcome.failed(file, "not readable as JSON: " + e.getMessage());
    }
    if (v == null || !v.isObject()) {
      return Outcome.failed(file, "not a JSON object");
    }
    try {
      if (v.has("operations") && v.has("reports")) {
        return checkDraft20(file, v);
      }
      if (v.has("ctx") && v.has("keys")) {
        try {
          return Outcome.passed(file, "draft-20 " + Draft20Poplar1.replayIdpf(v));
        } catch (Mismatch | DecodeException | IllegalArgumentException e) {
          return Outcome.failed(file, "draft-20 IdpfBBCGGI21: " + e.getMessage());
        }
      }
      if (v.has("derived_seed")) {
        return checkXof(file, v);
      }
      if (v.has("alpha") && v.has("beta_inner")) {
        return checkPoplar(file, true, v);
      }
      if (v.has("prep") && v.has("agg_result")) {
        if (v.hasNonNull("agg_param")) {
          return checkPoplar(file, false, v);
        }
        return checkPrio3(file, v);
      }
      return Outcome.failed(file, "not a recognised VDAF-08 test vector");
    } catch (RuntimeException e) {
      return Outcome.failed(file, "malformed vector: " + e);
    }
  }

  // ---- Poplar1 and its IDPF (draft-08) ------------------------------------------------------

  private Outcome checkPoplar(Path file, boolean idpf, JsonNode v) {
    try {
      return Outcome.passed(file, idpf ? Poplar1Vectors.replayIdpf(v)
          : Poplar1Vectors.replayPoplar1(v));
    } catch (Mismatch | VdafException | DecodeException | IllegalArgumentException e) {
      return Outcome.failed(file, (idpf ? "IdpfPoplar: " : "Poplar1: ") + e.getMessage());
    }
  }

  // ---- draft-20 vectors ---------------------------------------------------------------------

  private Outcome checkDraft20(Path file, JsonNode v) {
    String name = file.getFileName().toString();
    if (name.startsWith("Poplar1") || v.get("agg_param").asText().length() > 0) {
      try {
        return Outcome.passed(file, "draft-20 " + Draft20Poplar1.replayPoplar1(v));
      } catch (Mismatch | DecodeException | IllegalArgumentException e) {
        return Outcome.failed(file, "draft-20 Poplar1: " + e.getMessage());
      }
    }
    Prio3Vectors.Candidate c = Draft20Prio3.candidate(file, v);
    if (c == null) {
      return Outcome.failed(file, "not a recognised draft-20 VDAF vector");
    }
    try {
      return Outcome.passed(file, "draft-20 " + Draft20Prio3.replay(c, v));
    } catch (Mismatch e) {
      return Outcome.failed(file, "draft-20 " + c.name() + ": " + e.getMessage());
    }
  }

  // ---- XOF vectors --------------------------------------------------------------------------

  private Outcome checkXof(Path file, JsonNode v) {
    byte[] seed = hex(v, "seed");
    byte[] dst = hex(v, "dst");
    byte[] binder = hex(v, "binder");
    int length = v.get("length").asInt();
    byte[] derived = hex(v, "derived_seed");
    byte[] expanded = hex(v, "expanded_vec_field128");
    Map<String, Xof> candidates = xofCandidates(file);
    List<String> tried = new ArrayList<>();
    for (Map.Entry<String, Xof> c : candidates.entrySet()) {
      Xof xof = c.getValue();
      if (xof.seedSize() != seed.length) {
        continue;
      }
      tried.add(c.getKey());
      byte[] gotSeed = xof.deriveSeed(seed, dst, binder);
      Field f = Field128.INSTANCE;
      byte[] gotVec = f.encode(xof.expandIntoVec(f, seed, dst, length, binder));
      if (java.util.Arrays.equals(gotSeed, derived) && java.util.Arrays.equals(gotVec, expanded)) {
        return Outcome.passed(file, c.getKey() + ": derive_seed and expand_into_vec("
            + length + " Field128 elements) match");
      }
    }
    if (tried.isEmpty()) {
      return Outcome.failed(file, "a " + seed.length + "-byte seed fits no XOF of draft 08 or 20");
    }
    return Outcome.failed(file, "no XOF reproduces derived_seed and expanded_vec_field128 (tried "
        + String.join(", ", tried) + ")");
  }

  private static Map<String, Xof> xofCandidates(Path file) {
    String name = file.getFileName().toString();
    Map<String, Xof> all = new java.util.LinkedHashMap<>();
    if (!name.startsWith("XofFixedKeyAes128")) {
      all.put("XofTurboShake128 (draft-08)", XofTurboShake128.INSTANCE);
      all.put("XofTurboShake128 (draft-20)", XofTurboShake128.DRAFT_20);
    }
    if (!name.startsWith("XofTurboShake128")) {
      all.put("XofFixedKeyAes128 (draft-08)", XofFixedKeyAes128.INSTANCE);
      all.put("XofFixedKeyAes128 (draft-20)", XofFixedKeyAes128.DRAFT_20);
    }
    return all;
  }

  // ---- Prio3 vectors ------------------------------------------------------------------------

  private Outcome checkPrio3(Path file, JsonNode v) {
    int shares = v.get("shares").asInt();
    List<Prio3Vectors.Candidate> candidates = new ArrayList<>();
    for (Prio3Vectors.Candidate c : Prio3Vectors.candidates(file, v)) {
      candidates.add(shares == 2 ? c : new Prio3Vectors.Candidate(c.name() + " with " + shares
          + " shares", c.prio3().withShares(shares), c.meas(), c.res()));
    }
    if (candidates.isEmpty()) {
      return Outcome.failed(file, "parameters match no Prio3 variant");
    }
    String leaderShare = v.get("prep").get(0).get("input_shares").get(0).asText();
    List<String> failures = new ArrayList<>();
    for (Prio3Vectors.Candidate c : candidates) {
      Prio3<Object, Object> prio3 = c.prio3();
      // The leader share length pins down the field and the number of proofs.
      if (prio3.inputShareLength(0) * 2 != leaderShare.length()) {
        failures.add(c.name() + ": leader input share length differs");
        continue;
      }
      try {
        int reports = replay(prio3, c, v);
        return Outcome.passed(file, c.name() + ": " + reports + " report(s), every step matches");
      } catch (Mismatch | VdafException | DecodeException | IllegalArgumentException e) {
        failures.add(c.name() + ": " + e.getMessage());
      }
    }
    return Outcome.failed(file, String.join("; ", failures));
  }

  private int replay(Prio3<Object, Object> prio3, Prio3Vectors.Candidate c, JsonNode v)
      throws Mismatch, VdafException, DecodeException {
    byte[] verifyKey = hex(v, "verify_key");
    JsonNode reports = v.get("prep");
    int shares = prio3.shares();
    List<List<OutputShare>> outShares = new ArrayList<>();
    for (int j = 0; j < shares; j++) {
      outShares.add(new ArrayList<>());
    }
    for (int r = 0; r < reports.size(); r++) {
      JsonNode rep = reports.get(r);
      String at = "report " + r + ": ";
      Object measurement = c.measurement(rep);
      byte[] nonce = hex(rep, "nonce");
      Sharded sharded = prio3.shard(measurement, nonce, hex(rep, "rand"));

      // shard
      expectHex(at + "public_share", prio3.encodePublicShare(sharded.publicShare()),
          rep.get("public_share").asText());
      for (int j = 0; j < shares; j++) {
        expectHex(at + "input_shares[" + j + "]",
            prio3.encodeInputShare(sharded.inputShares().get(j)),
            rep.get("input_shares").get(j).asText());
      }

      // prep_init, from the vector's encodings
      PublicShare publicShare = prio3.decodePublicShare(hex(rep, "public_share"));
      expectHex(at + "public_share re-encoded", prio3.encodePublicShare(publicShare),
          rep.get("public_share").asText());
      List<VerifyInit> inits = new ArrayList<>();
      List<VerifierShare> prepShares = new ArrayList<>();
      for (int j = 0; j < shares; j++) {
        InputShare in = prio3.decodeInputShare(j, HEX.parseHex(
            rep.get("input_shares").get(j).asText()));
        VerifyInit init = prio3.verifyInit(verifyKey, j, nonce, publicShare, in);
        inits.add(init);
        String wantShare = rep.get("prep_shares").get(0).get(j).asText();
        expectHex(at + "prep_shares[0][" + j + "]", prio3.encodeVerifierShare(init.share()),
            wantShare);
        prepShares.add(prio3.decodeVerifierShare(HEX.parseHex(wantShare)));
      }

      // prep_shares_to_prep
      VerifierMessage msg = prio3.verifierSharesToMessage(prepShares);
      String wantMsg = rep.get("prep_messages").get(0).asText();
      expectHex(at + "prep_messages[0]", prio3.encodeVerifierMessage(msg), wantMsg);

      // prep_next
      for (int j = 0; j < shares; j++) {
        OutputShare out = prio3.verifyNext(inits.get(j).state(),
            prio3.decodeVerifierMessage(HEX.parseHex(wantMsg)));
        StringBuilder want = new StringBuilder();
        for (JsonNode e : rep.get("out_shares").get(j)) {
          want.append(e.asText());
        }
        expectHex(at + "out_shares[" + j + "]", prio3.encodeOutputShare(out), want.toString());
        outShares.get(j).add(out);
      }
    }

    // aggregate
    List<AggregateShare> aggShares = new ArrayList<>();
    for (int j = 0; j < shares; j++) {
      AggregateShare agg = prio3.aggregate(outShares.get(j));
      String want = v.get("agg_shares").get(j).asText();
      expectHex("agg_shares[" + j + "]", prio3.encodeAggregateShare(agg), want);
      aggShares.add(prio3.decodeAggregateShare(HEX.parseHex(want)));
    }

    // unshard
    Object result = prio3.unshard(aggShares, reports.size());
    Object want = c.result(v.get("agg_result"));
    if (!want.equals(result)) {
      throw new Mismatch("agg_result: got " + result + ", want " + want);
    }
    return reports.size();
  }

  static void expectHex(String what, byte[] got, String want) throws Mismatch {
    String g = HEX.formatHex(got);
    if (!g.equalsIgnoreCase(want)) {
      throw new Mismatch(what + " differs: got " + abbreviate(g) + ", want " + abbreviate(want));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 48 ? s : s.substring(0, 40) + "...(" + s.length() / 2 + " bytes)";
  }

  static byte[] hex(JsonNode v, String key) {
    JsonNode n = v.get(key);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("missing hex field " + key);
    }
    return HEX.parseHex(n.asText());
  }

  static BigInteger bigInteger(JsonNode n) {
    return n.isTextual() ? new BigInteger(n.asText()) : n.bigIntegerValue();
  }
}
