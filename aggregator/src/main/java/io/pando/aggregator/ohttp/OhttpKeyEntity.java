package io.pando.aggregator.ohttp;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The {@code ohttp_keys} row (V93, V94). {@code privateKey} is a datastore ciphertext. */
@Entity
@Table(name = "ohttp_keys")
public class OhttpKeyEntity extends PanacheEntityBase {
  @Id
  @Column(name = "key_id")
  public Short keyId;

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
