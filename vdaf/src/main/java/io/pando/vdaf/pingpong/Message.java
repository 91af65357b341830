package io.pando.vdaf.pingpong;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import java.util.Arrays;

/**
 * A ping-pong message (draft-irtf-cfrg-vdaf-08 §5.8):
 *
 * <pre>
 * enum { initialize(0), continue(1), finish(2), (255) } MessageType;
 * struct {
 *   MessageType type;
 *   select (Message.type) {
 *     case initialize: opaque prep_share&lt;0..2^32-1&gt;;
 *     case continue:   opaque prep_msg&lt;0..2^32-1&gt;; opaque prep_share&lt;0..2^32-1&gt;;
 *     case finish:     opaque prep_msg&lt;0..2^32-1&gt;;
 *   };
 * } Message;
 * </pre>
 */
public record Message(Type type, byte[] prepMessage, byte[] prepShare) {
  /** MessageType. */
  public enum Type {
    INITIALIZE(0),
    CONTINUE(1),
    FINISH(2);

    public final int code;

    Type(int code) {
      this.code = code;
    }
  }

  public Message {
    switch (type) {
      case INITIALIZE -> {
        if (prepMessage != null || prepShare == null) {
          throw new IllegalArgumentException("initialize carries a prep share only");
        }
      }
      case CONTINUE -> {
        if (prepMessage == null || prepShare == null) {
          throw new IllegalArgumentException("continue carries a prep message and a prep share");
        }
      }
      case FINISH -> {
        if (prepMessage == null || prepShare != null) {
          throw new IllegalArgumentException("finish carries a prep message only");
        }
      }
      default -> throw new IllegalArgumentException("unknown type");
    }
    prepMessage = prepMessage == null ? null : prepMessage.clone();
    prepShare = prepShare == null ? null : prepShare.clone();
  }

  public static Message initialize(byte[] prepShare) {
    return new Message(Type.INITIALIZE, null, prepShare);
  }

  public static Message continued(byte[] prepMessage, byte[] prepShare) {
    return new Message(Type.CONTINUE, prepMessage, prepShare);
  }

  public static Message finish(byte[] prepMessage) {
    return new Message(Type.FINISH, prepMessage, null);
  }

  @Override
  public byte[] prepMessage() {
    return prepMessage == null ? null : prepMessage.clone();
  }

  @Override
  public byte[] prepShare() {
    return prepShare == null ? null : prepShare.clone();
  }

  public void encode(Encoder e) {
    e.u8(type.code);
    if (prepMessage != null) {
      e.opaque32(prepMessage);
    }
    if (prepShare != null) {
      e.opaque32(prepShare);
    }
  }

  /** encode_ping_pong_message. */
  public byte[] encode() {
    Encoder e = new Encoder(16 + (prepShare == null ? 0 : prepShare.length)
        + (prepMessage == null ? 0 : prepMessage.length));
    encode(e);
    return e.toByteArray();
  }

  public static Message decode(Decoder d) throws DecodeException {
    int t = d.u8();
    return switch (t) {
      case 0 -> initialize(d.opaque32());
      case 1 -> {
        byte[] msg = d.opaque32();
        yield continued(msg, d.opaque32());
      }
      case 2 -> finish(d.opaque32());
      default -> throw new DecodeException("unknown ping-pong message type " + t);
    };
  }

  /** decode_ping_pong_message: the whole input must be one message. */
  public static Message decode(byte[] b) throws DecodeException {
    return Decoder.decodeAll(b, Message::decode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && type == m.type
        && Arrays.equals(prepMessage, m.prepMessage)
        && Arrays.equals(prepShare, m.prepShare);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(prepMessage) * 7 + Arrays.hashCode(prepShare);
  }

  @Override
  public String toString() {
    return "Message[" + type
        + (prepMessage == null ? "" : ", prep_msg=" + prepMessage.length + " bytes")
        + (prepShare == null ? "" : ", prep_share=" + prepShare.length + " bytes") + "]";
  }
}
