SELECT stale FROM derivation;
