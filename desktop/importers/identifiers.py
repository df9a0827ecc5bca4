"""What an email address or a username looks like: :func:`classify` says it about one value.

Thread safety: pure functions and constants, safe on any thread.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from typing import Final, Literal

from desktop.i18n import _

__all__ = ["MAX_EMAIL_LENGTH", "MAX_USERNAME_LENGTH", "Classification", "IdType", "RowKind", "classify"]

IdType = Literal["email", "username"]

MAX_EMAIL_LENGTH: Final = 254
MAX_USERNAME_LENGTH: Final = 60


class RowKind(enum.StrEnum):
    IDENTIFIER = "identifier"
    BLANK = "blank"
    INVALID = "invalid"


Classification = tuple[RowKind, str | None, IdType | None, str | None]
"""What :func:`classify` says about a value: ``(kind, key, id_type, problem)``."""


#: A domain email-validator accepts, to check the part before "@" alone.
_STAND_IN_DOMAIN: Final = "example.org"

_IDENTIFIER, _BLANK_KIND, _INVALID = RowKind.IDENTIFIER, RowKind.BLANK, RowKind.INVALID
_BLANK: Final[Classification] = (_BLANK_KIND, None, None, None)

# Fast paths for the ASCII shapes nearly every row has; anything they reject goes through
# the slow, explaining checks (which also accept internationalised addresses and names).
# The email pattern accepts only addresses email-validator accepts too (a dot-atom before the
# "@"; labels of letters, digits and inner hyphens, without "--"; a top-level domain ending in
# a letter), so it changes how fast a row is read, never what it is.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = r"(?:[A-Za-z0-9][A-Za-z0-9-]{0,61})?[A-Za-z]"
_ASCII_EMAIL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@(?![^@]*--)(?:{_LABEL}\.)+{_TOP_LABEL}").fullmatch
_ASCII_USERNAME = re.compile(r"[A-Za-z0-9_.-]*[A-Za-z0-9][A-Za-z0-9_.-]*").fullmatch
_LOCAL_PART_SYMBOLS: Final = frozenset("!#$%&'*+/=?^_`{|}~.-")
_USERNAME_SYMBOLS: Final = frozenset("_.-")
# "jane(at)example.org", "jane [at] example.org", "jane at example.org": an address with "@" spelled out.
_SPELLED_AT = re.compile(r"[(\[{<]\s*at\s*[)\]}>]|\S\s+at\s+\S+\.\S", re.IGNORECASE)
# A username may have dots, so "jane.doe" is fine; "jane.doe.example.com" is an address missing its "@".
# fmt: off
_MAIL_TLDS: Final = frozenset((
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "me", "uk", "de", "fr",
    "nl", "be", "ch", "at", "es", "it", "pt", "se", "no", "dk", "fi", "pl", "cz", "ru", "jp", "cn",
    "in", "br", "au", "ca", "us", "nz", "ie"
))
# fmt: on


def classify(raw: str) -> Classification:
    """Classify one value as an email, a username, blank or invalid.

    Before checking, surrounding whitespace is trimmed and one pair of
    surrounding quotes (``"…"`` or ``'…'``) and angle brackets removed;
    ``Jane Doe <jane@example.org>`` counts as its address. A value with "@"
    anywhere but at its start is an email if email-validator accepts its
    syntax (no quoted local part, no IP address as domain; special-use domains
    such as ``.local`` are accepted, since only matching matters; nothing is looked up) and it has at most 254
    characters; an invalid one says why in our words. Otherwise it is a
    username (one leading "@" dropped): 1 to 60 letters (any script), digits,
    "_", "." or "-", with at least one letter or digit. The key is the value NFC-normalised and casefolded, so
    ``Jane.Doe@Example.COM`` and ``jane.doe@example.com`` are the same member.
    """
    value = raw.strip()
    # Fast paths for the plain ASCII values nearly every row holds; everything else
    # (quotes, "@handle", non-ASCII, mistakes) takes the explaining path below.
    if "@" in value:
        if len(value) <= MAX_EMAIL_LENGTH and _ASCII_EMAIL(value):
            return (_IDENTIFIER, value.casefold(), "email", None)
    elif len(value) <= MAX_USERNAME_LENGTH and value.count(".") < 2 and _ASCII_USERNAME(value):
        return (_IDENTIFIER, value.casefold(), "username", None)
    if not value:
        return _BLANK
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)  # "e" + combining accent is the letter "é"
    if value[0] in "\"'<" or value[-1] == ">":
        value = _unwrap(value)
        if not value:
            return _BLANK
    if value[0] == "@":
        if value.find("@", 1) < 0:
            return _classify_username(value[1:])
    elif "@" not in value:
        return _classify_username(value)
    elif len(value) <= MAX_EMAIL_LENGTH and _ASCII_EMAIL(value):
        return (_IDENTIFIER, value.casefold(), "email", None)
    problem = _email_problem(value)
    if problem is not None:
        return (_INVALID, None, None, problem)
    return (_IDENTIFIER, _fold(value), "email", None)


def _classify_username(name: str) -> Classification:
    if len(name) <= MAX_USERNAME_LENGTH and _ASCII_USERNAME(name):
        key = name.casefold()
    else:
        problem = _username_problem(name)
        if problem is not None:
            return (_INVALID, None, None, problem)
        key = _fold(name)
    if name.count(".") >= 2 and _ends_in_mail_domain(name):
        return (_INVALID, None, None, _looks_like_an_address())
    return (_IDENTIFIER, key, "username", None)


def _looks_like_an_address() -> str:
    return _("email has no '@' (this looks like an address)")


def _ends_in_mail_domain(text: str) -> bool:
    return "." in text and text.rsplit(".", 1)[1].casefold() in _MAIL_TLDS


def _fold(value: str) -> str:
    return unicodedata.normalize("NFC", value).casefold()


def _unwrap(value: str) -> str:
    """Drop one pair of surrounding quotes, then ``<…>`` (keeping the address of ``Name <address>``)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    if value.endswith(">"):
        start = value.rfind("<")
        if start >= 0:
            value = value[start + 1 : -1].strip()
    return value


def _email_problem(value: str) -> str | None:
    """Why ``value`` (which has an "@") is not an email address; None if it is one.

    email-validator decides (syntax only: never a DNS lookup); the reason shown is ours, so
    that it can be translated and names the character or part to fix.
    """
    common = _common_problem(value)
    if common is not None:
        return common
    if value.count("@") > 1:
        return _("email has more than one '@'")
    # Nothing before the "@" cannot happen here: "@name" is a username.
    local, _at, domain = value.partition("@")
    if not domain:
        return _("email has no domain after '@'")
    # email-validator checks the part before "@" and the domain apart. A list repeats a few
    # domains, and an internationalised one costs some 100 µs to check: each is checked once.
    # (Our length limit applies to the address as written, the library's to its normalised
    # and its ASCII forms: they differ only for internationalised domains near 254 characters.)
    if (
        len(value) <= MAX_EMAIL_LENGTH
        and _is_email(f"{local}@{_STAND_IN_DOMAIN}")
        and _domain_is_valid(domain)
    ):
        return None
    return _why_not_an_email(value, local, domain)


@functools.lru_cache(maxsize=1024)
def _domain_is_valid(domain: str) -> bool:
    """email-validator's verdict on ``domain``, the special-use ones (``.local``, ``.test``, …) included.

    The library refuses those as undeliverable; but a list's address only has to match the one
    the community stores, and intranet and test communities use them (``jane@corp.local``).
    """
    # Imported when a list is read: 40 ms at start.
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    head, _dot, top = domain.rpartition(".")
    if head and top.casefold() in SPECIAL_USE_DOMAIN_NAMES:
        domain = f"{head}.org"
    return _is_email(f"a@{domain}")


def _is_email(value: str) -> bool:
    """What email-validator says of ``value``'s syntax; deliverability is never checked (no DNS)."""
    # Imported when a list is read: 40 ms at start.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(
            value,
            check_deliverability=False,
            allow_smtputf8=True,
            allow_empty_local=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError:
        return False
    return True


def _why_not_an_email(value: str, local: str, domain: str) -> str:
    """Why email-validator refused ``local@domain``, for the user (its own reasons are English only)."""
    for char in local:
        if not (char.isalnum() or char in _LOCAL_PART_SYMBOLS):
            return _("email contains {character}").format(character=_describe(char))
    for char in domain:
        if not (char.isalnum() or char in "-."):
            return _("email domain contains {character}").format(character=_describe(char))
    # Before the reasons that quote the domain, so a problem stays short enough to show.
    if len(value) > MAX_EMAIL_LENGTH:
        return _("email is longer than {n} characters").format(n=MAX_EMAIL_LENGTH)
    if "." not in domain:
        return _("email domain '{domain}' has no '.'").format(domain=domain)
    labels = domain.split(".")
    if not all(labels):
        return _("email domain '{domain}' has an empty part between dots").format(domain=domain)
    if not all(local.split(".")):
        return _("email has a '.' at the start or end of the part before '@', or two in a row")
    if any(label[0] == "-" or label[-1] == "-" for label in labels):
        return _("email domain '{domain}' has a part that starts or ends with '-'").format(domain=domain)
    if _domain_is_valid(domain):
        return _("email has a part before '@' that is not valid")
    return _("email domain '{domain}' is not a valid domain name").format(domain=domain)


def _username_problem(name: str) -> str | None:
    """Why ``name`` is not a username; None if it is one (non-ASCII letters, say)."""
    if not name:
        return _("'@' alone is not a username")
    # An address missing its "@" says so before "contains spaces": "no at sign.com" is not a name.
    if _SPELLED_AT.search(name):
        return _("email has no '@' (it is spelled out)")
    if _ends_in_mail_domain(name) and any(char.isspace() for char in name):
        return _looks_like_an_address()
    common = _common_problem(name)
    if common is not None:
        return common
    for char in name:
        if not (char.isalnum() or char in _USERNAME_SYMBOLS):
            return _("username contains {character}").format(character=_describe(char))
    if len(name) > MAX_USERNAME_LENGTH:
        return _("username is longer than {n} characters").format(n=MAX_USERNAME_LENGTH)
    if not any(char.isalnum() for char in name):
        return _("username has no letters or digits")
    return None


def _common_problem(value: str) -> str | None:
    if len(value.split(maxsplit=1)) > 1:
        return _("contains spaces")
    if not value.isprintable():
        char = next(c for c in value if not c.isprintable())
        return _("contains an invisible or control character ({character})").format(character=_describe(char))
    return None


def _describe(char: str) -> str:
    return f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"
