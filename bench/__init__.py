
# Benchmarks build services piece by piece, without the app factory: register the areas' texts
# it would have registered, so an answer can be worded (``python -m bench.<name>`` imports this).
from moussaillon.areas import register_messages

register_messages()
