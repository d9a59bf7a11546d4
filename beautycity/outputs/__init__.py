"""The result files of a scoring run: `assessment.json`, `assessment.xlsx`, `manifest.json`."""
