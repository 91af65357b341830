package io.pando.cli.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pando.codec.DecodeException;
import io.pando.dap.messages.AggregateShare;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.AggregateShareReq;
import io.pando.dap.messages.AggregationJobContinueReq;
import io.pando.dap.messages.AggregationJobId;
import io.pando.dap.messages.AggregationJobInitReq;
import io.pando.dap.messages.AggregationJobResp;
import io.pando.dap.messages.AggregationJobStep;
import io.pando.dap.messages.BatchId;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.CollectionJobId;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.Extension;
import io.pando.dap.messages.ExtensionType;
import io.pando.dap.messages.FixedSizeQuery;
import io.pando.dap.messages.HpkeAeadId;
import io.pando.dap.messages.HpkeCiphertext;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.HpkeConfigId;
import io.pando.dap.messages.HpkeConfigList;
import io.pando.dap.messages.HpkeKdfId;
import io.pando.dap.messages.HpkeKemId;
import io.pando.dap.messages.HpkePublicKey;
import io.pando.dap.messages.InputShareAad;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.PlaintextInputShare;
import io.pando.dap.messages.PrepareContinue;
import io.pando.dap.messages.PrepareError;
import io.pando.dap.messages.PrepareInit;
import io.pando.dap.messages.PrepareResp;
import io.pando.dap.messages.PrepareStepResult;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.Report;
import io.pando.dap.messages.ReportId;
import io.pando.dap.messages.ReportIdChecksum;
import io.pando.dap.messages.ReportMetadata;
import io.pando.dap.messages.ReportShare;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.Time;
import io.pando.dap.messages.problem.ProblemDocument;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every DAP-09 type {@code pando dap-decode} knows: the message bodies with their media types
 * (§8.1), then the structures inside them. Names are the Java class names in kebab case
 * ({@code AggregationJobInitReq} is {@code aggregation-job-init-req}).
 */
public final class MessageTypes {
  /** The name of the RFC 9457 problem document type ({@code application/problem+json}). */
  public static final String PROBLEM_DOCUMENT = "problem-document";

  private static final Map<String, MessageType> BY_NAME;
  private static final Map<String, MessageType> BY_MEDIA_TYPE;

  static {
    List<MessageType> all = new ArrayList<>();
    // Message bodies, in the order of a task's life: upload, aggregation, collection.
    all.add(message(HpkeConfigList.class, MediaTypes.HPKE_CONFIG_LIST, HpkeConfigList::decode));
    all.add(message(Report.class, MediaTypes.REPORT, Report::decode));
    all.add(message(AggregationJobInitReq.class, MediaTypes.AGGREGATION_JOB_INIT_REQ,
        AggregationJobInitReq::decode));
    all.add(message(AggregationJobContinueReq.class, MediaTypes.AGGREGATION_JOB_CONTINUE_REQ,
        AggregationJobContinueReq::decode));
    all.add(message(AggregationJobResp.class, MediaTypes.AGGREGATION_JOB_RESP,
        AggregationJobResp::decode));
    all.add(message(CollectionReq.class, MediaTypes.COLLECT_REQ, CollectionReq::decode));
    all.add(message(Collection.class, MediaTypes.COLLECTION, Collection::decode));
    all.add(message(AggregateShareReq.class, MediaTypes.AGGREGATE_SHARE_REQ,
        AggregateShareReq::decode));
    all.add(message(AggregateShare.class, MediaTypes.AGGREGATE_SHARE, AggregateShare::decode));
    all.add(new MessageType(PROBLEM_DOCUMENT, ProblemDocument.class,
        Optional.of(MediaTypes.PROBLEM_JSON), MessageTypes::problemDocument));
    // The structures inside them, and what is encrypted or authenticated.
    all.add(structure(HpkeConfig.class, HpkeConfig::decode));
    all.add(structure(HpkeConfigId.class, HpkeConfigId::decode));
    all.add(structure(HpkeKemId.class, HpkeKemId::decode));
    all.add(structure(HpkeKdfId.class, HpkeKdfId::decode));
    all.add(structure(HpkeAeadId.class, HpkeAeadId::decode));
    all.add(structure(HpkePublicKey.class, HpkePublicKey::decode));
    all.add(structure(HpkeCiphertext.class, HpkeCiphertext::decode));
    all.add(structure(ReportMetadata.class, ReportMetadata::decode));
    all.add(structure(ReportId.class, ReportId::decode));
    all.add(structure(ReportShare.class, ReportShare::decode));
    all.add(structure(PlaintextInputShare.class, PlaintextInputShare::decode));
    all.add(structure(InputShareAad.class, InputShareAad::decode));
    all.add(structure(Extension.class, Extension::decode));
    all.add(structure(ExtensionType.class, ExtensionType::decode));
    all.add(structure(AggregationJobId.class, AggregationJobId::decode));
    all.add(structure(AggregationJobStep.class, AggregationJobStep::decode));
    all.add(structure(PartialBatchSelector.class, PartialBatchSelector::decode));
    all.add(structure(PrepareInit.class, PrepareInit::decode));
    all.add(structure(PrepareContinue.class, PrepareContinue::decode));
    all.add(structure(PrepareResp.class, PrepareResp::decode));
    all.add(structure(PrepareStepResult.class, PrepareStepResult::decode));
    all.add(structure(PrepareError.class, PrepareError::decode));
    all.add(structure(CollectionJobId.class, CollectionJobId::decode));
    all.add(structure(Query.class, Query::decode));
    all.add(structure(QueryType.class, QueryType::decode));
    all.add(structure(FixedSizeQuery.class, FixedSizeQuery::decode));
    all.add(structure(BatchSelector.class, BatchSelector::decode));
    all.add(structure(BatchId.class, BatchId::decode));
    all.add(structure(AggregateShareAad.class, AggregateShareAad::decode));
    all.add(structure(ReportIdChecksum.class, ReportIdChecksum::decode));
    all.add(structure(TaskId.class, TaskId::decode));
    all.add(structure(Interval.class, Interval::decode));
    all.add(structure(Time.class, Time::decode));
    all.add(structure(Duration.class, Duration::decode));
    all.add(structure(Role.class, Role::decode));

    Map<String, MessageType> byName = new LinkedHashMap<>();
    Map<String, MessageType> byMedia = new LinkedHashMap<>();
    for (MessageType t : all) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalStateException("duplicate type name " + t.name());
      }
      t.mediaType().ifPresent(m -> byMedia.put(m, t));
    }
    BY_NAME = Collections.unmodifiableMap(byName);
    BY_MEDIA_TYPE = Collections.unmodifiableMap(byMedia);
  }

  private MessageTypes() {}

  /** Every type, message bodies first. */
  public static List<MessageType> all() {
    return List.copyOf(BY_NAME.values());
  }

  /**
   * The type for a name, or for {@code media:<media type>} (case-insensitive, parameters such as
   * {@code ;charset=} ignored).
   */
  public static Optional<MessageType> find(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("media:")) {
      String media = s.substring("media:".length());
      int semicolon = media.indexOf(';');
      if (semicolon >= 0) {
        media = media.substring(0, semicolon);
      }
      return Optional.ofNullable(BY_MEDIA_TYPE.get(media.trim()));
    }
    return Optional.ofNullable(BY_NAME.get(s));
  }

  /** "AggregationJobInitReq" to "aggregation-job-init-req". */
  static String kebab(String className) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < className.length(); i++) {
      char c = className.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0 && !Character.isUpperCase(className.charAt(i - 1))) {
          sb.append('-');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static MessageType message(Class<?> cls, String mediaType, MessageType.Decoder d) {
    return new MessageType(kebab(cls.getSimpleName()), cls, Optional.of(mediaType), d);
  }

  private static MessageType structure(Class<?> cls, MessageType.Decoder d) {
    return new MessageType(kebab(cls.getSimpleName()), cls, Optional.empty(), d);
  }

  /** A problem document must at least be a UTF-8 JSON object. */
  private static ProblemDocument problemDocument(byte[] body) throws DecodeException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException("problem document is not UTF-8");
    }
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new DecodeException("problem document is not JSON: "
          + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new DecodeException("problem document is not a JSON object");
    }
    return ProblemDocument.parse(text);
  }
}
