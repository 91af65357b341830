package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.util.List;
import java.util.Objects;

/**
 * DAP-18 §4.6.2 {@code CollectionJobExtension}: an extension of {@link CollectionJobReq}, encoded
 * as the shared type-length-value {@link ExtensionTlv} ({@code CollectionJobExtensionType
 * extension_type}, a uint16, and {@code opaque extension_data<0..2^16-1>}). A disorder is answered
 * with {@code invalidExtension}.
 */
public record CollectionJobExtension(ExtensionTlv tlv) implements ExtensionTlv.Typed {
  /** {@code reserved(0)}, the only codepoint draft-18 registers. */
  public static final int RESERVED = 0x0000;

  public CollectionJobExtension {
    Objects.requireNonNull(tlv, "tlv");
  }

  public CollectionJobExtension(int extensionType, byte[] extensionData) {
    this(new ExtensionTlv(extensionType, extensionData));
  }

  /** Whether the list's types are strictly increasing (sorted, each type at most once). */
  public static boolean strictlyIncreasing(List<CollectionJobExtension> extensions) {
    return ExtensionTlv.strictlyIncreasing(extensions);
  }

  public static CollectionJobExtension decode(Decoder decoder) throws DecodeException {
    return new CollectionJobExtension(ExtensionTlv.decode(decoder));
  }

  public static CollectionJobExtension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, CollectionJobExtension::decode);
  }
}
