"""The imperative shell around the core: TinyDB files on disk, evidence, locking, doctor."""
