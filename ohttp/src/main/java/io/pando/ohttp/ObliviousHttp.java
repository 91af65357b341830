package io.pando.ohttp;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.core.hpke.HpkeException;
import io.pando.core.hpke.HpkeSuite;
import io.pando.core.hpke.internal.BcHpke;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Oblivious HTTP message encapsulation (RFC 9458 §4): a client seals a Binary HTTP request to a
 * gateway's key configuration ({@link #encapsulate}) and opens the gateway's answer with the same
 * context ({@link ClientContext#decapsulateResponse}); a gateway opens requests ({@link
 * #decapsulate}) and seals each response to its request ({@link GatewayContext#encapsulateResponse}).
 */
public final class ObliviousHttp {
  /** An encapsulated request (RFC 9458 §4.1, §9.2). */
  public static final String REQUEST_MEDIA_TYPE = "message/ohttp-req";
  /** An encapsulated response (RFC 9458 §4.2, §9.3). */
  public static final String RESPONSE_MEDIA_TYPE = "message/ohttp-res";
  /** The HPKE info prefix of a request carrying Binary HTTP (§4.3). */
  static final byte[] REQUEST_LABEL = "message/bhttp request".getBytes(StandardCharsets.US_ASCII);
  /** key_id (1), kem_id (2), kdf_id (2), aead_id (2): the request header (§4.1). */
  static final int HEADER_LENGTH = 7;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ObliviousHttp() {}

  /** The client's half of one exchange: the sealed request and what opens its response. */
  public static final class ClientContext {
    private final byte[] encapsulated;
    private final byte[] enc;
    private final byte[] secret;
    private final ResponseKeys keys;

    private ClientContext(byte[] encapsulated, byte[] enc, byte[] secret, ResponseKeys keys) {
      this.encapsulated = encapsulated;
      this.enc = enc;
      this.secret = secret;
      this.keys = keys;
    }

    /** The {@code message/ohttp-req} body: header, enc, ciphertext (§4.1). */
    public byte[] encapsulatedRequest() {
      return encapsulated.clone();
    }

    /**
     * Opens a {@code message/ohttp-res} body: response_nonce, then the sealed response (§4.4).
     *
     * @throws OhttpException if it is too short or does not authenticate
     */
    public byte[] decapsulateResponse(byte[] encapsulatedResponse) throws OhttpException {
      int nonceLength = keys.secretLength();
      if (encapsulatedResponse.length < nonceLength + ResponseKeys.TAG_LENGTH) {
        throw new OhttpException(OhttpException.Reason.MALFORMED,
            "encapsulated response shorter than its nonce and tag");
      }
      byte[] nonce = Arrays.copyOf(encapsulatedResponse, nonceLength);
      byte[][] kn = keys.derive(secret, enc, nonce);
      byte[] pt = keys.open(kn[0], kn[1],
          Arrays.copyOfRange(encapsulatedResponse, nonceLength, encapsulatedResponse.length));
      if (pt == null) {
        throw new OhttpException(OhttpException.Reason.DECRYPTION_FAILED,
            "encapsulated response does not authenticate");
      }
      return pt;
    }
  }

  /** The gateway's half of one exchange: the opened request and what seals its response. */
  public static final class GatewayContext {
    private final byte[] request;
    private final byte[] enc;
    private final byte[] secret;
    private final ResponseKeys keys;

    private GatewayContext(byte[] request, byte[] enc, byte[] secret, ResponseKeys keys) {
      this.request = request;
      this.enc = enc;
      this.secret = secret;
      this.keys = keys;
    }

    /** The decapsulated request (Binary HTTP for {@code message/bhttp request}). */
    public byte[] request() {
      return request.clone();
    }

    /** Seals a response with a fresh random response_nonce (§4.4). */
    public byte[] encapsulateResponse(byte[] response) {
      byte[] nonce = new byte[keys.secretLength()];
      RANDOM.nextBytes(nonce);
      return encapsulateResponse(response, nonce);
    }

    /** Seals a response with the given response_nonce (a test vector's). */
    public byte[] encapsulateResponse(byte[] response, byte[] responseNonce) {
      if (responseNonce.length != keys.secretLength()) {
        throw new IllegalArgumentException("response_nonce must be max(Nn, Nk) bytes");
      }
      byte[][] kn = keys.derive(secret, enc, responseNonce);
      byte[] ct = keys.seal(kn[0], kn[1], response);
      byte[] out = new byte[responseNonce.length + ct.length];
      System.arraycopy(responseNonce, 0, out, 0, responseNonce.length);
      System.arraycopy(ct, 0, out, responseNonce.length, ct.length);
      return out;
    }
  }

  /** The request header (§4.1): key_id, kem_id, kdf_id, aead_id. */
  static byte[] header(int keyId, HpkeKemId kem, KeyConfig.SymmetricAlgorithm alg) {
    return new Encoder().u8(keyId).u16(kem.code()).u16(alg.kdfId().code())
        .u16(alg.aeadId().code()).toByteArray();
  }

  /** info = "message/bhttp request" || 0x00 || header (§4.3). */
  static byte[] info(byte[] header) {
    byte[] info = new byte[REQUEST_LABEL.length + 1 + header.length];
    System.arraycopy(REQUEST_LABEL, 0, info, 0, REQUEST_LABEL.length);
    System.arraycopy(header, 0, info, REQUEST_LABEL.length + 1, header.length);
    return info;
  }

  /**
   * Seals a Binary HTTP request to the gateway's configuration, with its first supported
   * algorithm pair.
   *
   * @throws OhttpException if the configuration offers no pair this implementation supports
   */
  public static ClientContext encapsulate(KeyConfig config, byte[] request) throws OhttpException {
    KeyConfig.SymmetricAlgorithm alg = config.firstSupported().orElseThrow(
        () -> new OhttpException(OhttpException.Reason.UNSUPPORTED_ALGORITHM,
            "no supported algorithm pair in " + config));
    return encapsulate(config, alg, request, null, null);
  }

  /**
   * Seals with a given algorithm pair and, for test vectors only, a given ephemeral key pair
   * (null for a fresh one).
   */
  public static ClientContext encapsulate(KeyConfig config, KeyConfig.SymmetricAlgorithm alg,
      byte[] request, byte[] ephemeralPrivate, byte[] ephemeralPublic) throws OhttpException {
    HpkeSuite suite = config.suite(alg);
    if (!config.algorithms().contains(alg) || !suite.isSupported()) {
      throw new OhttpException(OhttpException.Reason.UNSUPPORTED_ALGORITHM,
          "algorithm pair " + alg + " is not offered or not supported");
    }
    byte[] hdr = header(config.keyId(), config.kemId(), alg);
    ResponseKeys keys = new ResponseKeys(alg.kdfId(), alg.aeadId());
    try {
      BcHpke hpke = BcHpke.forSuite(suite);
      hpke.checkPublicKey(config.publicKey());
      byte[][] sealed = hpke.sealAndExport(config.publicKey(), info(hdr), new byte[0], request,
          ResponseKeys.EXPORT_LABEL, keys.secretLength(), ephemeralPrivate, ephemeralPublic);
      byte[] out = new byte[hdr.length + sealed[1].length + sealed[0].length];
      System.arraycopy(hdr, 0, out, 0, hdr.length);
      System.arraycopy(sealed[1], 0, out, hdr.length, sealed[1].length);
      System.arraycopy(sealed[0], 0, out, hdr.length + sealed[1].length, sealed[0].length);
      return new ClientContext(out, sealed[1], sealed[2], keys);
    } catch (HpkeException e) {
      throw new OhttpException(OhttpException.Reason.UNSUPPORTED_ALGORITHM, e.getMessage(), e);
    }
  }

  /**
   * Opens an encapsulated request with the gateway's key for its key_id (§4.3).
   *
   * @param keys the gateway's key for a key identifier, if it has one
   * @throws OhttpException MALFORMED for bytes that are no encapsulated request, UNKNOWN_KEY or
   *     UNSUPPORTED_ALGORITHM for a header the gateway has no key for (§5.3), DECRYPTION_FAILED
   *     for a ciphertext that does not open
   */
  public static GatewayContext decapsulate(byte[] encapsulatedRequest,
      IntFunction<Optional<OhttpKeyPair>> keys) throws OhttpException {
    Decoder d = new Decoder(encapsulatedRequest);
    int keyId;
    HpkeKemId kem;
    KeyConfig.SymmetricAlgorithm alg;
    try {
      keyId = d.u8();
      kem = HpkeKemId.of(d.u16());
      alg = new KeyConfig.SymmetricAlgorithm(HpkeKdfId.of(d.u16()), HpkeAeadId.of(d.u16()));
    } catch (DecodeException e) {
      throw new OhttpException(OhttpException.Reason.MALFORMED, "truncated request header", e);
    }
    OhttpKeyPair key = keys.apply(keyId).orElseThrow(() -> new OhttpException(
        OhttpException.Reason.UNKNOWN_KEY, "no key with key id " + keyId));
    KeyConfig config = key.config();
    HpkeSuite suite = config.suite(alg);
    if (!config.kemId().equals(kem) || !config.algorithms().contains(alg)
        || !suite.isSupported()) {
      throw new OhttpException(OhttpException.Reason.UNSUPPORTED_ALGORITHM,
          "key " + keyId + " is not offered with " + kem + "/" + alg);
    }
    int nenc = KeyConfig.encLength(kem);
    if (d.remaining() < nenc + ResponseKeys.TAG_LENGTH) {
      throw new OhttpException(OhttpException.Reason.MALFORMED,
          "encapsulated request shorter than its enc and tag");
    }
    byte[] hdr = Arrays.copyOf(encapsulatedRequest, HEADER_LENGTH);
    byte[] enc = Arrays.copyOfRange(encapsulatedRequest, HEADER_LENGTH, HEADER_LENGTH + nenc);
    byte[] ct = Arrays.copyOfRange(encapsulatedRequest, HEADER_LENGTH + nenc,
        encapsulatedRequest.length);
    ResponseKeys responseKeys = new ResponseKeys(alg.kdfId(), alg.aeadId());
    try {
      byte[][] opened = BcHpke.forSuite(suite).openAndExport(key.privateKey().reveal(),
          config.publicKey(), info(hdr), new byte[0], enc, ct, ResponseKeys.EXPORT_LABEL,
          responseKeys.secretLength());
      return new GatewayContext(opened[0], enc, opened[1], responseKeys);
    } catch (HpkeException e) {
      throw new OhttpException(OhttpException.Reason.DECRYPTION_FAILED,
          "encapsulated request does not open with key " + keyId);
    }
  }
}
