-- When each OHTTP gateway key was made, as V91 did for hpke_keys: the key rotator's clock for
-- "a key newer than active-duration". Keys made before this column existed take their last
-- state change.
ALTER TABLE ohttp_keys ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();
UPDATE ohttp_keys SET created_at = state_changed_at;
