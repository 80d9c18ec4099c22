"""How the screens show things to people: labels, times and sizes."""

from datetime import datetime, timezone


def label_of(obj) -> str:
    """Return what the screens call `obj`: its title, else its name."""
    title = getattr(obj, "title", "") or ""
    return title or getattr(obj, "__name__", None) or "Home"


def format_time(seconds: float | None) -> str:
    """Return `seconds` since the epoch as `YYYY-MM-DD HH:MM` (UTC)."""
    if not seconds:
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M")


def format_moment(seconds: float | None) -> str:
    """Return `seconds` since the epoch as `YYYY-MM-DD HH:MM:SS` (UTC): to tell changes apart."""
    if not seconds:
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def iso_time(seconds: float | None) -> str:
    """Return `seconds` since the epoch as an ISO 8601 time (UTC)."""
    if not seconds:
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def format_size(size: int | None) -> str:
    """Return a byte count for people: `512 B`, `1.2 kB`, `3.4 MB`."""
    if size is None:
        return ""
    if size < 1000:
        return f"{size} B"
    for unit in ("kB", "MB", "GB"):
        size /= 1000
        if size < 1000:
            break
    return f"{size:.1f} {unit}"
