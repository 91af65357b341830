package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import java.util.List;
import java.util.Objects;

/**
 * DAP-18 §4.2.2 {@code TaskExtension}: an extension of {@link TaskConfiguration}, encoded as the
 * shared type-length-value {@link ExtensionTlv} ({@code TaskExtensionType extension_type}, a
 * uint16, and {@code opaque extension_data<0..2^16-1>}). {@link TaskConfiguration} enforces the
 * order.
 */
public record TaskExtension(ExtensionTlv tlv) implements ExtensionTlv.Typed {
  /** {@code reserved(0)}. */
  public static final int RESERVED = 0x0000;

  /** {@code task_interval(1)} (§4.2.3): its data is an encoded {@link Interval}. */
  public static final int TASK_INTERVAL = 0x0001;

  /** The {@code task_interval} extension bounding the report times of a task (§4.2.3). */
  public static TaskExtension taskInterval(Interval interval) {
    return new TaskExtension(TASK_INTERVAL, interval.encode());
  }

  /**
   * The interval of a {@code task_interval} extension.
   *
   * @throws DecodeException if this is another extension or its data is not one interval
   */
  public Interval taskInterval() throws DecodeException {
    if (extensionType() != TASK_INTERVAL) {
      throw new DecodeException("not a task_interval extension");
    }
    return Interval.decode(extensionData());
  }

  public TaskExtension {
    Objects.requireNonNull(tlv, "tlv");
  }

  public TaskExtension(int extensionType, byte[] extensionData) {
    this(new ExtensionTlv(extensionType, extensionData));
  }

  /** Whether the list's types are strictly increasing (sorted, each type at most once). */
  public static boolean strictlyIncreasing(List<TaskExtension> extensions) {
    return ExtensionTlv.strictlyIncreasing(extensions);
  }

  public static TaskExtension decode(Decoder decoder) throws DecodeException {
    return new TaskExtension(ExtensionTlv.decode(decoder));
  }

  public static TaskExtension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, TaskExtension::decode);
  }
}
