package io.pando.cli.commands;

import com.sun.net.httpserver.HttpServer;
import io.pando.core.hpke.ApplicationInfo;
import io.pando.core.hpke.Hpke;
import io.pando.dap.messages.AggregateShareAad;
import io.pando.dap.messages.BatchSelector;
import io.pando.dap.messages.Collection;
import io.pando.dap.messages.CollectionReq;
import io.pando.dap.messages.HpkeConfig;
import io.pando.dap.messages.Interval;
import io.pando.dap.messages.MediaTypes;
import io.pando.dap.messages.PartialBatchSelector;
import io.pando.dap.messages.Query;
import io.pando.dap.messages.QueryType;
import io.pando.dap.messages.Role;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.dap.messages.problem.ProblemDocument;
import io.pando.vdaf.prio3.AggregateShare;
import io.pando.vdaf.prio3.OutputShare;
import io.pando.vdaf.prio3.VerifyInit;
import io.pando.vdaf.prio3.Prio3;
import io.pando.vdaf.prio3.Sharded;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A leader on loopback that speaks DAP-09 collection: PUT starts a job (201), POST answers 202
 * with Retry-After for the first {@link #notReadyPolls} polls and then 200 with the configured
 * Collection; or every PUT is refused with a problem document.
 */
final class FakeLeader implements AutoCloseable {
  final HttpServer server;
  final AtomicInteger polls = new AtomicInteger();
  final AtomicReference<byte[]> collection = new AtomicReference<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();
  final AtomicReference<Query<?>> lastQuery = new AtomicReference<>();
  volatile int notReadyPolls = 1;
  volatile String retryAfter = "0";
  volatile DapProblemType refuseWith;
  volatile String refusalDetail = "";
  /** When set, each job's Collection is made from its CollectionReq's aggregation parameter. */
  volatile java.util.function.Function<byte[], byte[]> collectionFor;
  final List<byte[]> aggregationParameters = new CopyOnWriteArrayList<>();

  FakeLeader() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        switch (ex.getRequestMethod()) {
          case "PUT" -> {
            if (refuseWith != null) {
              byte[] b = ProblemDocument.of(refuseWith, refusalDetail, null).toJson()
                  .getBytes(StandardCharsets.UTF_8);
              ex.getResponseHeaders().add("Content-Type", MediaTypes.PROBLEM_JSON);
              ex.sendResponseHeaders(refuseWith.httpStatus(), b.length);
              ex.getResponseBody().write(b);
              return;
            }
            CollectionReq<?> req = CollectionReq.decode(ex.getRequestBody().readAllBytes());
            lastQuery.set(req.query());
            aggregationParameters.add(req.aggregationParameter());
            if (collectionFor != null) {
              collection.set(collectionFor.apply(req.aggregationParameter()));
            }
            ex.sendResponseHeaders(201, -1);
          }
          case "POST" -> {
            if (polls.incrementAndGet() <= notReadyPolls) {
              ex.getResponseHeaders().add("Retry-After", retryAfter);
              ex.sendResponseHeaders(202, -1);
              return;
            }
            byte[] b = collection.get();
            ex.getResponseHeaders().add("Content-Type", MediaTypes.COLLECTION);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
          }
          default -> ex.sendResponseHeaders(405, -1);
        }
      } catch (Exception e) {
        ex.sendResponseHeaders(500, -1);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/dap/";
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Both aggregators' aggregate shares of a real Prio3 run over the measurements. */
  @SafeVarargs
  static <M> AggregateShare[] shares(Prio3<M, ?> vdaf, M... measurements) throws Exception {
    byte[] verifyKey = new byte[vdaf.verifyKeySize()];
    List<OutputShare> leader = new ArrayList<>();
    List<OutputShare> helper = new ArrayList<>();
    for (M m : measurements) {
      byte[] nonce = new byte[Prio3.NONCE_SIZE];
      nonce[0] = (byte) leader.size();
      Sharded s = vdaf.shard(m, nonce);
      VerifyInit a = vdaf.verifyInit(verifyKey, 0, nonce, s.publicShare(), s.inputShares().get(0));
      VerifyInit b = vdaf.verifyInit(verifyKey, 1, nonce, s.publicShare(), s.inputShares().get(1));
      var msg = vdaf.verifierSharesToMessage(List.of(a.share(), b.share()));
      leader.add(vdaf.verifyNext(a.state(), msg));
      helper.add(vdaf.verifyNext(b.state(), msg));
    }
    return new AggregateShare[] {vdaf.aggregate(leader), vdaf.aggregate(helper)};
  }

  /** The Collection with both shares sealed to the collector as DAP-09 §4.6.4 says. */
  static <Q extends QueryType> byte[] collection(Prio3<?, ?> vdaf, TaskId task,
      HpkeConfig collector, PartialBatchSelector<Q> partial, BatchSelector<Q> selector,
      Interval interval, long count, AggregateShare[] s) throws Exception {
    byte[] aad = new AggregateShareAad<>(task, new byte[0], selector).encode();
    var sealer = Hpke.sealer(collector);
    return new Collection<>(partial, count, interval,
        sealer.seal(ApplicationInfo.aggregateShare(Role.LEADER), vdaf.encodeAggregateShare(s[0]),
            aad),
        sealer.seal(ApplicationInfo.aggregateShare(Role.HELPER), vdaf.encodeAggregateShare(s[1]),
            aad)).encode();
  }
}
