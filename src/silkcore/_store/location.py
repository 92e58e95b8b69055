"""Where a store lives: an SQLite file (a path) or a PostgreSQL database (a URL).

A ``postgresql://`` or ``postgres://`` location is never treated as a file path: it becomes
a :class:`StoreURL`, which shows itself without its password (in messages, ``repr``, and
what ``silk history`` prints) and answers ``exists()`` like a path does, so the commands
that ask a path whether there is a store there work unchanged - the database is checked
when it is opened.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from .._errors import StoreError

__all__ = ["StoreURL", "check_store_path", "default_store_path", "is_store_url", "store_location"]

_URL = re.compile(r"^postgres(?:ql)?://", re.IGNORECASE)


def is_store_url(location: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgres://``), as text or :class:`StoreURL`."""
    return isinstance(location, StoreURL) or (isinstance(location, str) and bool(_URL.match(location)))


class StoreURL:
    """A PostgreSQL store's URL. ``url`` is the full text (password included, for the driver
    only); ``str()`` is :attr:`redacted`, safe to print or log."""

    __slots__ = ("redacted", "url")

    def __init__(self, url: str) -> None:
        if not _URL.match(url):
            raise StoreError(f"not a PostgreSQL URL: {redact(url)!r} (expected postgresql://USER@HOST/DATABASE)")
        if not url.isascii() and _undecodable(url):
            raise StoreError(f"not a PostgreSQL URL: {redact(url)!r} holds bytes that are not UTF-8 text")
        self.url = url
        self.redacted = redact(url)

    def exists(self) -> bool:
        """A database is never known to be missing before it is opened (``Path.exists`` for a URL)."""
        return True

    def __str__(self) -> str:
        return self.redacted

    def __format__(self, spec: str) -> str:
        return format(self.redacted, spec)

    def __repr__(self) -> str:
        return f"StoreURL({self.redacted!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoreURL) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def _undecodable(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (a command line's undecodable bytes
    arrive as lone surrogates), which the driver cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


#: Text that looks like a URL (a scheme, then ``:`` and a slash) or like a PostgreSQL URL
#: mistyped (``postgresql:/...``, ``postgresql+psycopg://...``): never a file name here.
_URL_LIKE = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]+:/|postgres(?:ql)?[+:])", re.IGNORECASE)  # "C:/" is a drive
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):/*")
_HIDDEN = "***"
#: A query parameter that carries a password (``password=``, ``sslpassword=``): its value.
_QUERY_PASSWORD = re.compile(r"[?&][^=&#]*pass[^=&#]*=([^&#]*)", re.IGNORECASE)


def _url_parts(url: str) -> tuple[str, str | None, set[str], str]:
    """``(scheme, user, secrets, host and database as shown)`` of a URL, read conservatively.

    libpq ends a URL's user part at its first ``@`` or ``/``, but a password may hold ``#``
    or ``?`` (which :func:`urllib.parse.urlsplit` takes for the fragment or the query), and
    a mistyped URL may hold anything. So the user part here runs to the *last* ``@``: a
    password can never be shown as a host. When that part holds a ``/`` (or its user name a
    ``?`` or ``#``) it cannot be told from a path or a query: nothing of the URL but its
    scheme is shown, and the part and each of its pieces are secrets (the driver may read a
    piece as a host or a port). The query and fragment (which may carry ``password=``) are
    never shown, nor a port that is not a number (``USER:PASSWORD`` written without its
    ``@`` reads as a host and a port): that port is a secret too."""
    matched = _SCHEME.match(url)
    scheme, rest = (matched.group(1), url[matched.end() :]) if matched else ("", url)
    secrets = {value for match in _QUERY_PASSWORD.finditer(url) for value in (match.group(1), unquote(match.group(1)))}
    userinfo, at, after = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if at and ("/" in userinfo or "?" in user or "#" in user):
        return scheme, None, {userinfo, *re.split(r"[:/?#@]", userinfo), *secrets} - {""}, _HIDDEN
    if colon and password:
        secrets.add(password)
    host, slash, database = re.split(r"[?#]", after, maxsplit=1)[0].partition("/")
    hosts = []
    for one in host.split(","):  # libpq takes several HOST:PORT, comma-separated
        name, port_colon, port = one.rpartition(":") if not one.endswith("]") else ("", "", one)
        if port_colon and not port.isdigit() and "]" not in port:
            secrets.add(port)
            one = f"{name}:{_HIDDEN}"
        hosts.append(one)
    return scheme, (user if at else None), secrets - {""}, ",".join(hosts) + slash + database


def secrets_of(url: str) -> set[str]:
    """What of ``url`` a message must not show, as :func:`redact` reads it (to scrub from
    driver messages that quote the URL): its password, a port that is not a number, the
    value of any query parameter that carries a password (as written and decoded), and
    every piece of a user part that could not be read."""
    return _url_parts(url)[2]


def redact(url: str) -> str:
    """``url`` without its password, query or fragment: ``postgresql://USER@HOST:PORT/DATABASE``.

    Hand-split rather than parsed by the driver, so even a URL the driver refuses is shown
    without its secret (see :func:`_url_parts` for how a doubtful one is read)."""
    scheme, user, _, shown = _url_parts(url)
    if shown == _HIDDEN:
        return f"{scheme}://{_HIDDEN}"
    return f"{scheme}://{user + '@' if user is not None else ''}{shown}"


def store_location(location: str | os.PathLike[str] | StoreURL) -> Path | StoreURL:
    """Where a location given as text names a store: a :class:`StoreURL` for a PostgreSQL
    URL, else a file path. The one reading of ``--store`` and of ``$SILKCORE_STORE``: a URL
    in either is never taken for a file name (nor shown with its password)."""
    if isinstance(location, StoreURL):
        return location
    if is_store_url(location):
        return StoreURL(str(location))
    if isinstance(location, str) and _URL_LIKE.match(location):
        # Another scheme, a space before the URL, a slash missing: refused (never a file
        # called "postgresql:"), and shown without the password it may hold.
        raise StoreError(f"not a store location: {redact(location)!r}; expected a file or a postgresql://USER@HOST/DATABASE URL")
    return Path(location)


def default_store_path() -> Path | StoreURL:
    """``$SILKCORE_STORE`` (a file or a PostgreSQL URL, read by :func:`store_location`), else
    ``silkcore/history.sqlite`` in the user's data directory (XDG)."""
    if os.environ.get("SILKCORE_STORE"):
        return store_location(os.environ["SILKCORE_STORE"])
    return data_directory() / "history.sqlite"


def data_directory() -> Path:
    """silkcore's own folder in the user's data directory: the one folder a store may create."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "silkcore"


def check_store_path(path: str | os.PathLike[str] | StoreURL) -> Path | StoreURL:
    """Check, before any work, that a store can be opened or created at ``path``.

    A PostgreSQL URL is only checked for its form here (it is reached when opened) and
    comes back as a :class:`StoreURL`. For a file, its directory must exist - silkcore
    creates only its own data directory (see :func:`default_store_path`), never the folders
    of a path it was given - and be writable, and ``path`` must not be a directory. Raises
    :class:`StoreError` (exit 5) with one line; an existing file that is not a store is
    refused when the store is opened."""
    path = store_location(path)
    if isinstance(path, StoreURL):
        return path
    try:
        if path.is_dir():
            raise StoreError(f"cannot open the store {path}: it is a directory")
        parent = path.parent
        if not parent.is_dir():
            if parent.exists():
                raise StoreError(f"cannot open the store {path}: {parent} is not a directory")
            if _absolute(parent) != _absolute(data_directory()):
                raise StoreError(f"cannot open the store {path}: the directory {parent} does not exist (create it first)")
        elif not os.access(parent, os.W_OK | os.X_OK) and not (path.exists() and os.access(path, os.R_OK)):
            raise StoreError(f"cannot open the store {path}: no permission to write in {parent}")
    except (OSError, ValueError) as exc:  # a path the system refuses (too long, a NUL character...)
        raise StoreError(f"cannot open the store {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return path


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))
