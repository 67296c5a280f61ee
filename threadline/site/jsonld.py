"""schema.org JSON-LD for dossiers (NewsArticle), entities (Person, Organization, Place, Product) and the data (Dataset).

The JSON goes inside a <script> element, so `<`, `>` and `&` are written as \\u003c, \\u003e and
\\u0026: no string in the data (a quote, a name) can close the element or open a comment.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from threadline.inputs.model import Site
from threadline.site.urls import absolute
from threadline.site.views import DossierView, Download, EntityView
from threadline.text.jsontext import json_compact

SCHEMA_TYPES = {"person": "Person", "organisation": "Organization", "place": "Place", "product": "Product"}
ABOUT_LIMIT = 12
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: dict) -> Markup:
    """JSON that is safe as the text of a <script> element."""
    text = json_compact(data)
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: _ESCAPES[m[0]], text))


def dossier_ld(view: DossierView, site: Site, canonical: str) -> Markup:
    d = view.ref
    data: dict = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": d.headline, "url": canonical,
        "mainEntityOfPage": canonical, "inLanguage": site.language,
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": site.base_url},
        "about": [{"@type": SCHEMA_TYPES[c.entity.kind], "name": c.entity.name, "url": absolute(site.base_url, c.entity.url)}
                  for c in _most_named(view)],
    }
    if _ISO_DATE.fullmatch(d.published.edtf):  # fuzzy dates are left out rather than made precise
        data["datePublished"] = d.published.edtf
    if d.outlet:
        data["publisher"] = {"@type": "Organization", "name": d.outlet}
    if d.author:
        data["author"] = {"@type": "Person", "name": d.author}
    return script_json(data)


def _most_named(view: DossierView, most: int = ABOUT_LIMIT) -> list:
    """The entities the dossier names most often: what it is about, without listing every passing name."""
    counted = [c for items in view.entities.values() for c in items]
    return sorted(counted, key=lambda c: (-c.count, c.entity.name))[:most]


def entity_ld(view: EntityView, description: str, site: Site, canonical: str) -> Markup:
    data: dict = {
        "@context": "https://schema.org", "@type": SCHEMA_TYPES[view.ref.kind], "name": view.ref.name,
        "url": canonical, "description": description,
    }
    if view.aliases:
        data["alternateName"] = list(view.aliases)
    if view.wikidata:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{view.wikidata}"
    return script_json(data)


def dataset_ld(downloads: tuple[Download, ...], site: Site, canonical: str) -> Markup:
    """The Data page as a schema.org Dataset, each file a DataDownload."""
    data: dict = {
        "@context": "https://schema.org", "@type": "Dataset", "name": f"{site.title}: data", "url": canonical,
        "description": site.description or f"The data of {site.title}.", "inLanguage": site.language,
        "isAccessibleForFree": True, "isPartOf": {"@type": "WebSite", "name": site.title, "url": site.base_url},
        "distribution": [{"@type": "DataDownload", "name": d.name, "encodingFormat": d.media_type,
                          "contentUrl": absolute(site.base_url, d.url), "contentSize": f"{d.size} B"} for d in downloads],
    }
    if site.license:
        data["license"] = site.license
    if site.publisher:
        data["creator"] = {"@type": "Organization", "name": site.publisher}
    return script_json(data)
