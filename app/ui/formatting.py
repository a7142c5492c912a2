"""Numbers and token text in the words a non-technical reader expects, in the user's locale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from app.core import units

_VISIBLE_WHITESPACE = str.maketrans({" ": "␣", "\n": "↵", "\t": "→", "\r": ""})


def format_count(count: int) -> str:
    """A parameter count as '30.5 B', '812 M', '45 K' (German: '30,5 Mrd.', '812 Mio.', '45 Tsd.'),
    with a no-break space so that number and unit stay on one line."""
    locale = QLocale()
    units = (
        (1e9, QCoreApplication.translate("Formatting", "B", "billion")),
        (1e6, QCoreApplication.translate("Formatting", "M", "million")),
        (1e3, QCoreApplication.translate("Formatting", "K", "thousand")),
    )
    for scale, unit in units:
        if count >= scale:
            value = count / scale
            decimals = 1 if value < 100 else 0
            return f"{locale.toString(value, 'f', decimals)}\u00a0{unit}"
    return locale.toString(int(count))


def format_decimal(value: float, decimals: int = 1) -> str:
    return _locale_number(value, decimals)


def format_percent(share: float) -> str:
    """A share between 0 and 1 as '11 %' ('0.4 %' below one percent)."""
    percent = share * 100
    decimals = 1 if 0 < percent < 1 else 0
    return f"{QLocale().toString(percent, 'f', decimals)}\u00a0%"


def _locale_number(value: float, decimals: int) -> str:
    return QLocale().toString(float(value), "f", decimals)


def format_size(n_bytes: int) -> str:
    """Bytes as "820 MB", "4,7 GB", "21 GB" in the user's locale (the rounding of app.core.units), with
    a no-break space so that number and unit stay on one line."""
    return units.format_size(n_bytes, number=_locale_number, space="\u00a0")


def format_duration(seconds: float) -> str:
    """Time left, as a person says it: "40 s", "5 min", "1 h 20 min"."""
    words = {
        "hours": QCoreApplication.translate("Formatting", "{hours} h {minutes} min"),
        "minutes": QCoreApplication.translate("Formatting", "{minutes} min"),
        "seconds": QCoreApplication.translate("Formatting", "{seconds} s"),
    }
    return units.format_duration(seconds, words)


def visible_token(text: str) -> str:
    """Token text with spaces, line breaks and tabs made visible ('␣', '↵', '→')."""
    return text.translate(_VISIBLE_WHITESPACE)
