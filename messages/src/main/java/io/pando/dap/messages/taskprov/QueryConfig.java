package io.pando.dap.messages.taskprov;

import io.pando.codec.DecodeException;
import io.pando.codec.Decoder;
import io.pando.codec.Encoder;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Encodable;
import io.pando.dap.messages.QueryType;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * draft-wang-ppm-dap-taskprov-06 §3 {@code QueryConfig}: the batch properties of a task.
 *
 * <pre>
 * struct {
 *   Duration time_precision;
 *   uint16 max_batch_query_count;
 *   uint32 min_batch_size;
 *   QueryType query_type;
 *   select (QueryConfig.query_type) {
 *     case time_interval: Empty;
 *     case fixed_size: uint32 max_batch_size;
 *   }
 * } QueryConfig;
 * </pre>
 *
 * {@code maxBatchSize} is present exactly for {@code fixed_size}.
 */
public record QueryConfig(Duration timePrecision, int maxBatchQueryCount, long minBatchSize,
    QueryType queryType, OptionalLong maxBatchSize) implements Encodable {
  public QueryConfig {
    Objects.requireNonNull(timePrecision, "timePrecision");
    Objects.requireNonNull(queryType, "queryType");
    Objects.requireNonNull(maxBatchSize, "maxBatchSize");
    Codec.range(maxBatchQueryCount, 0, 0xffff, "max_batch_query_count");
    Codec.range(minBatchSize, 0, 0xffff_ffffL, "min_batch_size");
    boolean fixed = queryType == QueryType.FIXED_SIZE;
    if (fixed != maxBatchSize.isPresent()) {
      throw new IllegalArgumentException("max_batch_size is present exactly for fixed_size");
    }
    if (fixed) {
      Codec.range(maxBatchSize.getAsLong(), 0, 0xffff_ffffL, "max_batch_size");
    }
  }

  public static QueryConfig timeInterval(Duration timePrecision, int maxBatchQueryCount,
      long minBatchSize) {
    return new QueryConfig(timePrecision, maxBatchQueryCount, minBatchSize,
        QueryType.TIME_INTERVAL, OptionalLong.empty());
  }

  public static QueryConfig fixedSize(Duration timePrecision, int maxBatchQueryCount,
      long minBatchSize, long maxBatchSize) {
    return new QueryConfig(timePrecision, maxBatchQueryCount, minBatchSize, QueryType.FIXED_SIZE,
        OptionalLong.of(maxBatchSize));
  }

  @Override
  public void encode(Encoder encoder) {
    timePrecision.encode(encoder);
    encoder.u16(maxBatchQueryCount);
    encoder.u32(minBatchSize);
    queryType.encode(encoder);
    maxBatchSize.ifPresent(encoder::u32);
  }

  public static QueryConfig decode(Decoder d) throws DecodeException {
    Duration timePrecision = Duration.decode(d);
    int maxBatchQueryCount = d.u16();
    long minBatchSize = d.u32();
    QueryType type = QueryType.decode(d); // rejects reserved(0) and unassigned codepoints
    OptionalLong max = type == QueryType.FIXED_SIZE ? OptionalLong.of(d.u32())
        : OptionalLong.empty();
    return Codec.build(() -> new QueryConfig(timePrecision, maxBatchQueryCount, minBatchSize,
        type, max));
  }

  public static QueryConfig decode(byte[] encoded) throws DecodeException {
    return Decoder.decodeAll(encoded, QueryConfig::decode);
  }
}
