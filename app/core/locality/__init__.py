"""Data locality: keep every byte on this computer, and prove it.

None of it uses Qt; the window, the engine process and the tests use it the same way:

- ``policy``: which connections MoEscope may open (NetworkPolicy) and what it decided on each attempt.
- ``guard``: installs the policy in a process, checking every connection, datagram and name lookup of
  Python's socket layer before it is made.
- ``hub_env``: the Hugging Face Hub client's environment while the policy is installed.
- ``audit``: the audit log, one JSON-lines file per session.
- ``monitor``: the connection monitor, which lists the sockets of MoEscope's processes and logs them.
- ``state``: what the locality indicator says right now.
- ``outcome``: what became of an attempt; ``report``: the evidence report.

Callbacks are plain callables. They run on whichever thread noticed the event (the monitor's thread,
the thread that tried to connect, the engine client's reader thread), so a UI must hand them over to
its own thread, for example through a queued Qt signal.
"""
