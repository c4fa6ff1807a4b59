"""What the app remembers between sessions (QSettings), under names kept in one place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "gradviz"
APPLICATION = "gradviz"
MAX_RECENT = 10


EXPORT_SCALES = (1.0, 2.0, 3.0)


class AppSettings:
    """Typed access to the app's QSettings: window layout, theme, recent files, last script."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings or QSettings(ORGANIZATION, APPLICATION)

    def _get(self, key: str, default: object, kind: type) -> object:
        value = self.qsettings.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    def _flag(self, key: str, default: bool) -> bool:
        value = str(self._get(key, "true" if default else "false", str)).lower()
        return value in ("true", "1")

    def _set_flag(self, key: str, value: bool) -> None:
        self.qsettings.setValue(key, "true" if value else "false")

    @property
    def theme(self) -> str:
        value = str(self._get("view/theme", "system", str))
        return value if value in ("system", "light", "dark", "print") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self.qsettings.setValue("view/theme", value)

    @property
    def font_scale(self) -> float:
        return min(3.0, max(0.5, float(self._get("view/font_scale", 1.0, float))))

    @font_scale.setter
    def font_scale(self, value: float) -> None:
        self.qsettings.setValue("view/font_scale", float(value))

    @property
    def direction(self) -> str:
        value = str(self._get("view/direction", "TB", str))
        return value if value in ("TB", "LR") else "TB"

    @direction.setter
    def direction(self, value: str) -> None:
        self.qsettings.setValue("view/direction", value)

    @property
    def animations(self) -> bool:
        return self._flag("play/animations", True)

    @animations.setter
    def animations(self, value: bool) -> None:
        self._set_flag("play/animations", value)

    @property
    def export_scale(self) -> float:
        """Pixels per unit of exported PNGs and frames: 1, 2 (the default) or 3."""
        value = float(self._get("export/scale", 2.0, float))
        return value if value in EXPORT_SCALES else 2.0

    @export_scale.setter
    def export_scale(self, value: float) -> None:
        self.qsettings.setValue("export/scale", float(value))

    @property
    def export_transparent(self) -> bool:
        return self._flag("export/transparent", False)

    @export_transparent.setter
    def export_transparent(self, value: bool) -> None:
        self._set_flag("export/transparent", value)

    @property
    def speed(self) -> float:
        return float(self._get("play/speed", 1.0, float))

    @speed.setter
    def speed(self, value: float) -> None:
        self.qsettings.setValue("play/speed", float(value))

    @property
    def recent_files(self) -> list[Path]:
        value = self.qsettings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [Path(p) for p in (value or []) if p]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        paths = [path] + [p for p in self.recent_files if p != path]
        self.qsettings.setValue("files/recent", [str(p) for p in paths[:MAX_RECENT]])

    def clear_recent(self) -> None:
        self.qsettings.setValue("files/recent", [])

    @property
    def last_script(self) -> Path | None:
        value = self.qsettings.value("files/last_script", "")
        return Path(value) if value else None

    @last_script.setter
    def last_script(self, path: Path | None) -> None:
        self.qsettings.setValue("files/last_script", str(path) if path else "")

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return (self.qsettings.value("window/geometry"), self.qsettings.value("window/state"))

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)
