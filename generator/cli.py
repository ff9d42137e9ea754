"""The `gloss` command: build, check, serve, init, import, new, names, handout."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from . import __version__
from .problems import CommandLineError, GlossError, Problem, Problems

EPILOG = """\
a first edition in four commands:
  gloss init my-edition && cd my-edition
  gloss import ~/saved-article.html     # -> content/<slug>.md
  gloss new person sergei-lavrov        # -> annotations/people/sergei-lavrov.md
  gloss serve                           # http://127.0.0.1:8000, rebuilds on save

Every problem is reported as path:line:col: error|warning: what is wrong — what to do.
Exit status: 0 fine, 1 errors in the edition, 2 a mistake in the command line."""


def find_site(explicit: str | None) -> Path:
    """--site PATH, or the nearest site.toml in this folder or above it."""
    if explicit:
        path = Path(explicit)
        return path / "site.toml" if path.is_dir() else path
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "site.toml").is_file():
            return folder / "site.toml"
    return here / "site.toml"


def _progress(stream=sys.stderr):
    if not stream.isatty():
        return None
    last = [0.0]

    def show(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.1 and done != total:
            return
        last[0] = now
        stream.write(f"\r\x1b[K{stage} {done}/{total}" if total else f"\r\x1b[K{stage} {done}")
        stream.flush()

    return show


def _clear_progress(show) -> None:
    if show:
        sys.stderr.write("\r\x1b[K")


def _print_problems(problems: Problems, fmt: str = "text") -> None:
    if fmt == "json":
        print(problems.as_json())
    elif problems.items:
        print(problems.as_text(), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildFailed, build

    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        raise CommandLineError(Problem("--base-url", 0, 0, "error", f"`{args.base_url}` must start with http:// "
                                       "or https://", "e.g. --base-url https://user.github.io/repo/"))
    show = None if args.quiet else _progress()
    try:
        report = build(find_site(args.site), Path(args.out) if args.out else None, args.base_url, args.drafts, show,
                       cache=not args.no_cache)
    except BuildFailed as failed:
        _clear_progress(show)
        _print_problems(failed.problems)
        errors, warnings = len(failed.problems.errors), len(failed.problems.warnings)
        print(f"Build failed: {errors} error(s), {warnings} warning(s); the previous build was left as it was.",
              file=sys.stderr)
        return 1
    except GlossError as stopped:  # no usable site.toml, or a page that failed while the site was written
        _clear_progress(show)
        problems = Problems(root=find_site(args.site).parent)
        problems.extend([stopped.problem])
        problems.items = [Problem(problems.where(p.path), p.line, p.col, p.severity, p.message, p.fix)
                          if p.path else p for p in problems.items]
        _print_problems(problems)
        print("Build failed: 1 error; the previous build was left as it was.", file=sys.stderr)
        return 1
    _clear_progress(show)
    _print_problems(report.problems)
    warnings = len(report.problems.warnings)
    out = report.output
    with contextlib.suppress(ValueError):
        out = out.relative_to(Path.cwd())
    print(f"Built {report.articles} article{'s' * (report.articles != 1)}, {report.pages} pages "
          f"({report.files} files) into {out}/ — {warnings} warning{'s' * (warnings != 1)} — "
          f"{report.seconds:.2f} s")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check

    problems = check(find_site(args.site))
    _print_problems(problems, args.format)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if args.format == "text":
        print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
              file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(find_site(args.site), host=args.host, port=args.port, open_browser=args.open)


def cmd_init(args: argparse.Namespace) -> int:
    from .scaffold import init_edition

    return init_edition(Path(args.folder), title=args.title, gloss_spec=args.gloss_spec)


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_entity

    return new_entity(find_site(args.site), args.kind, args.id, name=args.name, aliases=args.alias)


def cmd_names(args: argparse.Namespace) -> int:
    from .names.command import names_command

    return names_command(find_site(args.site), args.article, fmt=args.format, write=args.write, pick=args.pick)


def cmd_rename(args: argparse.Namespace) -> int:
    from .editor.rename import rename_command

    return rename_command(find_site(args.site), args.old, args.new, dry_run=args.dry_run)


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_command

    site = find_site(args.site)
    return import_command(args.file, site_dir=site.parent, slug=args.slug, to_stdout=args.stdout,
                          force=args.force, fetch_media=args.fetch_media)


def cmd_handout(args: argparse.Namespace) -> int:
    from .handout import HandoutOptions, handout_command

    options = HandoutOptions(questions=args.questions, wide_margins=args.wide_margins, base_url=args.base_url or "")
    return handout_command(find_site(args.site), args.article, pdf=args.pdf, out=Path(args.out) if args.out else None,
                           options=options)


def _pip_spec(value: str) -> str:
    """A pip requirement, URL or path for the Pages workflow: one line, no control characters."""
    if not value.strip() or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise argparse.ArgumentTypeError("give one requirement, URL or path on one line, e.g. gloss-editions==0.1.0")
    return value.strip()


def cmd_reader(args: argparse.Namespace) -> int:
    from .reader import reader_command

    return reader_command(find_site(args.site), args.articles, pdf=args.pdf, title=args.title,
                          out=Path(args.out) if args.out else None, base_url=args.base_url or "")


def cmd_epub(args: argparse.Namespace) -> int:
    from .epub import epub_command

    return epub_command(find_site(args.site), Path(args.out) if args.out else None)


def cmd_export(args: argparse.Namespace) -> int:
    from .export.command import export_command

    return export_command(find_site(args.site), args.what, args.format, Path(args.out) if args.out else None)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="gloss", description="Gloss makes annotated reading editions: articles whose every name carries "
        "a note, as a static site that works on GitHub Pages, from a folder, and in print.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"gloss {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, description: str, func) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(func=func)
        return sub

    def site_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--site", metavar="PATH", help="the edition's site.toml (or its folder); default: the "
                         "nearest site.toml in this folder or above")

    sub = command("build", "build the site into build/", "Build the edition into one folder that works on any "
                  "web server, on GitHub Pages under a subpath, and opened from disk.\nThe previous build is "
                  "replaced only when the new one is complete.", cmd_build)
    site_option(sub)
    sub.add_argument("--out", metavar="DIR", help="output folder (default: build/ beside site.toml)")
    sub.add_argument("--base-url", metavar="URL", help="override site.toml's base_url, e.g. "
                     "https://user.github.io/repo/")
    sub.add_argument("--drafts", action="store_true", help="include articles with draft = true")
    sub.add_argument("--quiet", action="store_true", help="no progress display")
    sub.add_argument("--no-cache", action="store_true", help="render everything afresh, without reading or "
                     "writing .gloss-cache/ (the output is the same)")

    sub = command("check", "report every problem, build nothing", "Check the edition and report every problem "
                  "at path:line:col with what to do. Exit 0 when clean, 1 on errors (or warnings with --strict).",
                  cmd_check)
    site_option(sub)
    sub.add_argument("--strict", action="store_true", help="warnings fail the check too")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")

    sub = command("serve", "preview with live reload", "Serve the edition at http://127.0.0.1:8000, rebuild "
                  "on every save and reload the browser. Errors show in the page and the terminal; the last "
                  "good pages keep being served.", cmd_serve)
    site_option(sub)
    sub.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only). The preview answers only requests "
                     "addressed to this address (and localhost for 127.0.0.1), so a web page cannot reach it "
                     "through a DNS rebinding; 0.0.0.0 or :: answers any name")
    sub.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    sub.add_argument("--open", action="store_true", help="open the home page in a browser")

    sub = command("init", "start a new edition folder", "Create a new edition: site.toml with every option "
                  "commented, content/, annotations/ with the default kinds, .gitignore and a GitHub Pages "
                  "workflow.", cmd_init)
    sub.add_argument("folder", help="the folder to create (must not exist or be empty)")
    sub.add_argument("--title", default="", help="the edition's title")
    sub.add_argument("--gloss-spec", type=_pip_spec, metavar="SPEC",
                     help="what the Pages workflow installs with pip (default: gloss-editions==" + __version__ +
                     ", this version from PyPI), e.g. 'git+https://github.com/OWNER/REPO@v0.2.0' or a path to a "
                     "wheel; it is one line, GLOSS_SPEC, at the top of .github/workflows/pages.yml")

    sub = command("import", "turn a .txt, a saved .html page or a URL into an article", "Convert a plain-text "
                  "copy, a web page saved from a browser, or a page fetched from an http(s) address into "
                  "content/<slug>.md with front matter. Prints what it dropped. A fetched page is kept in "
                  ".gloss-cache/imports/ for provenance.", cmd_import)
    site_option(sub)
    sub.add_argument("file", help="the .txt or saved .html file, or an http(s):// address to fetch")
    sub.add_argument("--slug", help="the article's slug (default: made from its title)")
    sub.add_argument("--stdout", action="store_true", help="print the Markdown instead of writing a file")
    sub.add_argument("--force", action="store_true", help="overwrite an existing article")
    sub.add_argument("--fetch-media", action="store_true", help="download the page's remote images (http(s) "
                     "only, 20 MiB each at most) into content/media/<slug>/ instead of linking to them")

    sub = command("new", "scaffold an annotation file", "Create annotations/<folder>/<id>.md for a new entity.\n"
                  "KIND is a kind's singular name from site.toml: person, institution, event, place by default.",
                  cmd_new)
    site_option(sub)
    sub.add_argument("kind", help="person, institution, event, place, or a kind of your own")
    sub.add_argument("id", help="the entity's id: lower-case letters, digits and hyphens, e.g. sergei-lavrov")
    sub.add_argument("--name", help="the entity's name (default: made from the id)")
    sub.add_argument("--alias", action="append", metavar="TEXT", help="another way the texts write the name "
                     "(repeat for more); default for a person: the surname")

    sub = command("names", "the names still to gloss, with commands", "List every proper name in the articles "
                  "that no alias, pin or note covers yet: whole names (particles, initials, U.S.), how often and "
                  "in which ¶, a kind guessed with its reason, and the `gloss new` command that glosses it — or "
                  "the alias to add when an entity has the name but for accents, case or apostrophes.\n\n"
                  "examples:\n  gloss names\n  gloss names my-article --format json\n"
                  "  gloss names my-article --write --pick 1,3-5     # scaffold entries 1, 3, 4 and 5", cmd_names)
    site_option(sub)
    sub.add_argument("article", nargs="*", help="articles by slug or content/ path (default: every article)")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    sub.add_argument("--write", action="store_true", help="scaffold an annotation file for each listed name "
                     "(or each --pick'ed one), its aliases filled in")
    sub.add_argument("--pick", action="append", metavar="WHICH", help="only these: numbers from the listing "
                     "(1,3-5), names or ids; repeatable")


    sub = command("rename", "change an entity's id everywhere", "Rename an entity: its file, and every [[OLD]], "
                  "[[OLD|text]], related list, [[pin]] and passage note that names it — all at once or nothing.\n\n"
                  "example:\n  gloss rename robert-boyle robert-boyle-chemist --dry-run", cmd_rename)
    site_option(sub)
    sub.add_argument("old", help="the entity's id now")
    sub.add_argument("new", help="its new id: lower-case letters, digits and hyphens")
    sub.add_argument("--dry-run", action="store_true", help="print the changes as a diff, write nothing")

    sub = command("handout", "a printable, e-mailable article", "Write handouts/<slug>.html: one self-contained "
                  "file with the article (¶ numbers kept) and its numbered notes, each entity glossed once in full "
                  "and referred to by ¶; --pdf also writes a PDF through headless Chromium (page numbers, running "
                  "head, no nearly empty last page).\n\nexamples:\n  gloss handout my-article --pdf\n"
                  "  gloss handout my-article --pdf --questions --wide-margins", cmd_handout)
    site_option(sub)
    sub.add_argument("article", help="the article's slug (or its content/<slug>.md path)")
    sub.add_argument("--pdf", action="store_true", help="also write handouts/<slug>.pdf")
    sub.add_argument("--out", metavar="DIR", help="output folder (default: handouts/ beside site.toml)")
    sub.add_argument("--questions", action="store_true", help="print the discussion questions of the article's "
                     "notes file ([[question]] entries, anchored by quote like [[note]]) at the end, with their ¶")
    sub.add_argument("--wide-margins", action="store_true", help="a wide right margin on paper for students' notes")
    sub.add_argument("--base-url", metavar="URL", help="the online edition's address (default: site.toml's "
                     "base_url), printed with a QR code and used for the full entries of long glosses")

    sub = command("reader", "a course reader: several articles in one file", "Write handouts/reader.html: one "
                  "self-contained file with a cover, a table of contents, each article with its ¶ numbers and "
                  "notes, and one shared who's who listing the articles and ¶ that mention each entity; --pdf also "
                  "writes reader.pdf, whose contents give page numbers and whose bookmarks name the articles."
                  "\n\nexamples:\n  gloss reader --pdf --title \"Russia and the West, week 3\"\n"
                  "  gloss reader first-article second-article", cmd_reader)
    site_option(sub)
    sub.add_argument("articles", nargs="*", metavar="ARTICLE", help="articles by slug, in the order to print them "
                     "(default: every article, in the edition's order)")
    sub.add_argument("--pdf", action="store_true", help="also write handouts/reader.pdf")
    sub.add_argument("--title", help="the reader's title (default: the edition's)")
    sub.add_argument("--out", metavar="DIR", help="output folder (default: handouts/ beside site.toml)")
    sub.add_argument("--base-url", metavar="URL", help="the online edition's address (default: site.toml's "
                     "base_url), printed on the cover with a QR code")

    sub = command("epub", "the edition as one EPUB 3 for e-readers", "Write the edition as one EPUB 3: each article "
                  "a chapter whose notes are pop-up footnotes, every entity's entry as back matter with links back "
                  "to each ¶, the edition's metadata and media, and a table of contents.", cmd_epub)
    site_option(sub)
    sub.add_argument("--out", metavar="FILE", help="the .epub to write (default: handouts/<the edition's title>.epub)")

    sub = command("export", "the edition as TEI, or its entities as CSV/JSON", "gloss export tei: one TEI P5 file "
                  "per article (names as persName, orgName, placeName, rs; passage notes as note; each ¶ a p "
                  "with n) and entities.xml, into tei/ (or --out DIR).\ngloss export entities: every entity with "
                  "its kind, aliases, dates, authority ids and mentions per article, as CSV (default) or JSON, "
                  "on standard output (or --out FILE).\nThe build itself writes W3C annotations, schema.org "
                  "JSON-LD and citation files: see [exports] in site.toml.", cmd_export)
    site_option(sub)
    sub.add_argument("what", choices=("tei", "entities"), help="tei or entities")
    sub.add_argument("--format", choices=("csv", "json"), default="csv", help="for entities: csv (default) or json")
    sub.add_argument("--out", metavar="PATH", help="tei: the folder (default tei/ beside site.toml); entities: "
                     "a file (default: standard output)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GlossError as exc:
        print(str(exc.problem), file=sys.stderr)
        return 2 if isinstance(exc, CommandLineError) else 1
    except OSError as exc:  # the disk, not the edition: full, read-only, not ours to write
        print(str(os_error_problem(exc)), file=sys.stderr)
        return 1
    except RecursionError:
        print("gloss: error: input nested too deeply to process — nest lists, quotes or tables less deeply",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def os_error_problem(exc: OSError) -> Problem:
    """One `path: error: what — what to do` for a failure of the file system (never a traceback). Whatever
    was being written was a temporary file or folder: the last good build, handout or file is as it was."""
    import errno

    fixes = {
        errno.ENOSPC: "free some disk space and run it again",
        errno.EDQUOT: "free some space within your disk quota and run it again",
        errno.EROFS: "the folder is on a read-only file system: copy the edition somewhere writable, or write "
                     "elsewhere with --out",
        errno.EACCES: "you may not write there: check the folder's owner and permissions, or write elsewhere "
                      "with --out",
        errno.EPERM: "you may not write there: check the folder's owner and permissions, or write elsewhere "
                     "with --out",
        errno.ENAMETOOLONG: "use a shorter file name",
        errno.ENOENT: "the file was moved or deleted while gloss ran: run it again",
    }
    where = exc.filename if exc.filename is not None else "gloss"
    what = exc.strerror or str(exc)
    return Problem(str(where), 0, 0, "error", f"{what} (nothing was changed)",
                   fixes.get(exc.errno or 0, "check the disk and the folder's permissions, then run it again"))
