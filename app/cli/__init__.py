"""The command line: one module per subcommand of `moescope` (app/main.py parses the arguments), and
`output`, what they share."""
