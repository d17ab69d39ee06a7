/** A CLI command: gets its arguments (after the command name), returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;
