"""Painting a scene onto any paint device: the one drawing path every exporter shares."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from gradviz.canvas.scene import GraphScene


def render_scene(scene: GraphScene, painter: QPainter, target: QRectF, source: QRectF) -> None:
    """Draw `source` (scene coordinates) into `target` (device coordinates), antialiased."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    scene.render(painter, target, source)
