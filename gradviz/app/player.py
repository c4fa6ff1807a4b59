"""Play/pause through the backward timeline: a timer that asks the document for the next step."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from gradviz.app.document import Document

#: Steps per second offered by the speed control; the last one means "as fast as possible".
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 30.0)


class Player(QObject):
    """Advances the document one step per tick while playing; stops at the end.

    `animation_ms` tells the canvas how long each step's animation may take: a fraction of the
    tick at normal speeds, zero at the top speed, so playing fast never queues animations.
    """

    playing_changed = Signal(bool)
    speed_changed = Signal(float)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._speed = 1.0
        self._animations = True
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        document.run_changed.connect(lambda _run: self.pause())

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, steps_per_second: float) -> None:
        self._speed = max(0.1, float(steps_per_second))
        self._timer.setInterval(int(1000 / self._speed))
        self.speed_changed.emit(self._speed)

    @property
    def animations(self) -> bool:
        return self._animations

    def set_animations(self, enabled: bool) -> None:
        self._animations = bool(enabled)

    @property
    def animation_ms(self) -> int:
        """How long the canvas may animate one step (0 = instant)."""
        if not self._animations or self._speed >= SPEEDS[-1]:
            return 0
        return int(min(600, 0.7 * 1000 / self._speed))

    def play(self) -> None:
        if self.document.step_count == 0:
            return
        if self.document.step >= self.document.step_count:
            self.document.reset()
        if not self.playing:
            self._timer.start(int(1000 / self._speed))
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def _tick(self) -> None:
        if self.document.step >= self.document.step_count:
            self.pause()
            return
        self.document.step_forward()
        if self.document.step >= self.document.step_count:
            self.pause()
