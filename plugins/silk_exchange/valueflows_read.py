"""Reading ValueFlows JSON-LD back into flow documents (the writer is in ``valueflows``).

The reader understands the inline context silkcore writes, the ``http://`` spelling of the
ValueFlows namespace, and plain VF data from other platforms (see ``valueflows``'s table).
It never fetches a remote context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from silkcore import (
    DataError,
    FlowKind,
    FlowStatus,
    IntangibleType,
    Issue,
    parse_json,
    validate,
)

__all__ = ["ValueFlowsImporter", "import_valueflows"]

from .valueflows import (
    _MAX_DEPTH,
    _TRAILING_COUNTRY,
    FLOW_SCHEMA,
    OM,
    SILK,
    VF,
    WIKIDATA_CURRENCIES,
    _number,
    _pointer,
    _vf_normal,
    from_iri,
)


class _Problem(Exception):
    """One issue found while reading a node; caught per flow so every bad flow is reported."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


@dataclass
class _Value:
    """One value of a property: a literal, an IRI reference or an embedded node."""

    pointer: str
    literal: Any = None
    iri: str | None = None
    node: _Node | None = None
    ref: str | None = None  # a literal string read as an IRI, for data whose context does not coerce references
    language: str | None = None

    def reference(self) -> str | None:
        """The IRI this value points at, however it was written."""
        if self.iri is not None:
            return self.iri
        if self.node is not None:
            return self.node.id
        return self.ref


@dataclass
class _Node:
    """A node object with expanded property IRIs."""

    pointer: str
    id: str | None = None
    types: list[str] = field(default_factory=list)
    props: dict[str, list[_Value]] = field(default_factory=dict)

    def values(self, iri: str) -> list[_Value]:
        return self.props.get(iri, [])

    def one(self, iri: str) -> _Value | None:
        found = self.values(iri)
        if len(found) > 1:
            raise _Problem(found[1].pointer, f"expected one value of <{iri}>, found {len(found)}")
        return found[0] if found else None

    def text(self, iri: str) -> str | None:
        value = self.one(iri)
        if value is None:
            return None
        if not isinstance(value.literal, str):
            raise _Problem(value.pointer, f"expected a text value for <{iri}>")
        return value.literal


#: How many term definitions may refer to one another in a row (``a`` -> ``b:x`` -> ``c:y``...).
_MAX_TERM_CHAIN = 32


@dataclass
class _Term:
    iri: str
    coerce: str | None = None


class _Context:
    """The subset of a JSON-LD context an importer needs: terms, prefixes, coercion, ``@vocab``.

    Only inline contexts are read; a context given by URL is refused (nothing is fetched).
    """

    def __init__(self, raw: Any, pointer: str) -> None:
        self._raw: dict[str, tuple[Any, str]] = {}
        self._terms: dict[str, _Term | None] = {}
        vocab: Any = None
        items = raw if isinstance(raw, list) else [raw]
        for i, item in enumerate(items):
            where = _pointer(pointer, i) if isinstance(raw, list) else pointer
            if item is None:
                continue
            if isinstance(item, str):
                raise DataError([Issue(where, f"remote context {item!r} is not fetched: inline the context in the document")])
            if not isinstance(item, dict):
                raise DataError([Issue(where, "a JSON-LD context must be an object")])
            for key, value in item.items():
                if key == "@vocab":
                    vocab = value
                elif not key.startswith("@"):
                    self._raw[key] = (value, _pointer(where, key))
        self.vocab: str | None = None
        if isinstance(vocab, str):
            self.vocab = self.expand(vocab, vocab=False)

    def term(self, name: str, seen: frozenset[str] = frozenset()) -> _Term | None:
        """The definition of ``name``, or None if it is not a term of this context."""
        if name in self._terms:
            return self._terms[name]
        if name not in self._raw or name in seen:
            return None
        value, where = self._raw[name]
        if len(seen) >= _MAX_TERM_CHAIN:
            raise DataError([Issue(where, f"term definitions refer to each other more than {_MAX_TERM_CHAIN} deep")])
        seen = seen | {name}
        coerce: Any = None
        if value is None:
            definition = None
        elif isinstance(value, str):
            definition = self._expand(value, True, seen)
        elif isinstance(value, dict):
            if "@reverse" in value:
                raise DataError([Issue(where, "reverse properties are not supported")])
            raw_id = value.get("@id", name)
            definition = self._expand(raw_id, True, seen) if isinstance(raw_id, str) else None
            coerce = value.get("@type")
            if isinstance(coerce, str) and coerce not in ("@id", "@vocab"):
                coerce = self._expand(coerce, True, seen)
        else:
            raise DataError([Issue(where, "a term definition must be a string or an object")])
        term = _Term(definition, coerce if isinstance(coerce, str) else None) if definition else None
        self._terms[name] = term
        return term

    def _expand(self, value: str, vocab: bool, seen: frozenset[str]) -> str | None:
        if value.startswith("@"):
            return value
        if vocab and value in self._raw and value not in seen:
            term = self.term(value, seen)
            return term.iri if term else None
        if ":" in value:
            prefix, suffix = value.split(":", 1)
            if prefix != "_" and not suffix.startswith("//") and prefix in self._raw and prefix not in seen:
                term = self.term(prefix, seen)
                if term is not None:
                    return _vf_normal(term.iri + suffix)
            return _vf_normal(value)
        if vocab:
            return _vf_normal(self.vocab + value) if self.vocab else None
        return value

    def expand(self, value: str, *, vocab: bool) -> str | None:
        """An IRI for a key or type (``vocab=True``) or an id (``vocab=False``); None if undefined."""
        return self._expand(value, vocab, frozenset())


class _Reader:
    """Reads JSON-LD (compacted with an inline context, or expanded) into :class:`_Node` trees."""

    def __init__(self) -> None:
        self.index: dict[str, _Node] = {}

    def document(self, doc: Any) -> list[_Node]:
        """The top-level nodes of a document."""
        if isinstance(doc, list):
            return [self._top(item, _pointer("", i)) for i, item in enumerate(doc)]
        if not isinstance(doc, dict):
            raise DataError([Issue("", "expected a JSON-LD object or array")])
        context = _Context(doc.get("@context"), "/@context")
        if "@graph" not in doc:
            return [self.node(doc, context, "", 0)]
        graph = doc["@graph"]
        items = graph if isinstance(graph, list) else [graph]
        if not all(isinstance(item, dict) for item in items):
            raise DataError([Issue("/@graph", "expected an array of node objects")])
        return [
            self.node(item, context, _pointer("/@graph", i) if isinstance(graph, list) else "/@graph", 0)
            for i, item in enumerate(items)
        ]

    def _top(self, item: Any, pointer: str) -> _Node:
        if not isinstance(item, dict):
            raise DataError([Issue(pointer, "expected a node object")])
        return self.node(item, _Context(item.get("@context"), _pointer(pointer, "@context")), pointer, 0)

    def node(self, obj: dict[str, Any], context: _Context, pointer: str, depth: int) -> _Node:
        """One node object (and everything embedded in it)."""
        if depth > _MAX_DEPTH:
            raise DataError([Issue(pointer, f"nodes nested more than {_MAX_DEPTH} deep")])
        node = _Node(pointer)
        for key, value in obj.items():
            where = _pointer(pointer, key)
            if key == "@context":
                if depth:
                    raise DataError([Issue(where, "embedded contexts are not supported: put the context at the top")])
            elif key == "@id":
                if not isinstance(value, str):
                    raise DataError([Issue(where, "@id must be a string")])
                node.id = context.expand(value, vocab=False)
            elif key == "@type":
                types = value if isinstance(value, list) else [value]
                if not all(isinstance(t, str) for t in types):
                    raise DataError([Issue(where, "@type must be a string or an array of strings")])
                node.types = [t for t in (context.expand(t, vocab=True) for t in types) if t]
            elif not key.startswith("@"):
                iri = context.expand(key, vocab=True)
                if iri is not None:
                    term = context.term(key)
                    node.props.setdefault(iri, []).extend(self._values(value, term, context, where, depth))
        if node.id is not None:
            known = self.index.setdefault(node.id, node)
            if known is not node:
                for iri, values in node.props.items():
                    known.props.setdefault(iri, []).extend(values)
                known.types += [t for t in node.types if t not in known.types]
        return node

    def _values(self, value: Any, term: _Term | None, context: _Context, pointer: str, depth: int) -> list[_Value]:
        if value is None:
            return []
        if isinstance(value, list):
            out: list[_Value] = []
            for i, item in enumerate(value):
                out += self._values(item, term, context, _pointer(pointer, i), depth)
            return out
        if isinstance(value, dict):
            if "@value" in value:
                literal = value["@value"]
                ref = context.expand(literal, vocab=False) if isinstance(literal, str) else None
                return [_Value(pointer, literal=literal, ref=ref, language=value.get("@language"))]
            for keyword in ("@list", "@set"):
                if keyword in value:
                    return self._values(value[keyword], term, context, _pointer(pointer, keyword), depth)
            if set(value) == {"@id"} and isinstance(value["@id"], str):
                return [_Value(pointer, iri=context.expand(value["@id"], vocab=False))]
            return [_Value(pointer, node=self.node(value, context, pointer, depth + 1))]
        coerce = term.coerce if term else None
        if isinstance(value, str) and coerce in ("@id", "@vocab"):
            return [_Value(pointer, iri=context.expand(value, vocab=coerce == "@vocab"))]
        ref = context.expand(value, vocab=False) if isinstance(value, str) else None
        return [_Value(pointer, literal=value, ref=ref)]


# --------------------------------------------------------------------------- import


def _vf(name: str) -> str:
    return VF + name


def _silk(name: str) -> str:
    return SILK + name


_FOREIGN_KINDS = {
    "transfer": FlowKind.GOODS,
    "transferAllRights": FlowKind.GOODS,
    "transferCustody": FlowKind.GOODS,
    "deliverService": FlowKind.SERVICES,
    "copy": FlowKind.INTANGIBLE,
    "cite": FlowKind.INTANGIBLE,
}


#: Longest number text read; a silkcore decimal has at most 18 integer digits and 6 decimals.
_MAX_NUMBER_CHARS = 64
#: Numbers are written out in full (``1E+30`` as 31 digits): larger or smaller ones are refused first.
_MAX_EXPONENT = 40


def _decimal(value: _Value) -> Decimal:
    literal = value.literal
    if isinstance(literal, str) and len(literal) > _MAX_NUMBER_CHARS:
        raise _Problem(value.pointer, f"expected a number of at most {_MAX_NUMBER_CHARS} characters, found {len(literal)}")
    try:
        if isinstance(literal, bool) or not isinstance(literal, str | int | Decimal | float):
            raise InvalidOperation
        number = Decimal(str(literal))
    except InvalidOperation:
        raise _Problem(value.pointer, f"expected a number, found {str(literal)[:80]!r}") from None
    if not number.is_finite():
        raise _Problem(value.pointer, "expected a finite number")
    exponent = number.as_tuple().exponent
    if number.adjusted() > _MAX_EXPONENT or (isinstance(exponent, int) and exponent < -_MAX_EXPONENT):
        raise _Problem(value.pointer, f"number {literal} is out of range: at most 18 integer digits and 6 decimals")
    return number


def _language(tag: str | None) -> str:
    """A BCP 47 tag in its conventional case (``pt-br`` -> ``pt-BR``): RDF tools may lowercase tags."""
    if not tag:
        return "und"
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(out[-1]) == 1:  # after a singleton (x-..., u-...) everything stays lower case
            out.append(part.lower())
        elif len(part) == 2:
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _date(value: _Value) -> str:
    literal = value.literal
    if isinstance(literal, str):
        try:
            return dt.date.fromisoformat(literal).isoformat()
        except ValueError:
            try:
                return dt.datetime.fromisoformat(literal.replace("Z", "+00:00")).date().isoformat()
            except ValueError:
                pass
    raise _Problem(value.pointer, f"expected an ISO 8601 date (YYYY-MM-DD) or date-time, found {literal!r}")


class _FlowReader:
    """Turns the event and commitment nodes of one document into flow documents."""

    def __init__(self, nodes: list[_Node], index: dict[str, _Node]) -> None:
        self.nodes = nodes
        self.index = index
        self.primary: dict[str, str] = {}
        for node in nodes:
            if self._is_flow(node) and node.id is not None:
                for prop in ("realizationOf", "clauseOf"):
                    agreement = node.one(_vf(prop))
                    if agreement is not None and agreement.reference():
                        self.primary.setdefault(str(agreement.reference()), node.id)

    @staticmethod
    def _is_flow(node: _Node) -> bool:
        return _vf("EconomicEvent") in node.types or _vf("Commitment") in node.types

    def flows(self) -> tuple[list[dict[str, Any]], list[Issue]]:
        documents: list[dict[str, Any]] = []
        issues: list[Issue] = []
        for node in self.nodes:
            if not self._is_flow(node):
                continue
            try:
                doc, where = self.flow(node)
            except _Problem as problem:
                issues.append(Issue(problem.pointer, problem.message))
                continue
            found = validate(doc)
            for issue in found:
                field_name = issue.pointer.split("/")[1] if issue.pointer.count("/") else ""
                issues.append(
                    Issue(where.get(field_name, node.pointer), f"{issue.message} (silkcore field {issue.pointer or '/'})")
                )
            if not found:
                documents.append(doc)
        return documents, issues

    @staticmethod
    def _agent_ref(node: _Node, prop: str) -> tuple[str, _Value]:
        value = node.one(_vf(prop))
        iri = value.reference() if value is not None else None
        if value is None or iri is None:
            raise _Problem(node.pointer, f"a flow needs a {prop} (vf:{prop} naming an agent)")
        return iri, value

    def flow(self, node: _Node) -> tuple[dict[str, Any], dict[str, str]]:
        """One flow document, and where each of its fields came from in the input."""
        if node.id is None:
            raise _Problem(node.pointer, "a flow needs an @id (it becomes the flow_id)")
        if _vf("EconomicEvent") in node.types and _vf("Commitment") in node.types:
            raise _Problem(_pointer(node.pointer, "@type"), "a node cannot be both an EconomicEvent and a Commitment")
        action_value = node.one(_vf("action"))
        action_iri = action_value.reference() if action_value else None
        if action_value is None or action_iri is None:
            raise _Problem(node.pointer, "a flow needs an action (vf:action)")
        action = action_iri[len(VF) :] if action_iri.startswith(VF) else action_iri
        native = node.one(_silk("kind")) is not None
        doc: dict[str, Any] = {
            "schema": FLOW_SCHEMA,
            "flow_id": from_iri(node.id),
            "status": FlowStatus.OBSERVED.value if _vf("EconomicEvent") in node.types else FlowStatus.PLANNED.value,
        }
        where: dict[str, str] = {"flow_id": _pointer(node.pointer, "@id")}
        provider, provider_at = self._agent_ref(node, "provider")
        receiver, receiver_at = self._agent_ref(node, "receiver")
        doc["provider"] = self._party(node, provider, "provider", native)
        doc["receiver"] = self._party(node, receiver, "receiver", native)
        where.update(provider=provider_at.pointer, receiver=receiver_at.pointer)
        if native:
            doc["kind"] = node.text(_silk("kind"))
            where["kind"] = _pointer(node.pointer, "silk:kind")
            self._native_fields(node, doc, where)
        else:
            self._foreign_fields(node, action, action_value, doc, where)
        self._quantities(node, doc, where)
        self._period(node, doc, where)
        reciprocal = node.one(_vf("reciprocalRealizationOf")) or node.one(_vf("reciprocalClauseOf"))
        if reciprocal is not None:
            doc["reciprocal_of"] = self._primary_of(reciprocal)
            where["reciprocal_of"] = reciprocal.pointer
        return doc, where

    def _party(self, node: _Node, iri: str, side: str, native: bool) -> dict[str, Any]:
        ref: dict[str, Any] = {"org_id": from_iri(iri)}
        if native:
            name, country = node.text(_silk(f"{side}Name")), node.text(_silk(f"{side}Country"))
        else:
            agent = self.index.get(iri)
            name = agent.text(_vf("name")) if agent else None
            country = self._agent_country(agent) if agent else None
        if name is not None:
            ref["name"] = name
        if country is not None:
            ref["country"] = country
        return ref

    def _agent_country(self, agent: _Node) -> str | None:
        """An agent's country: ``silk:country``, else a trailing ``, XX`` in its location's text."""
        own = agent.text(_silk("country"))
        location = agent.one(_vf("primaryLocation"))
        if own is not None or location is None:
            return own
        place = location.node or self.index.get(location.reference() or "")
        if place is None:
            return None
        for prop in (_vf("mappableAddress"), _vf("note"), _vf("name")):
            match = _TRAILING_COUNTRY.search(place.text(prop) or "")
            if match:
                return match.group(1)
        return None

    def _native_fields(self, node: _Node, doc: dict[str, Any], where: dict[str, str]) -> None:
        names = {
            "intangible_type": "intangibleType",
            "focal_organisation": "focalOrganisation",
            "direction": "direction",
            "origin_country": "originCountry",
            "destination_country": "destinationCountry",
        }
        for key, prop in names.items():
            value = node.text(_silk(prop))
            if value is not None:
                doc[key] = value
                where[key] = _pointer(node.pointer, f"silk:{prop}")
        strategies = node.values(_silk("strategies"))
        if strategies:
            doc["strategies"] = [v.literal for v in strategies]
            where["strategies"] = strategies[0].pointer
        descriptions = node.values(_silk("description"))
        if descriptions:
            doc["description"] = {_language(v.language): v.literal for v in descriptions}
            where["description"] = descriptions[0].pointer

    def _foreign_fields(self, node: _Node, action: str, at: _Value, doc: dict[str, Any], where: dict[str, str]) -> None:
        kind = _FOREIGN_KINDS.get(action)
        if kind is None:
            raise _Problem(
                at.pointer, f"action {action!r} has no silkcore flow kind; expected one of {', '.join(_FOREIGN_KINDS)}"
            )
        if kind == FlowKind.GOODS and self._currency(node, required=False) is not None:
            kind = FlowKind.FINANCE
        doc["kind"] = kind.value
        where["kind"] = at.pointer
        if kind == FlowKind.INTANGIBLE:
            doc["intangible_type"] = IntangibleType.INFORMATION.value if action == "copy" else IntangibleType.KNOWLEDGE.value
        extension = node.text(_silk("extension"))
        if extension == "licensing":
            doc["kind"], doc["intangible_type"] = FlowKind.INTANGIBLE.value, IntangibleType.LICENCE.value
        for side, key in (("provider", "origin_country"), ("receiver", "destination_country")):
            if "country" in doc[side]:
                doc[key] = doc[side]["country"]
        note = node.text(_vf("note"))
        if note:
            doc["description"] = {"und": note}

    def _currency(self, node: _Node, required: bool) -> str | None:
        """The ISO 4217 code of the resource a flow conforms to, if it is a currency."""
        value = node.one(_vf("resourceConformsTo"))
        iri = value.reference() if value else None
        if value is None or iri is None:
            return None
        spec = value.node or self.index.get(iri)
        code = spec.text(_silk("currency")) if spec else None
        if code is None and iri.startswith(f"{SILK}currency/"):
            code = iri.rsplit("/", 1)[1]
        if code is None:
            code = WIKIDATA_CURRENCIES.get(iri.replace("https://www.wikidata.org/", "http://www.wikidata.org/"))
        medium = spec.one(_vf("mediumOfExchange")) if spec else None
        money_like = medium is not None and medium.literal in (True, "true")
        if code is None and (money_like or "wikidata.org/entity/" in iri) and self._unit_is_one(node):
            raise _Problem(
                value.pointer,
                f"unknown currency {iri!r}: expected silkcore's {SILK}currency/<code> or one of "
                f"{', '.join(f'{k} ({v})' for k, v in WIKIDATA_CURRENCIES.items())}",
            )
        if code is None and required:
            raise _Problem(value.pointer, "a finance flow must conform to a currency")
        return code

    def _unit_is_one(self, node: _Node) -> bool:
        measure = node.one(_vf("resourceQuantity"))
        return measure is not None and measure.node is not None and self._unit(measure.node) == "one"

    def _unit(self, measure: _Node) -> str | None:
        value = measure.one(_vf("hasUnit"))
        if value is None:
            return None
        if value.node is not None:
            label = value.node.text(_vf("label")) or value.node.text(_vf("name"))
            if label is not None:
                return label
        iri = value.iri or (value.node.id if value.node else None)
        if iri is not None:
            return iri[len(OM) :] if iri.startswith(OM) else iri
        return value.literal if isinstance(value.literal, str) else None

    def _measure(self, value: _Value | None) -> tuple[Decimal, str | None, _Node] | None:
        if value is None:
            return None
        if value.node is None:
            raise _Problem(value.pointer, "expected a Measure object with hasNumericalValue and hasUnit")
        number = value.node.one(_vf("hasNumericalValue"))
        if number is None:
            raise _Problem(value.pointer, "a Measure needs hasNumericalValue")
        return _decimal(number), self._unit(value.node), value.node

    def _quantities(self, node: _Node, doc: dict[str, Any], where: dict[str, str]) -> None:
        main = node.one(_vf("resourceQuantity"))
        measured = self._measure(main)
        if doc["kind"] == FlowKind.FINANCE.value:
            if measured is not None and main is not None:
                number, _unit, measure = measured
                code = measure.text(_silk("currency")) or self._currency(node, required=True)
                doc["amount"] = {"amount": _number(number), "currency": code}
                where["amount"] = main.pointer
            extra = node.one(_silk("quantity"))
            if (quantity := self._measure(extra)) is not None and extra is not None:
                doc["quantity"] = {"value": _number(quantity[0]), "unit": quantity[1]}
                where["quantity"] = extra.pointer
            return
        if measured is not None and main is not None:
            doc["quantity"] = {"value": _number(measured[0]), "unit": measured[1]}
            where["quantity"] = main.pointer
        extra = node.one(_silk("amount"))
        if (money := self._measure(extra)) is not None and extra is not None:
            doc["amount"] = {"amount": _number(money[0]), "currency": money[2].text(_silk("currency"))}
            where["amount"] = extra.pointer

    def _period(self, node: _Node, doc: dict[str, Any], where: dict[str, str]) -> None:
        begin, end, point = (node.one(_vf(p)) for p in ("hasBeginning", "hasEnd", "hasPointInTime"))
        if begin is None and point is not None:
            begin, end = point, end or point
        if begin is None:
            if end is not None:
                raise _Problem(end.pointer, "a period with an end needs a beginning (vf:hasBeginning)")
            return
        doc["period"] = {"start": _date(begin)}
        if end is not None:
            doc["period"]["end"] = _date(end)
        where["period"] = begin.pointer

    def _primary_of(self, reciprocal: _Value) -> str:
        agreement = reciprocal.reference()
        if agreement is None:
            raise _Problem(reciprocal.pointer, "expected a reference to an Agreement")
        if agreement in self.primary:
            return from_iri(self.primary[agreement])
        node = self.index.get(agreement)
        primary = node.one(_silk("primaryFlow")) if node else None
        if primary is None or primary.reference() is None:
            raise _Problem(reciprocal.pointer, f"agreement {agreement!r} has no primary flow (vf:realizationOf or vf:clauseOf)")
        return from_iri(str(primary.reference()))


def _parse(data: bytes, source: str) -> Any:
    """The document, read by silkcore's strict reader (a duplicate key, NaN, a NUL or a lone
    surrogate, an over-long number, too deep nesting: refused with its place); numbers with a
    fraction stay exact decimals."""
    return parse_json(data, source=source, decimals=True)


def import_valueflows(data: bytes, source: str) -> list[dict[str, Any]]:
    """Flow documents from ValueFlows JSON-LD; every unreadable flow is reported at once."""
    doc = _parse(data, source)
    reader = _Reader()
    try:
        nodes = reader.document(doc)
    except DataError as exc:
        raise DataError([issue.located(source) for issue in exc.errors]) from None
    try:
        documents, issues = _FlowReader(nodes, reader.index).flows()
    except _Problem as problem:
        raise DataError([Issue(problem.pointer, problem.message, source)]) from None
    if issues:
        raise DataError([issue.located(source) for issue in issues])
    if not documents:
        raise DataError([Issue("", "no vf:EconomicEvent or vf:Commitment found: nothing to import", source)])
    return documents


class ValueFlowsImporter:
    """Importer ``valueflows``: ValueFlows JSON-LD events and commitments as flows."""

    id = "valueflows"

    def import_(self, data: bytes, source: str) -> list[dict[str, Any]]:
        """Flow documents (``silkcore_flow-v1.0.0``) from a JSON-LD document."""
        return import_valueflows(data, source)
