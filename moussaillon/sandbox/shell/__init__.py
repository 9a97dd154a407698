"""Interactive shells: ``docker run -it``, ``docker exec -it`` and ``docker attach`` as a session
whose stdin the student writes to, message by message, and whose output comes back in bursts.

``classify`` says which lines open one (pure), ``session`` holds one open stream with its
bounds (bursts, idle timeout, input size), ``opening`` makes the container or exec and attaches
it, ``registry`` keeps each student's open sessions under the per-student limit and ends them
all on shutdown. The service (``SandboxService.open_shell``) is the way in.
"""
