"""DownloadRequest: one model to download from the Hub, and the check that it is usable.

Its own module because the transfer, the queue and the partial-download sidecars all build or read
requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.hub.errors import HubError
from app.core.models.catalog import REPO_ID, split_parts


@dataclass(frozen=True)
class DownloadRequest:
    """One model to download.

    Attributes:
        repo: ``owner/name`` on the Hub.
        filename: path of the file in the repository; any part of a multi-part set means the set.
        revision: branch, tag or commit to download from.
        catalog_id: the catalog entry this is, recorded in the origin sidecar (or None).
    """

    repo: str
    filename: str
    revision: str = "main"
    catalog_id: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        """Repository paths of every file to fetch (one, or each part of the set in order)."""
        return tuple(split_parts(self.filename))

    @property
    def local_names(self) -> tuple[str, ...]:
        """File names in the models folder (the repository's folders are dropped)."""
        return tuple(path.rpartition("/")[2] for path in self.parts)

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the model: the same set requested twice has the same key."""
        return self.repo, self.parts[0]


def check_request(request: DownloadRequest) -> None:
    """Raise HubError kind "invalid" unless ``request`` names a GGUF file inside a repository."""
    if not REPO_ID.match(request.repo):
        raise HubError("invalid", f"{request.repo!r} is not a Hugging Face repository id (owner/name).")
    path = request.filename
    segments = path.split("/")
    name = segments[-1]
    if (not name.lower().endswith(".gguf") or name.startswith(".") or "\\" in path or "\0" in path
            or any(s in ("", ".", "..") for s in segments)):
        raise HubError("invalid", f"{path!r} is not the name of a GGUF file in a repository "
                                  "(it must end in .gguf and stay inside the repository).")
    if not request.revision or "\0" in request.revision:
        raise HubError("invalid", "The revision to download from is empty.")
