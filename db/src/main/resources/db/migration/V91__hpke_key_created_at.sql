-- When each HPKE key was made (the key rotator's clock for "a key newer than active-duration"),
-- beside state_changed_at. Keys made before this column existed take their last state change.
ALTER TABLE hpke_keys ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();
UPDATE hpke_keys SET created_at = state_changed_at;
