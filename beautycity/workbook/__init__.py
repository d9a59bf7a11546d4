"""The protected submission workbook: layout contract, build, cover, style, fill."""
