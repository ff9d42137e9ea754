"""The GitHub Pages workflow `gloss init` writes into a new edition: what pip installs is one line at its top.

The official Pages actions are pinned by commit (the tag in a comment beside each), so a moved tag cannot
change what runs with the edition's deploy rights; `zizmor --offline` and GitHub's workflow schema check
both the workflow written here and this repository's own (tests/test_package.py).
"""

from __future__ import annotations

from . import __version__

PACKAGE = "gloss-editions"

# The actions, pinned by commit. Update all of them together, checking each tag's commit on GitHub.
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0"
CONFIGURE_PAGES = "actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b  # v5.0.0"
UPLOAD_PAGES_ARTIFACT = "actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa  # v3.0.1"
DEPLOY_PAGES = "actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e  # v4.0.5"


def default_spec() -> str:
    """What pip installs by default: this very version of Gloss from PyPI."""
    return f"{PACKAGE}=={__version__}"


def pages_workflow(gloss_spec: str | None = None) -> str:
    """The text of `.github/workflows/pages.yml` for a new edition, installing Gloss from `gloss_spec`."""
    spec = gloss_spec or default_spec()
    quoted = '"' + spec.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"""\
# Publishes this edition to GitHub Pages on every push to main.
# Once, in the repository: Settings → Pages → Build and deployment → Source: GitHub Actions.
name: Publish to GitHub Pages

env:
  # What pip installs: the Gloss this edition was made with (gloss {__version__}). To build with another Gloss,
  # change this one line: a release ("{PACKAGE}==0.2.0"), a tag of a Git repository
  # ("git+https://github.com/OWNER/REPO@v0.2.0") or a wheel committed beside site.toml ("./gloss.whl").
  GLOSS_SPEC: {quoted}

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions: {{}}

# One deployment at a time; a running one finishes rather than being cancelled half-way.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - name: Check out the edition
        uses: {CHECKOUT}
        with:
          persist-credentials: false
      - name: Set up Python
        uses: {SETUP_PYTHON}
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: .github/workflows/pages.yml
      - name: Set up Pages
        id: pages
        uses: {CONFIGURE_PAGES}
      - name: Install Gloss
        run: python -m pip install "$GLOSS_SPEC"
      - name: Build the site for the address Pages gives it
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        run: gloss build --base-url "$BASE_URL/"
      - name: Upload the site
        uses: {UPLOAD_PAGES_ARTIFACT}
        with:
          path: build

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: {DEPLOY_PAGES}
"""
