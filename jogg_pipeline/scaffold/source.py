"""Where the running jogg-pipeline was installed from, as the pip requirement a CI runner installs.

jogg-pipeline is on no package index, so its name alone installs nothing: a nightly workflow has
to name a repository and a commit (or an archive URL). Installers record the origin of a
distribution in its `direct_url.json` (PEP 610); a git install gives a pinned requirement as it
is, while a local folder, an editable install or a local file gives nothing a runner can reach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlsplit, urlunsplit

DISTRIBUTION = "jogg-pipeline"
# What a workflow holds until its user pins their own copy: a requirement in the right shape.
EXAMPLE = "jogg-pipeline @ git+https://github.com/OWNER/REPOSITORY@COMMIT"


@dataclass(frozen=True)
class InstallSource:
    requirement: str
    usable: bool  # a CI runner can install it as it is
    origin: str  # how the running copy was installed, in words; empty when given by the user

    @property
    def comment(self) -> str:
        """What the workflow says above the requirement, as one paragraph."""
        lead = "Where jogg-pipeline is installed from: one pip requirement, pinned. It is on no"
        if not self.origin:
            return f"{lead} package index. Change the commit to upgrade."
        if self.usable:
            return (
                f"{lead} package index; this is the source of the copy that wrote this file"
                f" ({self.origin}). Change the commit to upgrade."
            )
        return (
            f"{lead} package index, so the name alone installs nothing, and the copy that wrote"
            f" this file came from {self.origin}, which a runner cannot reach: pin your copy's"
            " repository URL and a commit."
        )


def given(requirement: str) -> InstallSource:
    return InstallSource(requirement, True, "")


def install_source(path: list[str] | None = None) -> InstallSource:
    """The source of the jogg-pipeline distribution found first on `path` (default sys.path)."""
    # None is no default to importlib: without a path, it searches sys.path.
    found = next(
        iter(
            metadata.distributions(name=DISTRIBUTION)
            if path is None
            else metadata.distributions(name=DISTRIBUTION, path=path)
        ),
        None,
    )
    if found is None:
        return InstallSource(EXAMPLE, False, "a source tree that is not installed")
    text = found.read_text("direct_url.json")
    if text is None:  # pip writes direct_url.json for everything not from an index
        return InstallSource(EXAMPLE, False, "a package index")
    try:
        record = json.loads(text)
    except ValueError:
        return InstallSource(EXAMPLE, False, "a place its direct_url.json does not tell")
    return from_direct_url(record if isinstance(record, dict) else {})


def from_direct_url(record: dict) -> InstallSource:
    """PEP 610's record of a direct install as a requirement, when it names a remote place."""
    url = str(record.get("url", ""))
    scheme = urlsplit(url).scheme.lower()
    vcs = record.get("vcs_info")
    archive = record.get("archive_info")
    if isinstance(vcs, dict):
        kind = str(vcs.get("vcs", "git"))
        if scheme in ("", "file"):
            return InstallSource(EXAMPLE, False, f"a local {kind} repository")
        commit = str(vcs.get("commit_id") or vcs.get("requested_revision") or "")
        pinned = f"@{commit}" if commit else ""
        requirement = f"{DISTRIBUTION} @ {kind}+{public(url)}{pinned}"
        return InstallSource(with_subdirectory(requirement, record), True, f"a {kind} install")
    if isinstance(archive, dict):
        if scheme in ("", "file"):
            return InstallSource(EXAMPLE, False, "a local archive")
        requirement = f"{DISTRIBUTION} @ {public(url)}"
        hashes = archive.get("hashes")
        if isinstance(hashes, dict) and "sha256" in hashes:
            # pip checks a `#sha256=` fragment: the archive is pinned by its content.
            requirement += f"#sha256={hashes['sha256']}"
        return InstallSource(with_subdirectory(requirement, record), True, "an archive URL")
    if isinstance(record.get("dir_info"), dict):
        editable = record["dir_info"].get("editable", False)
        return InstallSource(
            EXAMPLE,
            False,
            "an editable install of a local folder" if editable else "a local folder",
        )
    return InstallSource(EXAMPLE, False, "an unknown kind of direct install")


def public(url: str) -> str:
    """The URL without credentials (PEP 610 allows `git@` for ssh; a workflow holds no secret)."""
    parts = urlsplit(url)
    if parts.username is None or (parts.username == "git" and parts.password is None):
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def with_subdirectory(requirement: str, record: dict) -> str:
    subdirectory = record.get("subdirectory")
    if not subdirectory:
        return requirement
    joiner = "&" if "#" in requirement else "#"
    return f"{requirement}{joiner}subdirectory={subdirectory}"
