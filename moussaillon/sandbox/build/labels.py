"""Labels the sandbox puts on every image a student builds (beside owner and sandbox)."""

STAGES = "moussaillon.build.stages"  # how many FROM stages the Dockerfile had
BASES = "moussaillon.build.bases"  # JSON list of the external FROM refs, as the student typed
