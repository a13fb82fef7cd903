"""Kinds of institution that may issue a certificate type (a type file lists the kinds it allows)."""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["ISSUER_KINDS"]

#: kind -> display names; a type file naming a kind not listed here is refused
ISSUER_KINDS: MappingProxyType[str, dict[str, str]] = MappingProxyType({
    "municipality": {"ja": "市区町村", "en": "Municipality"},
    "prefecture": {"ja": "都道府県", "en": "Prefecture"},
    "medical_institution": {"ja": "医療機関", "en": "Medical institution"},
    "physician": {"ja": "医師", "en": "Physician"},
    "midwife": {"ja": "助産師", "en": "Midwife"},
    "school": {"ja": "学校", "en": "School"},
    "employer": {"ja": "事業主", "en": "Employer"},
    "tax_office": {"ja": "税務署", "en": "Tax office"},
    "health_insurer": {"ja": "保険者", "en": "Health insurer"},
    "qualification_authority": {"ja": "資格所管庁", "en": "Qualification authority"},
    "court": {"ja": "家庭裁判所", "en": "Family court"},
    "legal_affairs_bureau": {"ja": "法務局", "en": "Legal Affairs Bureau"},
    "principal": {"ja": "本人", "en": "The principal (self-issued)"},
})
