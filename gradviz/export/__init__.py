"""Exporters: one small class per format behind `Exporter`, each with a to-bytes path."""

from gradviz.export.base import Exporter, ExportOptions
from gradviz.export.deck import GifDeckExporter, PdfDeckExporter, PngFramesExporter
from gradviz.export.json_export import JsonExporter
from gradviz.export.pdf import PdfExporter
from gradviz.export.png import PngExporter
from gradviz.export.svg import SvgExporter

EXPORTERS: dict[str, type[Exporter]] = {
    ".png": PngExporter,
    ".svg": SvgExporter,
    ".pdf": PdfExporter,
    ".json": JsonExporter,
}

__all__ = ["EXPORTERS", "ExportOptions", "Exporter", "GifDeckExporter", "JsonExporter",
           "PdfDeckExporter", "PdfExporter", "PngExporter", "PngFramesExporter", "SvgExporter"]
