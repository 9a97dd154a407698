"""Classes: roles, joining, lab-correction releases, exactly-once broadcasts and progress."""
