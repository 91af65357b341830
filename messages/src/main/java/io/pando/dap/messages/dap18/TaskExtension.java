package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.Wire;
import java.util.Arrays;
import java.util.List;

/**
 * DAP-18 §4.2.2 {@code TaskExtension}: a type-length-value task extension of a {@link
 * TaskConfiguration}.
 *
 * <pre>
 * struct {
 *   TaskExtensionType extension_type;    // uint16
 *   opaque extension_data&lt;0..2^16-1&gt;;
 * } TaskExtension;
 * </pre>
 *
 * Any type decodes, so that an unknown one can be answered with {@code unsupportedExtension};
 * {@link
 * #strictlyIncreasing} checks the order the draft requires ({@link TaskConfiguration} enforces it).
 */
public record TaskExtension(int extensionType, byte[] extensionData) implements Encodable {
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
    if (extensionType != TASK_INTERVAL) {
      throw new DecodeException("not a task_interval extension");
    }
    return Interval.decode(extensionData);
  }

  public TaskExtension {
    Wire.requireRange(extensionType, 0, Wire.U16_MAX, "extension_type");
    extensionData = Wire.copy(extensionData, "extension_data", 0, Wire.U16_MAX);
  }

  /** The extension data (a copy). */
  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  /** Whether the list's types are strictly increasing (sorted, each type at most once). */
  public static boolean strictlyIncreasing(List<TaskExtension> extensions) {
    return Wire.strictlyIncreasing(extensions, TaskExtension::extensionType);
  }

  @Override
  public void encode(Encoder encoder) {
    encoder.u16(extensionType);
    encoder.opaque16(extensionData);
  }

  public static TaskExtension decode(Decoder decoder) throws DecodeException {
    int type = decoder.u16();
    byte[] data = decoder.opaque16();
    return new TaskExtension(type, data);
  }

  public static TaskExtension decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, TaskExtension::decode);
  }

  /** Reads {@code TaskExtension extensions<0..2^16-1>}. */
  static List<TaskExtension> decodeList(Decoder decoder) throws DecodeException {
    return decoder.list16(TaskExtension::decode);
  }

  static void encodeList(Encoder encoder, List<TaskExtension> extensions) {
    encoder.list16(extensions, (e, x) -> x.encode(e));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskExtension x
        && extensionType == x.extensionType
        && Arrays.equals(extensionData, x.extensionData);
  }

  @Override
  public int hashCode() {
    return 31 * extensionType + Arrays.hashCode(extensionData);
  }

  @Override
  public String toString() {
    return "TaskExtension[type=" + String.format("0x%04x", extensionType) + ", data="
        + Wire.summary(extensionData) + "]";
  }
}
