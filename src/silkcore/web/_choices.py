"""The fixed lists the start forms offer, each value a code and its label an English msgid
(translated where it is shown): respondents' roles, SSE families and approaches.

The codes are the response set schema's roles and silkcore's :class:`~silkcore.SseFamily`
and :class:`~silkcore.Approach` values; a test checks that every one has a label.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._i18n import N_

__all__ = ["APPROACHES", "FAMILIES", "ROLES"]

#: The respondent roles of ``silkcore_response_set-v1.0.0``.
ROLES: Mapping[str, str] = {
    "board": N_("Board member"),
    "management": N_("Management"),
    "workers": N_("Worker"),
    "members": N_("Member"),
    "partners": N_("Partner"),
    "external_assessor": N_("External assessor"),
    "other": N_("Other"),
}

#: The families of the Social and Solidarity Economy (:class:`~silkcore.SseFamily`).
FAMILIES: Mapping[str, str] = {
    "cooperative": N_("Cooperative"),
    "mutual": N_("Mutual"),
    "association": N_("Association"),
    "foundation": N_("Foundation"),
    "social_enterprise": N_("Social enterprise"),
    "informal_group": N_("Informal group"),
    "network": N_("Network"),
    "public_agency": N_("Public agency"),
    "other": N_("Other"),
}

#: The internationalisation approaches of the SILK report (:class:`~silkcore.Approach`).
APPROACHES: Mapping[str, str] = {
    "fdi": N_("Foreign direct investment"),
    "import_export": N_("Import and export"),
    "franchising": N_("Franchising"),
    "joint_venture": N_("Joint venture"),
    "network_collaboration": N_("Collaboration in networks"),
    "knowledge_dissemination": N_("Sharing knowledge"),
    "identity_sharing": N_("Sharing an identity or brand"),
    "research_innovation": N_("Research and innovation"),
    "licensing": N_("Licensing"),
    "born_global": N_("International from the start (born global)"),
    "shared_certification": N_("Shared certification"),
    "managerial_education": N_("Management education"),
    "international_projects_events": N_("International projects and events"),
}
