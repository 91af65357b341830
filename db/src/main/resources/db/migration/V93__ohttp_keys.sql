-- The Oblivious HTTP gateway's keys (RFC 9458 §3; aggregator/README.md, "OHTTP"), with the
-- lifecycle of hpke_keys: PENDING (known to every replica, not yet published), ACTIVE (published
-- at /ohttp-keys), EXPIRED (no longer published, still opens requests until deleted).
CREATE TABLE ohttp_keys (
    key_id                    SMALLINT PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
    config                    BYTEA NOT NULL,  -- encoded key configuration (RFC 9458 §3.1)
    private_key               BYTEA NOT NULL,  -- encrypted (Crypter), AAD the key id
    state                     TEXT NOT NULL CHECK (state IN ('PENDING', 'ACTIVE', 'EXPIRED')),
    state_changed_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                TEXT NOT NULL
);

-- Every replica caches the keys; a change notifies them all, as for hpke_keys (V80).
CREATE FUNCTION pando_notify_ohttp_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pando_ohttp_keys', '');
  RETURN NULL;
END $$;
CREATE TRIGGER ohttp_keys_notify AFTER INSERT OR UPDATE OR DELETE ON ohttp_keys
    FOR EACH STATEMENT EXECUTE FUNCTION pando_notify_ohttp_key_change();
