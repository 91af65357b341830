package io.pando.cli.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pando.cli.CommandFailure;
import io.pando.codec.DecodeException;
import io.pando.core.SecretBytes;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeKeypair;
import io.pando.dap.messages.HpkeConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;

/**
 * The collector's key file, as {@code pando hpke-keygen} writes it and {@code pando collect}
 * reads it: {@code {"config": "<base64url HpkeConfig>", "private_key": "<base64url>"}}. The
 * private key is the RFC 9180 serialized private key of the config's KEM.
 */
public final class CollectorKeyFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private CollectorKeyFile() {}

  /** The unpadded base64url of the encoded config, as aggregators take it. */
  public static String configBase64Url(HpkeConfig config) {
    return B64URL.encodeToString(config.encode());
  }

  /** The key file's JSON text for a key pair (it contains the private key). */
  public static String toJson(HpkeKeypair key) {
    ObjectNode node = JSON.createObjectNode();
    node.put("config", configBase64Url(key.config()));
    byte[] secret = key.privateKey().reveal();
    try {
      node.put("private_key", B64URL.encodeToString(secret));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the key file through a temporary file in the same folder, created readable by the
   * owner only where the file system has POSIX permissions, then moved into place.
   *
   * @return whether the file got owner-only permissions
   * @throws CommandFailure if {@code file} exists and {@code replace} is false, or on I/O errors
   */
  public static boolean write(Path file, String json, boolean replace) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new CommandFailure(file + " already exists; use --force to replace it");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CommandFailure("no such directory: " + (dir == null ? file : dir));
    }
    Path tmp = null;
    try {
      boolean posix;
      try {
        tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        posix = true;
      } catch (UnsupportedOperationException e) {
        tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        posix = false;
      }
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(json);
      }
      move(tmp, target, replace);
      tmp = null;
      return posix;
    } catch (FileAlreadyExistsException e) {
      throw new CommandFailure(file + " already exists; use --force to replace it");
    } catch (IOException e) {
      throw new CommandFailure("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static void move(Path from, Path to, boolean replace) throws IOException {
    if (replace) {
      try {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } else {
      // Without REPLACE_EXISTING the move fails if the file appeared in the meantime.
      Files.move(from, to);
    }
  }

  /**
   * Reads a key file and checks that the private key belongs to the config.
   *
   * @throws CommandFailure if the file is missing, malformed or inconsistent
   */
  public static HpkeKeypair read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CommandFailure("no such key file: " + file);
    } catch (IOException e) {
      throw new CommandFailure("cannot read key file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses key file JSON; {@code source} names it in error messages. */
  public static HpkeKeypair parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CommandFailure(source + " is not a key file (not JSON)");
    }
    if (root == null || !root.isObject()) {
      throw new CommandFailure(source + " is not a key file (expected a JSON object)");
    }
    HpkeConfig config;
    try {
      config = HpkeConfig.decode(base64(root, "config", source));
    } catch (DecodeException e) {
      throw new CommandFailure(source + ": \"config\" is not an HpkeConfig: " + e.getMessage());
    }
    byte[] secret = base64(root, "private_key", source);
    try {
      return HpkeKeypair.of(config, SecretBytes.copyOf(secret));
    } catch (HpkeException e) {
      throw new CommandFailure(source + ": the private key does not fit the config: "
          + e.getMessage());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static byte[] base64(JsonNode root, String field, String source) {
    JsonNode v = root.get(field);
    if (v == null || !v.isTextual()) {
      throw new CommandFailure(source + " is not a key file (no \"" + field + "\" string)");
    }
    try {
      return Base64.getUrlDecoder().decode(v.asText().trim());
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(source + ": \"" + field + "\" is not base64url");
    }
  }
}
