"""The publication site's typed files: ``templates/publication.yaml``
(:class:`PublicationStyle`) and each edition's ``metadata.json``
(:class:`EditionRecord`); their JSON Schemas are generated with the others
(``abuild schemas``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Organisation(_Strict):
    name: str = Field(min_length=1)
    tooi: str = Field(default="", description="TOOI identifier (URI) of the organisation")


class Category(_Strict):
    label: str = ""
    uri: str = ""


class PublicationStyle(_Strict):
    """templates/publication.yaml."""

    publisher: Organisation
    document_type: str = Field(min_length=1)
    information_category: Category = Field(default_factory=Category)


class Download(_Strict):
    format: str = Field(description="html | pdf | docx | odt")
    file: str
    bytes: int
    sha256: str
    media_type: str


class EditionRecord(_Strict):
    """metadata.json of one published edition."""

    slug: str
    version: str = Field(description='"1.0"; "concept" for a concept edition')
    title: str
    country: str
    kind: str
    language: str
    status: str
    date: dt.date = Field(description="Date of the report")
    reference_period: tuple[dt.date, dt.date]
    tag: str | None = Field(description="The Git tag the edition was rendered from; None: the working tree")
    commit: str | None
    downloads: list[Download]
    manifest: Download
    diwoo: dict[str, Any] = Field(description="The DiWoo metadata (element names of DiWoo 0.9.8)")
