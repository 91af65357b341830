package io.pando.aggregator.hpke;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The {@code hpke_keys} row (Hibernate Reactive). {@code privateKey} is a datastore ciphertext. */
@Entity
@Table(name = "hpke_keys")
public class HpkeKeyEntity extends PanacheEntityBase {
  @Id
  @Column(name = "config_id")
  public Short configId;

  public byte[] config;

  @Column(name = "private_key")
  public byte[] privateKey;

  public String state;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "state_changed_at")
  public OffsetDateTime stateChangedAt;

  @Column(name = "updated_by")
  public String updatedBy;
}
