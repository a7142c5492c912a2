"""The window's side of a company inference server: the connection settings, and the server's errors and
abilities in the user's language."""
