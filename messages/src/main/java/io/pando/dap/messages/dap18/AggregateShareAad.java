package io.pando.dap.messages.dap18;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.TaskId;
import java.util.Objects;

/**
 * DAP-18 §4.6.7 {@code AggregateShareAad}: the HPKE associated data of an aggregate share.
 *
 * <pre>
 * struct {
 *   TaskID task_id;
 *   TaskConfiguration task_configuration;
 *   CollectionJobReq collection_job_req;
 * } AggregateShareAad;
 * </pre>
 *
 * DAP-09 bound the aggregation parameter and batch selector; DAP-18 binds the task
 * configuration and the Collector's request instead.
 */
public record AggregateShareAad(
    TaskId taskId, TaskConfiguration taskConfiguration, CollectionJobReq collectionJobReq)
    implements Encodable {
  public AggregateShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskConfiguration, "taskConfiguration");
    Objects.requireNonNull(collectionJobReq, "collectionJobReq");
  }

  @Override
  public void encode(Encoder encoder) {
    taskId.encode(encoder);
    taskConfiguration.encode(encoder);
    collectionJobReq.encode(encoder);
  }

  public static AggregateShareAad decode(Decoder decoder) throws DecodeException {
    TaskId taskId = TaskId.decode(decoder);
    TaskConfiguration config = TaskConfiguration.decode(decoder);
    CollectionJobReq req = CollectionJobReq.decode(decoder);
    return new AggregateShareAad(taskId, config, req);
  }

  public static AggregateShareAad decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, AggregateShareAad::decode);
  }
}
