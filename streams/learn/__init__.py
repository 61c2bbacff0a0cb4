"""Training and measuring the learned detector (scikit-learn; not part of the runtime core)."""
