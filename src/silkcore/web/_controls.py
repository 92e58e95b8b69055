"""One item as a form control, and a submitted form back into an answer.

The contract other tools drive the questionnaire by: an item's control has ``name`` equal to
the item id; an option's control has the option's value written as form text (``true`` and
``false`` for yes/no, an integer in decimal, a string as it is); "not applicable" and "don't
know" are controls of the same name with the values ``not_applicable`` and ``unknown``.

Parsing is strict: a number is read as a number or refused with a message, never guessed
from other text; an option must be one of the item's options. Whether a parsed answer *fits*
its item (a number in its range, a date that exists) is the one check's verdict
(:func:`silkcore.web._forms.field_issues`), not decided again here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence

import attrs

from .._answers import same_value
from .._assessment import AnswerStatus, AnswerValue
from .._framework import NUMERIC_KINDS, Framework, Item, ItemKind, OptionValue
from ._answer import Answer
from ._i18n import N_
from ._problems import problem_of
from ._texts import LocalText, local_text

__all__ = [
    "ANSWER_NEEDED",
    "CONTROLS",
    "INTERFACE_MESSAGES",
    "ItemView",
    "Message",
    "OptionView",
    "item_view",
    "offered_statuses",
    "option_tokens",
    "parse_item",
    "plain_language",
]

#: The control each kind of item is answered with (the template draws each one).
CONTROLS: Mapping[ItemKind, str] = {
    ItemKind.CHOICE: "radio",
    ItemKind.SCALE: "radio",
    ItemKind.YES_NO: "radio",
    ItemKind.MULTI_CHOICE: "checkbox",
    ItemKind.NUMBER: "number",
    ItemKind.PERCENTAGE: "number",
    ItemKind.DURATION: "number",
    ItemKind.TEXT: "text",
    ItemKind.DATE: "date",
    ItemKind.LINK: "url",
}


ENTER_A_NUMBER = N_("Enter a number, like 12 or 3.5")
NUMBER_TOO_LARGE = N_("Enter a smaller number")
ONE_ANSWER = N_("Give one answer only")
NOT_AN_OPTION = N_("Choose one of the options shown")
STATUS_AND_ANSWER = N_("Give an answer or choose 'not applicable' or 'don't know', not both")
TWO_STATUSES = N_("Choose either 'not applicable' or 'don't know', not both")
ANSWER_NEEDED = N_("Answer this question, or choose 'don't know' to go on")

#: The messages parsing gives: interface strings the template translates. Messages of the
#: one check are shown as that check words them.
INTERFACE_MESSAGES = frozenset(
    {ENTER_A_NUMBER, NUMBER_TOO_LARGE, ONE_ANSWER, NOT_AN_OPTION, STATUS_AND_ANSWER, TWO_STATUSES, ANSWER_NEEDED}
)

# ASCII digits only: Python's int() and float() would also read other scripts' digits,
# "1_000" and "infinity", none of which a respondent types as a number on purpose.
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"[-+]?[0-9]+")
_MAX_NUMBER_TEXT = 100  # digits enough for any number an assessment asks; more is junk or an attack


@attrs.frozen
class Message:
    """A message beside a field: ``interface`` ones are translated by the template (a
    template of the check's keeps its values in ``params``)."""

    text: str
    interface: bool
    params: tuple[tuple[str, str], ...] = ()

    def shown(self, translate: Callable[[str], str]) -> str:
        """The message as the page shows it, ``translate`` being the page's gettext."""
        if not self.interface:
            return self.text
        return translate(self.text).format(**dict(self.params)) if self.params else translate(self.text)


def message_of(text: str) -> Message:
    """The message to show for ``text``: an interface string, one of the check's answer
    problems (translated, its values kept), or the check's words as they are."""
    if text in INTERFACE_MESSAGES:
        return Message(text, True)
    problem = problem_of(text)
    return Message(problem[0], True, problem[1]) if problem else Message(text, False)


@attrs.frozen
class OptionView:
    """One option of a radio or checkbox group. ``label`` is None for a yes/no option without
    one: ``boolean`` then says which, and the template writes the translated "Yes" or "No"."""

    token: str
    label: LocalText | None
    boolean: bool | None
    checked: bool
    dom_id: str


@attrs.frozen
class ItemView:
    """What the template needs to draw one item: its control, texts, options, current answer,
    which statuses it offers, and its error messages. ``base_id`` is unique on the page
    (``q3`` for the third item: item ids may hold characters awkward in ids); ``dom_id`` is
    the id of its first control (the error summary links to it); ``hint_id`` and
    ``error_id`` are what ``aria-describedby`` names."""

    id: str
    kind: str
    control: str
    position: int
    base_id: str
    dom_id: str
    label: str | None
    text: LocalText
    help: LocalText | None
    source: str
    sse_specific: bool
    options: tuple[OptionView, ...]
    value: str
    min: float | None
    max: float | None
    step: str
    unit: str | None
    offers_not_applicable: bool
    offers_unknown: bool
    status: str | None
    errors: tuple[Message, ...]
    revealed: bool = False
    #: The language of the framework's untranslated strings (``source``, ``unit``) when it
    #: is not the page's, for their ``lang`` attribute; None when it is.
    plain_language: str | None = None

    @property
    def hint_id(self) -> str:
        """Id of the help text element."""
        return f"{self.base_id}-hint"

    @property
    def error_id(self) -> str:
        """Id of the error message element."""
        return f"{self.base_id}-error"

    @property
    def na_id(self) -> str:
        """Id of the "not applicable" control."""
        return f"{self.base_id}-na"

    @property
    def unknown_id(self) -> str:
        """Id of the "don't know" control."""
        return f"{self.base_id}-unknown"

    @property
    def range_id(self) -> str:
        """Id of the line giving a number's range."""
        return f"{self.base_id}-range"

    @property
    def has_range(self) -> bool:
        """Whether a number's range is shown (it has a minimum or a maximum)."""
        return self.control == "number" and (self.min is not None or self.max is not None)

    @property
    def min_text(self) -> str:
        """The minimum as written in the range line (``0``, not ``0.0``)."""
        return _plain(self.min)

    @property
    def max_text(self) -> str:
        """The maximum as written in the range line."""
        return _plain(self.max)

    @property
    def number(self) -> str:
        """How the page numbers the item: its printed label, else its position on the page."""
        return self.label or str(self.position)

    @property
    def described_by(self) -> str:
        """The ids ``aria-describedby`` names: the hint, a number's range and the error
        message, those shown."""
        ids = [self.hint_id] if self.help else []
        ids += [self.range_id] if self.has_range else []
        ids += [self.error_id] if self.errors else []
        return " ".join(ids)

    @property
    def offers_status(self) -> bool:
        """Whether any status control is drawn."""
        return self.offers_not_applicable or self.offers_unknown


def _plain(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else repr(number)


def _natural_token(value: OptionValue) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    return str(value)


def option_tokens(framework: Framework, item: Item) -> dict[str, OptionValue]:
    """The item's options by the form text that stands for each. Written plainly (``true``,
    ``3``, ``inward``); should two options read the same (the string ``"1"`` and the integer
    ``1``), every option of that item is written as JSON instead, which tells them apart."""
    options = framework.options_of(item)
    natural = {_natural_token(o.value): o.value for o in options}
    if len(natural) == len(options):
        return natural
    return {json.dumps(o.value, ensure_ascii=False): o.value for o in options}


def offered_statuses(framework: Framework, item: Item) -> tuple[AnswerStatus, ...]:
    """The statuses the item can be answered with. Every scoring policy accepts both - "not
    applicable" is left out, counted 0 or at target, "unknown" left out or counted 0
    (:class:`~silkcore._framework.ScoringPolicy`) - and a response set may give either to any
    item; so both are offered, except where an option's form text is the status's own value
    (an option named ``unknown``), since the form could not tell the two apart."""
    tokens = option_tokens(framework, item)
    return tuple(s for s in AnswerStatus if s.value not in tokens)


def _number_text(value: AnswerValue | None) -> str:
    if type(value) is float:
        return repr(value)
    return "" if value is None or isinstance(value, tuple) else str(value)


def item_view(
    framework: Framework,
    item: Item,
    position: int,
    answer: Answer | None,
    language: str,
    errors: Sequence[str] = (),
    submitted: Sequence[str] | None = None,
    revealed: bool = False,
) -> ItemView:
    """The control model of ``item``, the ``position``-th (from 1) on its page, showing
    ``answer`` - or, when a submitted form is shown again with its errors, the ``submitted``
    texts as they were typed."""
    default = framework.default_language
    tokens = option_tokens(framework, item)
    statuses = offered_statuses(framework, item)
    dom_id = f"q{position}"
    if submitted is not None:
        chosen = {t.strip() for t in submitted}
        offered = {s.value for s in statuses}  # an option named like a status is an option
        status = next((s.value for s in statuses if s.value in chosen), None)
        typed = next((t for t in submitted if t.strip() and t.strip() not in offered), "")
    else:
        status = answer.status.value if answer is not None and answer.status is not None else None
        value = answer.value if answer is not None else None
        chosen = {t for t, v in tokens.items() if _holds(value, v)}
        typed = _number_text(value) if item.kind in NUMERIC_KINDS else (value if isinstance(value, str) else "")
    low, high = item.min, item.max
    if item.kind == ItemKind.PERCENTAGE:  # the range the one check applies to a percentage without one
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
    options = tuple(
        OptionView(
            token,
            local_text(option.label, language, default) if option.label else _value_label(option.value, language),
            option.value if type(option.value) is bool and not option.label else None,
            token in chosen,
            f"{dom_id}-{number}",
        )
        for number, (token, option) in enumerate(zip(tokens, framework.options_of(item), strict=True), start=1)
    )
    control = CONTROLS[item.kind]
    return ItemView(
        id=item.id,
        kind=item.kind.value,
        control=control,
        position=position,
        base_id=dom_id,
        dom_id=options[0].dom_id if options and control in ("radio", "checkbox") else dom_id,
        label=item.label,
        text=local_text(item.text, language, default),
        help=local_text(item.help, language, default) if item.help else None,
        source=item.source,
        sse_specific=bool(item.sse_specific),
        options=options,
        value=typed,
        min=low,
        max=high,
        step="any",
        unit=item.unit,
        offers_not_applicable=AnswerStatus.NOT_APPLICABLE in statuses,
        offers_unknown=AnswerStatus.UNKNOWN in statuses,
        status=status,
        errors=tuple(message_of(e) for e in errors),
        revealed=revealed,
        plain_language=plain_language(framework, language),
    )


_STATUS_TOKENS = frozenset(s.value for s in AnswerStatus)


def _holds(value: AnswerValue | None, option: OptionValue) -> bool:
    if isinstance(value, tuple):
        return any(same_value(v, option) for v in value)
    return value is not None and same_value(value, option)


def plain_language(framework: Framework, language: str) -> str | None:
    """The language a framework's plain strings (sources, units, notes: no translations) are
    written in - its default language - when that is not ``language``; None otherwise."""
    default = framework.default_language or "en"
    return None if default.split("-")[0].casefold() == language.split("-")[0].casefold() else default


def _value_label(value: OptionValue, language: str) -> LocalText | None:
    """An option without a label shows its value; a boolean's the template words."""
    if type(value) is bool:
        return None
    return LocalText(str(value), language)


def parse_item(framework: Framework, item: Item, submitted: Sequence[str]) -> tuple[Answer | None, list[str]]:
    """The answer the submitted texts of ``item``'s controls give (None: left unanswered),
    and the problems found reading them (then the answer is None)."""
    texts = [t.strip() for t in submitted]
    texts = [t for t in texts if t]
    statuses = [AnswerStatus(t) for t in dict.fromkeys(texts) if t in _STATUS_TOKENS]
    tokens = option_tokens(framework, item)
    # An option whose form text is a status's value takes it (that status is not offered).
    statuses = [s for s in statuses if s.value not in tokens]
    given = [t for t in texts if t not in _STATUS_TOKENS or t in tokens]
    if statuses:
        if len(statuses) > 1:
            return None, [TWO_STATUSES]
        if given:
            return None, [STATUS_AND_ANSWER]
        return Answer(status=statuses[0]), []
    if not given:
        return None, []
    kind = item.kind
    if kind == ItemKind.MULTI_CHOICE:
        if any(t not in tokens for t in given):
            return None, [NOT_AN_OPTION]
        picked = set(given)
        return Answer(tuple(v for t, v in tokens.items() if t in picked)), []
    if len(given) > 1:
        return None, [ONE_ANSWER]
    text = given[0]
    if tokens or kind in (ItemKind.CHOICE, ItemKind.SCALE, ItemKind.YES_NO):
        return (Answer(tokens[text]), []) if text in tokens else (None, [NOT_AN_OPTION])
    if kind in NUMERIC_KINDS:
        number = _number(text)
        return (None, [number]) if isinstance(number, str) else (Answer(number), [])
    # Text, dates and links keep what was typed (surrounding spaces aside): whether a date is
    # a date is the one check's to say, in the words silk validate uses.
    return Answer(text), []


def _number(text: str) -> int | float | str:
    """``text`` as a number (an integer when written as one), or the message saying why not."""
    if len(text) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        return ENTER_A_NUMBER
    if _INTEGER.fullmatch(text):
        return int(text)
    number = float(text)
    return number if math.isfinite(number) else NUMBER_TOO_LARGE
