package io.pando.aggregator.task;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The {@code tasks} row (Hibernate Reactive). Secret columns hold datastore ciphertexts. */
@Entity
@Table(name = "tasks")
public class TaskEntity extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "task_id", nullable = false, unique = true)
  public byte[] taskId;

  public String role;

  @Column(name = "peer_endpoint")
  public String peerEndpoint;

  @Column(name = "query_type")
  public String queryType;

  @Column(name = "max_batch_size")
  public Long maxBatchSize;

  public String vdaf;

  @Column(name = "vdaf_verify_key")
  public byte[] vdafVerifyKey;

  @Column(name = "max_batch_query_count")
  public long maxBatchQueryCount;

  @Column(name = "task_expiration")
  public Long taskExpiration;

  @Column(name = "report_expiry_age")
  public Long reportExpiryAge;

  @Column(name = "min_batch_size")
  public long minBatchSize;

  @Column(name = "time_precision")
  public long timePrecision;

  @Column(name = "tolerable_clock_skew")
  public long tolerableClockSkew;

  @Column(name = "collector_hpke_config")
  public byte[] collectorHpkeConfig;

  @Column(name = "aggregator_auth_token")
  public byte[] aggregatorAuthToken;

  @Column(name = "aggregator_auth_token_hash")
  public byte[] aggregatorAuthTokenHash;

  @Column(name = "collector_auth_token_hash")
  public byte[] collectorAuthTokenHash;

  /** The encoded taskprov TaskConfig of a task provisioned in-band (V92); null otherwise. */
  @Column(name = "taskprov_config")
  public byte[] taskprovConfig;

  /** The JSON form of the DP strategy ({@code DpStrategies.toJson}); null: no noise. */
  @Column(name = "dp_strategy")
  public String dpStrategy;

  /** The DAP draft the task speaks, "dap-09" or "dap-18" (V97). */
  @Column(name = "dap_version")
  public String dapVersion = "dap-09";

  /** A DAP-18 task's encoded TaskConfiguration (V97); null for DAP-09. */
  @Column(name = "task_configuration")
  public byte[] taskConfiguration;

  @Column(name = "updated_by")
  public String updatedBy;
}
