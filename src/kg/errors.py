"""The one exception family for problems a user can fix, and the exit codes the CLI maps them to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_INTERNAL = 70


class KgError(Exception):
    """A problem with the user's input or request; the CLI prints it as one line and exits."""

    exit_code = EXIT_BAD_INPUT


class UsageError(KgError):
    """The command was called with options or arguments that cannot work together."""

    exit_code = EXIT_USAGE


class InputError(KgError):
    """A file or query cannot be read or parsed; the message names the file, line and column where known."""

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        super().__init__(f"{format_location(path, line, column)}: {message}" if path else message)


class CheckFailed(KgError):
    """The graph was read but does not pass a check (evidence, validation).

    ``details`` holds one line per problem, which the CLI prints before the summary message.
    """

    exit_code = EXIT_NOT_CONFORMING

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        self.details = details or []
        super().__init__(message)


def format_location(path: str | None, line: int | None = None, column: int | None = None) -> str:
    """Render a location as compilers do: ``file:line:column``, leaving out the parts not known."""
    parts = [path or "<input>"]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)
