"""One module per subcommand. Each has `register(subparsers)` that adds its parser and sets
`handler` to a function taking the parsed arguments and returning an exit code."""
