"""The one exception family for problems a user can fix, and the exit codes the CLI maps them to."""

from __future__ import annotations

import re

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130  # as a shell reports a process stopped by Ctrl-C (128 + SIGINT)


# Characters that a message quoting hostile input must not pass to a terminal as they are: C0 and C1
# controls other than tab and line feed (ESC starts terminal commands), and the bidirectional overrides
# that can make a line read differently from what it holds.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


LINE_BREAKS = re.compile("[\t\n\x85\u2028\u2029]")


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every UNPRINTABLE character written as an escape (``\\x1b``, ``\\u202e``), and with
    ``one_line`` tabs and line breaks too, so that data cannot add lines to a report."""
    text = UNPRINTABLE.sub(_escape, text)
    return LINE_BREAKS.sub(_escape, text) if one_line else text


def one_line(text: str) -> str:
    """``text`` with every run of white space, line breaks included, made one space."""
    return " ".join(text.split())


def shorten(text: str, limit: int = 200) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


class KgError(Exception):
    """A problem with the user's input or request; the CLI prints it as one line and exits."""

    exit_code = EXIT_BAD_INPUT

    def __str__(self) -> str:
        return printable(super().__str__())

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled whole, attributes included: an error raised in a worker process (kg.guard.limits) travels back.
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[KgError], args: tuple[object, ...], state: dict[str, object]) -> KgError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


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
        self.details = [printable(line) for line in details or []]
        super().__init__(message)


def format_location(path: str | None, line: int | None = None, column: int | None = None) -> str:
    """Render a location as compilers do: ``file:line:column``, leaving out the parts not known."""
    parts = [path or "<input>"]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)
