"""Content in several languages: choosing a text with a fallback, and listing missing translations.

A framework's texts are BCP 47 language maps (``{"en": ..., "fr": ...}``). The fallback rule,
used everywhere in this plugin: the requested language, then its primary language (``es`` for
``es-MX``), then the framework's ``default_language``, then the first language the map has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from silkcore import Framework

__all__ = [
    "MissingTranslation",
    "chrome",
    "framework_languages",
    "language_column",
    "missing_translations",
    "text_in",
    "texts_of",
]

#: Names shown in XLSForm language columns (``label::Français (fr)``); others use the tag itself.
LANGUAGE_NAMES: dict[str, str] = {
    "ar": "العربية",
    "ca": "Català",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "eu": "Euskara",
    "fr": "Français",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "nl": "Nederlands",
    "pt": "Português",
    "pt-BR": "Português (Brasil)",
    "sw": "Kiswahili",
    "wo": "Wolof",
    "zh": "中文",
}

# The form's own wording (not the framework's): answers that are not values, the organisation
# questions and constraint messages. English is the fallback for languages not listed.
_CHROME: dict[str, dict[str, str]] = {
    "not_applicable": {"en": "Not applicable", "fr": "Sans objet", "es": "No aplica"},
    "unknown": {"en": "Don't know", "fr": "Ne sait pas", "es": "No sabe"},
    "status_question": {
        "en": "No answer to the previous question? Say why (optional).",
        "fr": "Pas de réponse à la question précédente ? Indiquez pourquoi (facultatif).",
        "es": "¿Sin respuesta a la pregunta anterior? Indique por qué (opcional).",
    },
    "yes": {"en": "Yes", "fr": "Oui", "es": "Sí"},
    "no": {"en": "No", "fr": "Non", "es": "No"},
    "org_id": {
        "en": "Organisation identifier (URN, URL or the network's code)",
        "fr": "Identifiant de l'organisation (URN, URL ou code du réseau)",
        "es": "Identificador de la organización (URN, URL o código de la red)",
    },
    "org_name": {"en": "Organisation name", "fr": "Nom de l'organisation", "es": "Nombre de la organización"},
    "org_country": {
        "en": "Country of the organisation (two-letter ISO code, e.g. FR)",
        "fr": "Pays de l'organisation (code ISO à deux lettres, p. ex. FR)",
        "es": "País de la organización (código ISO de dos letras, p. ej. ES)",
    },
    "respondent_role": {
        "en": "Your role in the organisation",
        "fr": "Votre rôle dans l'organisation",
        "es": "Su función en la organización",
    },
    "role.board": {"en": "Board", "fr": "Conseil d'administration", "es": "Consejo rector"},
    "role.management": {"en": "Management", "fr": "Direction", "es": "Dirección"},
    "role.workers": {"en": "Workers", "fr": "Travailleurs", "es": "Trabajadores"},
    "role.members": {"en": "Members", "fr": "Membres", "es": "Socios"},
    "role.partners": {"en": "Partners", "fr": "Partenaires", "es": "Socios externos"},
    "role.external_assessor": {"en": "External assessor", "fr": "Évaluateur externe", "es": "Evaluador externo"},
    "role.other": {"en": "Other", "fr": "Autre", "es": "Otro"},
    "mode": {
        "en": "Is this assessment about a past or a planned activity?",
        "fr": "Cette évaluation porte-t-elle sur une activité passée ou prévue ?",
        "es": "¿Esta evaluación se refiere a una actividad pasada o prevista?",
    },
    "mode.retrospective": {"en": "Past (retrospective)", "fr": "Passée (rétrospective)", "es": "Pasada (retrospectiva)"},
    "mode.prospective": {"en": "Planned (prospective)", "fr": "Prévue (prospective)", "es": "Prevista (prospectiva)"},
    "range": {
        "en": "Enter a value from {low} to {high}.",
        "fr": "Saisissez une valeur de {low} à {high}.",
        "es": "Introduzca un valor de {low} a {high}.",
    },
    "at_least": {
        "en": "Enter a value of at least {low}.",
        "fr": "Saisissez une valeur d'au moins {low}.",
        "es": "Introduzca un valor de al menos {low}.",
    },
    "at_most": {
        "en": "Enter a value of at most {high}.",
        "fr": "Saisissez une valeur d'au plus {high}.",
        "es": "Introduzca un valor de como máximo {high}.",
    },
    "url": {
        "en": "Enter a web address starting with http:// or https://",
        "fr": "Saisissez une adresse web commençant par http:// ou https://",
        "es": "Introduzca una dirección web que empiece por http:// o https://",
    },
    "exclusive": {
        "en": "'Not applicable' and 'Don't know' cannot be combined with other answers.",
        "fr": "« Sans objet » et « Ne sait pas » ne peuvent pas être combinés avec d'autres réponses.",
        "es": "«No aplica» y «No sabe» no pueden combinarse con otras respuestas.",
    },
    "country": {
        "en": "Use the two-letter ISO code in capitals, e.g. FR.",
        "fr": "Utilisez le code ISO à deux lettres en majuscules, p. ex. FR.",
        "es": "Use el código ISO de dos letras en mayúsculas, p. ej. ES.",
    },
    "unit": {"en": "Unit: {unit}", "fr": "Unité : {unit}", "es": "Unidad: {unit}"},
}


def text_in(text: Mapping[str, str] | None, language: str | None, default_language: str | None = None) -> str | None:
    """The text in ``language``, with the fallback rule of this module; None when there is no text."""
    if not text:
        return None
    for candidate in (language, (language or "").split("-")[0], default_language):
        if candidate and candidate in text:
            return text[candidate]
    return next(iter(text.values()))


def chrome(key: str, language: str, **values: object) -> str:
    """The form's own wording for ``key`` in ``language`` (English when not translated)."""
    texts = _CHROME[key]
    template = texts.get(language) or texts.get(language.split("-")[0]) or texts["en"]
    return template.format(**values) if values else template


def language_column(language: str) -> str:
    """The XLSForm language suffix for a tag, e.g. ``Français (fr)``."""
    return f"{LANGUAGE_NAMES.get(language, language)} ({language})"


def texts_of(framework: Framework) -> Iterator[tuple[str, str, str, Mapping[str, str]]]:
    """Every multilingual text of a framework as ``(where, id, field, text)``, in document order."""
    yield "framework", framework.id, "title", framework.title
    if framework.description:
        yield "framework", framework.id, "description", framework.description
    for scale in framework.scales:
        if scale.title:
            yield "scale", scale.id, "title", scale.title
        for option in scale.options:
            if option.label:
                yield "scale", scale.id, f"options[{option.value!r}].label", option.label
    for category in framework.categories:
        yield "category", category.id, "title", category.title
        if category.description:
            yield "category", category.id, "description", category.description
    for item in framework.items:
        yield "item", item.id, "text", item.text
        if item.help:
            yield "item", item.id, "help", item.help
        for option in item.options:
            if option.label:
                yield "item", item.id, f"options[{option.value!r}].label", option.label
    if framework.graph is not None:
        for node in framework.graph.nodes:
            yield "node", node.id, "title", node.title
            if node.text:
                yield "node", node.id, "text", node.text
            for index, step in enumerate(node.next_steps):
                yield "node", node.id, f"next_steps[{index}]", step
        for edge in framework.graph.edges:
            if edge.label:
                yield "edge", f"{edge.from_}->{edge.to}", "label", edge.label


def framework_languages(framework: Framework) -> list[str]:
    """Every language a framework's texts use: its default language first, then the others sorted."""
    found = {language for *_, text in texts_of(framework) for language in text}
    default = framework.default_language or ("en" if "en" in found else None)
    rest = sorted(found - {default})
    return [default, *rest] if default in found else rest


@attrs.frozen
class MissingTranslation:
    """A text that has no version in the requested language, and what would be shown instead."""

    where: str
    id: str
    field: str
    shown_in: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"where": self.where, "id": self.id, "field": self.field, "shown_in": self.shown_in}


def missing_translations(framework: Framework, language: str) -> list[MissingTranslation]:
    """Every text of ``framework`` lacking ``language`` (exact tag), with the language the fallback
    rule would show instead. An empty list means the framework is fully translated."""
    missing = []
    for where, ident, field, text in texts_of(framework):
        if language in text:
            continue
        shown = text_in(text, language, framework.default_language)
        shown_in = next(tag for tag, value in text.items() if value == shown)
        missing.append(MissingTranslation(where, ident, field, shown_in))
    return missing
